"""Reads for the news feed («Лента новостей»)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from vestnik.news.params import keyset_cursor_parse

from .models import FeedEntry, FeedEvent


class InvalidCursor(ValueError):
    pass


@dataclass
class FeedPage:
    items: list[FeedEntry]
    next_cursor: str | None
    is_first: bool


def feed_latest(limit: int | None = None) -> list[FeedEntry]:
    """Pinned lines first, then newest first; one indexed query on one table."""
    limit = limit or settings.VESTNIK_FEED_SIZE
    return list(FeedEntry.objects.order_by("-pinned", "-published_at", "-id")[:limit])


def _cursor_encode(entry: FeedEntry) -> str:
    return f"{round(entry.published_at.timestamp() * 1_000_000)}-{entry.pk}"


def _cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        return keyset_cursor_parse(cursor)
    except (ValueError, OverflowError, OSError) as exc:  # BadParameter is a ValueError
        raise InvalidCursor(cursor) from exc


def feed_page(cursor: str | None = None, size: int | None = None) -> FeedPage:
    """The full feed page: pinned lines on the first page, then every other line newest first.

    Keyset (`?before=<µs>-<id>`), not OFFSET: any page costs one walk of the (time, id) index.
    """
    size = size or settings.VESTNIK_PAGE_SIZE
    queryset = FeedEntry.objects.filter(pinned=False).order_by("-published_at", "-id")
    if cursor:
        moment, pk = _cursor_decode(cursor)
        queryset = queryset.filter(Q(published_at__lt=moment) | Q(published_at=moment, id__lt=pk))
    items = list(queryset[: size + 1])
    next_cursor = _cursor_encode(items[size - 1]) if len(items) > size else None
    items = items[:size]
    if not cursor:
        items = list(FeedEntry.objects.filter(pinned=True).order_by("-published_at", "-id")) + items
    return FeedPage(items=items, next_cursor=next_cursor, is_first=not cursor)


def event_latest_id() -> int:
    """The id of the newest change of the feed (0 for none): the cursor of every client."""
    return FeedEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_after(last_id: int, limit: int) -> list[FeedEvent]:
    return list(FeedEvent.objects.filter(id__gt=last_id).order_by("id")[:limit])


def event_oldest_id() -> int:
    return FeedEvent.objects.order_by("id").values_list("id", flat=True).first() or 0
