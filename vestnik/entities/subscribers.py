"""A publish changes the text readers see: count its entities again (analysis of the saved
revision ran before the publish, against the old published text)."""

from django.conf import settings
from django.dispatch import receiver

from vestnik.core import events

from .tasks import analyse_article


@receiver(events.article_changed)
def on_article_changed(sender, event: events.ArticleEvent, **kwargs):
    if event.kind != events.UNPUBLISHED and settings.VESTNIK_ANALYSIS:
        analyse_article.enqueue(event.article_id)
