"""Published or changed articles get their embedding and neighbours, in a background task."""

from django.conf import settings
from django.dispatch import receiver

from vestnik.core import events

from .tasks import relate_article


@receiver(events.article_changed)
def on_article_changed(sender, event: events.ArticleEvent, **kwargs):
    # Unpublished articles drop out by themselves: candidates and «Читайте также» read live ones.
    if event.kind != events.UNPUBLISHED and settings.VESTNIK_ANALYSIS:
        relate_article.enqueue(event.article_id)
