"""Reads for the news feed («Лента новостей»)."""

from django.conf import settings

from vestnik.core.paging import KeysetPage, keyset_page

from .models import FeedEntry, FeedEvent, FeedEventPruned


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


def event_latest_id(channel: str = "") -> int:
    """The id of the newest change of a channel (0 for none): its readers' cursor. The news feed
    is channel "", so its cursor, ETags and replay never move for a broadcast's events."""
    newest = (
        FeedEvent.objects.filter(channel=channel)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    # A channel pruned empty (a finished broadcast) resumes from what was pruned: a cursor of 0
    # would read as "missed pruned events" and reset for ever.
    return newest or event_pruned_upto(channel)


def channel_last_id(channel: str) -> int:
    """The newest event id of a channel (0 if none): rendered as `data-channel-last` before the
    posts, so a change in between is replayed rather than lost."""
    return event_latest_id(channel)


def events_after(last_id: int, limit: int, channel: str = "") -> list[FeedEvent]:
    """A channel's changes after `last_id`, in order: one range of the (channel, id) index."""
    return list(FeedEvent.objects.filter(channel=channel, id__gt=last_id).order_by("id")[:limit])


def event_pruned_upto(channel: str = "") -> int:
    """The newest id a prune removed from a channel (0: none ever): a reader whose cursor is older
    may have missed events."""
    return (
        FeedEventPruned.objects.filter(channel=channel).values_list("upto", flat=True).first() or 0
    )


def log_latest_id() -> int:
    """The newest row of the whole log, every channel: where an app process's follower starts."""
    return FeedEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def log_events_after(last_id: int, limit: int) -> list[FeedEvent]:
    """New rows of every channel, in order: what the follower reads once for all its streams."""
    return list(FeedEvent.objects.filter(id__gt=last_id).order_by("id")[:limit])
