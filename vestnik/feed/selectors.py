"""Reads for the news feed («Лента новостей»)."""

from django.conf import settings

from .models import FeedEntry


def feed_latest(limit: int | None = None) -> list[FeedEntry]:
    """Pinned lines first, then newest first; one indexed query on one table."""
    limit = limit or settings.VESTNIK_FEED_SIZE
    return list(FeedEntry.objects.order_by("-pinned", "-published_at", "-id")[:limit])
