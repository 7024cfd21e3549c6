"""Live delivery of feed events to the event streams open in this process.

granian runs several worker processes, so a change made in one must reach streams held by
the others. Each process runs one follower thread (not one per stream) that learns about new
`FeedEvent` rows and fans them out to its streams (`Subscriber`s):

- without REDIS_URL it polls `max(id)` of the event log every VESTNIK_FEED_POLL_INTERVAL seconds;
- with REDIS_URL it waits on a Redis pub/sub channel for "event N committed" wake-ups and then
  reads the rows (the database stays the one ordered source; a lost wake-up is caught by a slow
  safety poll).

Each event is encoded here once per process (`Message`); what a stream sends around it and where
it starts (cursor, replay, heartbeat) is stream.py.

Every stream follows one channel of the log: "" (the news feed) or a broadcast's ("live-42").
The follower still reads each new row once, whatever its channel, and hands it only to the
streams of its channel (`Hub._channels`: channel → streams; a channel nobody follows has no
entry, so an idle channel costs nothing).
"""

import asyncio
import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

import redis
from django.conf import settings
from django.db import close_old_connections
from django.template.loader import render_to_string

from . import selectors

logger = logging.getLogger(__name__)

_REDIS_SAFETY_POLL = 5.0  # seconds between catch-up reads when Redis wake-ups are used
_BATCH = 500


def channel() -> str:
    """The pub/sub channel: per database, so parallel sites (and test runs) on one Redis don't cross."""
    if settings.VESTNIK_FEED_CHANNEL:
        return settings.VESTNIK_FEED_CHANNEL
    return f"vestnik-feed:{settings.DATABASES['default']['NAME']}"


_redis_client = None


def _redis():
    global _redis_client
    if _redis_client is None:
        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2
        )
    return _redis_client


def notify(event_id: int) -> None:
    """Called after commit: wake this process's follower and, with Redis, every other process's."""
    hub.wake()
    if not settings.REDIS_URL:
        return
    try:
        _redis().publish(channel(), str(event_id))
    except Exception:  # the row is committed; followers' safety poll delivers it anyway
        logger.warning("feed: could not publish event %s to Redis", event_id, exc_info=True)


@dataclass(frozen=True)
class Message:
    """One event as a ready SSE frame: encoded once per process, written as is to every stream."""

    id: int
    sse: bytes
    channel: str = ""


def message(event_id: int, payload: dict, channel: str = "") -> Message:
    data = json.dumps(payload, ensure_ascii=False)
    return Message(event_id, f"id: {event_id}\ndata: {data}\n\n".encode(), channel)


def message_for(event) -> Message:
    """The payload a stream sends: the change, and for a line its text and ready-made list item.
    A broadcast channel's event carries what its writer gave (`services.channel_event`): the
    ready `html` and its data, as is."""
    payload = {"id": event.pk, "kind": event.kind, "key": event.key}
    if event.channel:
        return message(event.pk, {**event.data, **payload}, event.channel)
    if event.kind == "upsert":
        # Events written before subtitles and markers lack them.
        item = SimpleNamespace(**{"subtitle": "", "online": False, "breaking": False, **event.data})
        item.published_at = datetime.fromisoformat(event.data["published_at"])
        payload.update(
            pinned=item.pinned,
            title=item.title,
            subtitle=item.subtitle,
            ts=item.published_at.timestamp(),
            html=render_to_string("feed/includes/feed_item.html", {"item": item}).strip(),
        )
    return message(event.pk, payload)


def messages_after(last_id: int, limit: int = _BATCH) -> list[Message]:
    """The log's new rows after `last_id`, every channel, encoded: what the follower dispatches."""
    return [message_for(event) for event in selectors.log_events_after(last_id, limit)]


class Subscriber:
    """One open stream of this process: the hub pushes messages (on the stream's event loop), the
    stream's coroutine takes them all at once. No queue and no task per message: a push appends
    to a list and resolves the one future the stream is waiting on."""

    __slots__ = ("loop", "channel", "pending", "waiter", "closed")

    def __init__(self, loop: asyncio.AbstractEventLoop, channel: str = ""):
        self.loop = loop
        self.channel = channel
        self.pending: list[Message] = []
        self.waiter: asyncio.Future | None = None
        self.closed = False

    def push(self, messages: list[Message]) -> None:
        self.pending.extend(messages)
        self._wake()

    def close(self) -> None:
        """The client went away: the stream's coroutine returns from `take` and ends."""
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def take(self, timeout: float) -> list[Message]:
        """Everything pushed since the last call; [] when `timeout` seconds pass without any
        (time for a heartbeat) or when the stream is closed."""
        if not self.pending and not self.closed:
            self.waiter = waiter = self.loop.create_future()
            timer = self.loop.call_later(timeout, _resolve, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self.waiter = None
        messages, self.pending = self.pending, []
        return messages


def _resolve(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


def frames(messages: list[Message], after: int) -> tuple[int, bytes]:
    """The SSE bytes of the messages newer than `after` (older ones were replayed), and the new
    cursor. The cursor only moves forward, so an id goes out once even when a stream takes two
    pushes at once ([one] then [two, one])."""
    fresh = []
    for message in messages:
        if message.id > after:
            fresh.append(message)
            after = message.id
    if not fresh:
        return after, b""
    body = fresh[0].sse if len(fresh) == 1 else b"".join(message.sse for message in fresh)
    return after, body


class Hub:
    """This process's streams and the one follower thread that feeds them."""

    def __init__(self):
        self._subscribers: set[Subscriber] = set()  # every open stream of the process
        self._channels: dict[str, set[Subscriber]] = {}  # the same, by channel; no empty sets
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_id: int | None = None

    def subscribe(self, channel: str = "") -> Subscriber:
        subscriber = Subscriber(asyncio.get_running_loop(), channel)
        with self._lock:
            self._subscribers.add(subscriber)
            self._channels.setdefault(channel, set()).add(subscriber)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="feed-follower", daemon=True)
                self._thread.start()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(subscriber)
            followers = self._channels.get(subscriber.channel)
            if followers is not None:
                followers.discard(subscriber)
                if not followers:  # the last reader of a channel left: forget the channel
                    del self._channels[subscriber.channel]

    def wake(self) -> None:
        self._wake.set()

    # --- the follower thread -------------------------------------------------------------------

    def _run(self):
        while True:
            try:
                if settings.REDIS_URL:
                    self._follow_redis()
                else:
                    self._follow_database()
            except Exception:
                logger.exception("feed follower failed; restarting in 1 s")
                close_old_connections()
                self._wake.wait(1.0)

    def _follow_database(self):
        while True:
            self._catch_up()
            self._wake.wait(settings.VESTNIK_FEED_POLL_INTERVAL)
            self._wake.clear()

    def _follow_redis(self):
        pubsub = _redis().pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channel())  # before the first read, so nothing falls in between
        try:
            while True:
                self._catch_up()
                pubsub.get_message(timeout=_REDIS_SAFETY_POLL)
                while pubsub.get_message(timeout=0):  # several wake-ups, one read
                    pass
        finally:
            pubsub.close()

    def _catch_up(self):
        try:
            latest = selectors.log_latest_id()
            if self.last_id is None:
                self.last_id = latest
            while latest > self.last_id:
                messages = messages_after(self.last_id)
                if not messages:
                    break
                self.last_id = messages[-1].id
                self._dispatch(messages)
        finally:
            close_old_connections()

    def _dispatch(self, messages: list[Message]):
        """Each message to the streams of its channel: one hop per event loop for the batch."""
        by_channel: dict[str, list[Message]] = {}
        for message in messages:
            by_channel.setdefault(message.channel, []).append(message)
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[list[Subscriber], list[Message]]]] = {}
        with self._lock:
            for channel, batch in by_channel.items():
                groups: dict[asyncio.AbstractEventLoop, list[Subscriber]] = {}
                for subscriber in self._channels.get(channel, ()):
                    groups.setdefault(subscriber.loop, []).append(subscriber)
                for loop, subscribers in groups.items():
                    by_loop.setdefault(loop, []).append((subscribers, batch))
        for loop, deliveries in by_loop.items():
            try:
                loop.call_soon_threadsafe(_deliver, deliveries)
            except RuntimeError:  # loop closed: its streams are gone
                for subscribers, _batch in deliveries:
                    for subscriber in subscribers:
                        self.unsubscribe(subscriber)


def _deliver(deliveries: list[tuple[list[Subscriber], list[Message]]]):
    for subscribers, messages in deliveries:
        for subscriber in subscribers:
            subscriber.push(messages)


hub = Hub()
