"""Reads for the news feed («Лента новостей»)."""

from django.conf import settings

from vestnik.core.paging import KeysetPage, keyset_page

from .models import FeedEntry, FeedEvent


def feed_latest(limit: int | None = None) -> list[FeedEntry]:
    """Pinned lines first, then newest first; one indexed query on one table."""
    limit = limit or settings.VESTNIK_FEED_SIZE
    return list(FeedEntry.objects.order_by("-pinned", "-published_at", "-id")[:limit])


def feed_page(cursor: str | None = None, size: int | None = None) -> KeysetPage:
    """The full feed page: pinned lines on the first page, then every other line newest first
    (core.paging: `?before=<µs>-<id>`, any page one walk of the (time, id) index)."""
    page = keyset_page(FeedEntry.objects.filter(pinned=False), cursor=cursor, size=size)
    if not cursor:
        pinned = FeedEntry.objects.filter(pinned=True).order_by("-published_at", "-id")
        page.items = list(pinned) + page.items
    return page


def event_latest_id() -> int:
    """The id of the newest change of the feed (0 for none): the cursor of every client."""
    return FeedEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_after(last_id: int, limit: int) -> list[FeedEvent]:
    return list(FeedEvent.objects.filter(id__gt=last_id).order_by("id")[:limit])


def event_oldest_id() -> int:
    return FeedEvent.objects.order_by("id").values_list("id", flat=True).first() or 0


# stub until fix/channels lands: the real per-channel stream replaces it (the lead merges it).
def channel_last_id(channel: str) -> int:
    """The cursor a page renders before the items of `channel`, so a stream misses nothing."""
    return 0
