"""The index follows the newsroom: published or changed → entry rewritten, unpublished → removed."""

from django.dispatch import receiver

from vestnik.core import events
from vestnik.news.models import ArticlePage

from . import services


@receiver(events.article_changed)
def on_article_changed(sender, event: events.ArticleEvent, **kwargs):
    if event.kind == events.UNPUBLISHED:
        services.entry_delete(event.article_id)
        return
    article = ArticlePage.objects.live().filter(pk=event.article_id).first()
    if article is None:  # unpublished again before this ran
        services.entry_delete(event.article_id)
        return
    services.entry_upsert(article)
