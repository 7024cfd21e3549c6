"""Turns Wagtail's page signals into the news domain events (core/events.py: article_changed, and
breaking_changed for «молнии»); queues a saved photo's renditions (tasks.py)."""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
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


def _breaking_emit(kind: str, article: ArticlePage, published_at=None) -> None:
    """A «молния» change, announced after commit (after article_changed: the same commit's
    callbacks run in order, so the feed line already carries the marker)."""
    events.breaking_changed_send(
        events.BreakingEvent(
            kind=kind,
            key=f"article:{article.pk}",
            title=article.title,
            url=article.url or article.url_path,
            published_at=published_at or article.published_at or timezone.now(),
        )
    )


@receiver(pre_save, sender=ArticlePage)
def _remember_live_breaking(sender, instance, update_fields=None, **kwargs):
    # A publish saves the whole page row; until then the row holds the live version, so this is
    # the one moment to learn whether readers had it as a «молния» (saving a draft writes only
    # a few bookkeeping columns, with update_fields).
    if update_fields is not None or instance.pk is None:
        return
    stored = ArticlePage.objects.filter(pk=instance.pk).values_list("live", "breaking").first()
    instance._breaking_live_before = bool(stored and stored[0] and stored[1])
    instance._live_before = bool(stored and stored[0])


@receiver(page_published, sender=ArticlePage)
def _on_published(sender, instance, revision, **kwargs):
    first_time = instance.first_published_at == instance.last_published_at
    _emit(events.PUBLISHED if first_time else events.CHANGED, instance)
    # A new page is saved live before its first publish (add_child): nothing was live yet.
    was = not first_time and getattr(instance, "_breaking_live_before", False)
    if instance.breaking:
        if was:
            _breaking_emit(events.CHANGED, instance)
        elif not first_time and getattr(instance, "_live_before", False):
            # Flagged on a republish: the banner runs from now, not from the article's old time.
            _breaking_emit(events.PUBLISHED, instance, published_at=timezone.now())
        else:
            _breaking_emit(events.PUBLISHED, instance)
    elif was:  # the flag was cleared
        _breaking_emit(events.UNPUBLISHED, instance)


@receiver(page_unpublished, sender=ArticlePage)
def _on_unpublished(sender, instance, **kwargs):
    _emit(events.UNPUBLISHED, instance)
    if instance.breaking:
        _breaking_emit(events.UNPUBLISHED, instance)


@receiver(post_delete, sender=ArticlePage)
def _on_deleted(sender, instance, **kwargs):
    if instance.live:
        _emit(events.UNPUBLISHED, instance)
        if instance.breaking:
            _breaking_emit(events.UNPUBLISHED, instance)


def _renditions_enqueue(image_id: int) -> None:
    image_renditions_make.enqueue(image_id)


@receiver(post_save, sender=NewsImage)
def _on_image_saved(sender, instance: NewsImage, **kwargs):
    # After the commit, and robust: a failing queue never turns the upload into an error.
    transaction.on_commit(partial(_renditions_enqueue, instance.pk), robust=True)
