"""The live feed's event stream (`paths.STREAM`): one core, whatever server answers the request.

Two thin adapters serve it. `feed/asgi.py` is the raw ASGI app that vestnik/asgi.py dispatches
the path to (what granian runs in production); `views.feed_stream` is the Django view (the URL
name, WSGI servers, an ASGI server started on Django alone). Both do the same steps:

1. `cursor()`: where the reader resumes (`Last-Event-ID`, else `?last_id=`), and
   `channel_parse()`: whose events it follows (`?channel=`: "" the news feed, "live-42" a live
   broadcast's), or `Refused`;
2. `Stream.open()`: subscribe to the channel on this process's hub, then replay what the reader
   missed on that channel (or a reset), or `Refused` (503) when the database can't be read;
3. send `HEADERS` and `stream.opening`, then whatever `await stream.next()` gives (events, or a
   heartbeat when idle) until it gives None; `stream.close()` at the end, whatever happens.

Event frames are encoded once per process by the hub (live.Message); this module adds the
`retry:` frame, the heartbeat and the replay. `latest.json` resumes with the same cursor rules
(`event_id_parse`, `cursor_clamp`, `events_since`), so a poller and a stream agree.
"""

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from vestnik.core.params import id_parse

from . import live, selectors
from .models import FeedEvent
from .services import channel_valid

logger = logging.getLogger(__name__)

# An event stream that nobody stores, buffers or compresses (the page compression skips
# streaming responses; the raw ASGI app compresses nothing).
HEADERS = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",  # nginx: pass each event on at once
    "X-Content-Type-Options": "nosniff",
}

PING = b": ping\n\n"  # the heartbeat: keeps proxies from closing an idle stream

BAD_CURSOR = _("Wrong event number: a whole non-negative number is needed.")
BAD_CHANNEL = _(
    "Wrong channel name: lowercase Latin letters, digits and hyphens, starting with a letter."
)
GET_ONLY = _("The event stream can only be fetched (GET).")
UNAVAILABLE = _("The feed is temporarily unavailable.")


class Refused(Exception):
    """No stream: answer `status` with the plain `text` (and `headers`) instead."""

    def __init__(self, status: int, text, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.text = text  # lazy: the adapter renders it in the reader's language
        self.headers = headers or {}


# --- where a stream starts -------------------------------------------------------------------


def event_id_parse(value: str | None) -> int | None:
    """`Last-Event-ID` / `?last_id=` / `?since=`: None when absent; ValueError (BadParameter)
    unless a whole number 0…2**63-1. Callers clamp it to the newest event (`cursor_clamp`)."""
    return id_parse(value)


def cursor_clamp(cursor: int, latest: int) -> int:
    """A cursor past the newest event (a forged one, or from a database since restored) would
    skip every new event for good: it is taken as the newest, so the client catches up."""
    return min(cursor, latest)


def cursor(method: str, last_event_id: str | None, last_id: str | None) -> int | None:
    """Where the reader asks the stream to start: `Last-Event-ID` (what EventSource resends on a
    reconnect), else `?last_id=` (the page's cursor on the first connection); None for a new
    reader. Refused with 405 unless GET, 400 unless a valid id (`event_id_parse`)."""
    if method != "GET":
        raise Refused(405, GET_ONLY, {"Allow": "GET"})
    try:
        return event_id_parse(last_event_id or last_id)
    except ValueError:
        raise Refused(400, BAD_CURSOR) from None


def channel_parse(value: str | None) -> str:
    """`?channel=`: "" (absent or empty) is the news feed; otherwise a broadcast's channel name
    (`services.channel_event`). Refused with 400 for any other name."""
    if not value:
        return ""
    if not channel_valid(value):
        raise Refused(400, BAD_CHANNEL)
    return value


def events_since(since: int, channel: str = "") -> list[FeedEvent] | None:
    """A channel's changes after `since` (a clamped cursor), in order; None when the reader is too
    far behind to be told them one by one: more than VESTNIK_FEED_REPLAY_MAX, or some of them
    pruned. The reader then gets a reset instead."""
    limit = settings.VESTNIK_FEED_REPLAY_MAX
    events = selectors.events_after(since, limit + 1, channel)
    # A prune past the cursor reads as pruned, never as a silent gap.
    if len(events) > limit or since < selectors.event_pruned_upto(channel):
        return None
    return events


def _reset_message(latest_id: int, channel: str = "") -> live.Message:
    """Too far behind to replay: for the feed, the whole current list instead; a broadcast's page
    reloads its posts itself (static/js/live_channel.js)."""
    if channel:
        return live.message(latest_id, {"id": latest_id, "kind": "reset"}, channel)
    items = [
        render_to_string("feed/includes/feed_item.html", {"item": item}).strip()
        for item in selectors.feed_latest()
    ]
    return live.message(latest_id, {"id": latest_id, "kind": "reset", "items": items})


def replay(last_id: int | None, channel: str = "") -> tuple[int, list[live.Message]]:
    """Where a stream of `channel` starts: the new cursor and the channel's changes after
    `last_id` (none for a new reader), in order.

    Call after subscribing, so that nothing committed in between is missed (`live.frames` drops
    what the replay already sent)."""
    if last_id is None:  # a new reader: whatever the hub delivers from now on
        return 0, []
    latest = selectors.event_latest_id(channel)
    last_id = cursor_clamp(last_id, latest)
    events = events_since(last_id, channel)
    if events is None:
        return latest, [_reset_message(latest, channel)]
    messages = [live.message_for(event) for event in events]
    return (messages[-1].id if messages else last_id), messages


def _replay_in_thread(last_id: int, channel: str) -> tuple[int, list[live.Message]]:
    try:
        return replay(last_id, channel)
    finally:
        # A stream lasts hours: release the connection now, as Django does after a request.
        close_old_connections()


def retry_frame() -> bytes:
    return f"retry: {settings.VESTNIK_FEED_RETRY_MS}\n\n".encode()


# --- an open stream --------------------------------------------------------------------------


class Stream:
    """One reader's open stream: its place in the event log and its subscription to the hub."""

    __slots__ = ("subscriber", "last_id", "opening")

    def __init__(self, subscriber: live.Subscriber, last_id: int, opening: bytes):
        self.subscriber = subscriber
        self.last_id = last_id
        self.opening = opening  # what the response starts with: `retry:`, then the replay

    @classmethod
    async def open(cls, last_id: int | None, channel: str = "") -> "Stream":
        """Subscribe to `channel` first (nothing committed from then on is missed), then replay."""
        subscriber = live.hub.subscribe(channel)
        try:  # a new reader (no cursor) needs no database, hence no thread hop
            last_id, messages = (
                (0, [])
                if last_id is None
                else await sync_to_async(_replay_in_thread)(last_id, channel)
            )
        except Exception as exc:
            live.hub.unsubscribe(subscriber)
            logger.exception("feed stream: replay failed")
            raise Refused(503, UNAVAILABLE, {"Retry-After": "30"}) from exc
        opening = retry_frame() + b"".join(message.sse for message in messages)
        return cls(subscriber, last_id, opening)

    async def next(self) -> bytes | None:
        """The next bytes to send: new events, or the heartbeat after VESTNIK_FEED_HEARTBEAT
        quiet seconds; None once the stream is closed (the client went away)."""
        while True:
            messages = await self.subscriber.take(settings.VESTNIK_FEED_HEARTBEAT)
            if self.subscriber.closed:
                return None
            if not messages:
                return PING
            self.last_id, body = live.frames(messages, self.last_id)
            if body:
                return body

    def close(self) -> None:
        """The client went away or the response ended: `next` gives None, the hub lets go.
        Safe to call more than once."""
        self.subscriber.close()
        live.hub.unsubscribe(self.subscriber)
