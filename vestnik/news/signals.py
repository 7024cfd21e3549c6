"""Turns Wagtail's page signals into the news domain event (core/events.py); queues a saved photo's
renditions (tasks.py)."""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from vestnik.core import events

from .models import ArticlePage, NewsImage
from .tasks import image_renditions_make

logger = logging.getLogger(__name__)


def _send(event: events.ArticleEvent) -> None:
    # robust: one failing subscriber must neither stop the others nor undo the publish
    for receiver_fn, result in events.article_changed.send_robust(sender=ArticlePage, event=event):
        if isinstance(result, Exception):
            logger.error("subscriber %r failed on %s", receiver_fn, event, exc_info=result)


def _emit(kind: str, article: ArticlePage) -> None:
    event = events.ArticleEvent(
        kind=kind,
        article_id=article.pk,
        rubric_id=article.rubric_id,
        story_id=article.story_id,
        tag_slugs=tuple(tag.slug for tag in article.tags.all()),
        url_path=article.url_path,
    )
    transaction.on_commit(lambda: _send(event))


@receiver(page_published, sender=ArticlePage)
def _on_published(sender, instance, revision, **kwargs):
    first_time = instance.first_published_at == instance.last_published_at
    _emit(events.PUBLISHED if first_time else events.CHANGED, instance)


@receiver(page_unpublished, sender=ArticlePage)
def _on_unpublished(sender, instance, **kwargs):
    _emit(events.UNPUBLISHED, instance)


@receiver(post_delete, sender=ArticlePage)
def _on_deleted(sender, instance, **kwargs):
    if instance.live:
        _emit(events.UNPUBLISHED, instance)


def _renditions_enqueue(image_id: int) -> None:
    image_renditions_make.enqueue(image_id)


@receiver(post_save, sender=NewsImage)
def _on_image_saved(sender, instance: NewsImage, **kwargs):
    # After the commit, and robust: a failing queue never turns the upload into an error.
    transaction.on_commit(partial(_renditions_enqueue, instance.pk), robust=True)
