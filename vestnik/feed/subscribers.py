"""The feed follows the newsroom: a published article gets its line, an unpublished one loses it."""

from django.dispatch import receiver

from vestnik.core import events
from vestnik.news.models import ArticlePage

from . import services


@receiver(events.article_changed)
def on_article_changed(sender, event: events.ArticleEvent, **kwargs):
    key = services.article_key(event.article_id)
    if event.kind == events.UNPUBLISHED:
        services.entry_withdraw(key)
        return
    article = (
        ArticlePage.objects.live().select_related("rubric").filter(pk=event.article_id).first()
    )
    if article is None:  # unpublished again before this ran
        services.entry_withdraw(key)
        return
    services.article_entry_upsert(article)
