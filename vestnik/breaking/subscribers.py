"""The breaking app follows the domain events: «молнии» (core.events.breaking_changed, from news
and live broadcasts) keep the banner and go to the Telegram channel; articles of rubrics marked
«Публиковать все статьи в Telegram» (article_changed) go there too."""

import logging

from django.dispatch import receiver

from vestnik.core import events
from vestnik.news.models import ArticlePage

from . import services, tasks

logger = logging.getLogger(__name__)


@receiver(events.breaking_changed)
def on_breaking_changed(sender, event: events.BreakingEvent, **kwargs):
    services.item_apply(event)
    if event.kind == events.UNPUBLISHED:
        tasks.sync_enqueue(services.post_withdraw(event.key))
    elif event.kind == events.PUBLISHED:
        post = services.post_request(event.key, event.title, event.url, breaking=True)
        tasks.sync_enqueue(post)
    elif services.post_exists(event.key):  # a correction edits what went out, never posts anew
        post = services.post_request(event.key, event.title, event.url, breaking=True)
        tasks.sync_enqueue(post)


@receiver(events.article_changed)
def on_article_changed(sender, event: events.ArticleEvent, **kwargs):
    """Every new article of a «все статьи в Telegram» rubric; «молнии» go through the handler
    above (with their label), so an article is never posted twice."""
    key = f"article:{event.article_id}"
    if event.kind == events.UNPUBLISHED:
        tasks.sync_enqueue(services.post_withdraw(key))
        return
    article = (
        ArticlePage.objects.live().filter(pk=event.article_id).select_related("rubric").first()
    )
    if article is None or article.breaking or not (article.rubric and article.rubric.telegram_all):
        return
    if event.kind == events.PUBLISHED or services.post_exists(key):
        tasks.sync_enqueue(services.post_request(key, article.title, article.url, breaking=False))
