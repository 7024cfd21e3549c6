"""Follows the news domain event: publishing a revision must not bring back an old comment count."""

from django.dispatch import receiver

from vestnik.core import events

from .services import comment_count_refresh


@receiver(events.article_changed)
def _on_article_changed(sender, event: events.ArticleEvent, **kwargs):
    # A revision stores the count it was saved with; Wagtail's publish writes it back.
    if event.kind in (events.PUBLISHED, events.CHANGED):
        comment_count_refresh(event.article_id)
