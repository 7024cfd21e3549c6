"""`/news/stream/` as a raw ASGI app, in front of Django (vestnik/asgi.py dispatches to it).

Thousands of streams stay open for hours and each event goes to all of them, so the per-stream
cost is what counts. Django would run its middleware chain for every stream, keep two tasks and
a request object per stream, and pass every event through three async generators and its
response-chunking before the ASGI `send`. Here a stream is one coroutine and one small task (the
disconnect watcher); an event, encoded once per process (live.Message), is one `send` per stream.

Same behaviour as the Django view (views.feed_stream), which stays for WSGI and tests: GET only,
`Last-Event-ID` (or `?last_id=`) replay, heartbeat, `Cache-Control: no-cache`,
`X-Accel-Buffering: no`, never compressed, 400 with a Russian message for a bad cursor, host
checked against ALLOWED_HOSTS, 503 when the database cannot be read for the replay.
"""

import asyncio
import logging
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host

from . import live

logger = logging.getLogger(__name__)

PATH = "/news/stream/"

_STREAM_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
    (b"x-content-type-options", b"nosniff"),
]


async def _plain(send, status: int, text: str, headers=()) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def _host_allowed(scope) -> bool:
    """Django's ALLOWED_HOSTS check (what `request.get_host()` does), without building a request."""
    host = _header(scope, b"host") or ""
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


def _replay(last_id: int | None):
    try:
        return live.replay(last_id)
    finally:
        close_old_connections()  # what Django does at the end of a request


async def _watch_disconnect(receive, subscriber: live.Subscriber) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            subscriber.close()
            return


async def stream_app(scope, receive, send) -> None:
    """Server-Sent Events: every change of the feed; resumes after `Last-Event-ID` (or `?last_id=`)."""
    if scope["method"] != "GET":
        await _plain(send, 405, "Ленту событий можно только получать (GET).", [(b"allow", b"GET")])
        return
    if not _host_allowed(scope):
        await _plain(send, 400, "Неверный адрес сайта в запросе.")
        return
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    try:
        last_id = live.event_id_parse(
            _header(scope, b"last-event-id") or (query.get("last_id") or [None])[0]
        )
    except ValueError:
        await _plain(send, 400, live.BAD_CURSOR)
        return

    subscriber = live.hub.subscribe()  # first, so nothing committed from now on is missed
    watcher = asyncio.ensure_future(_watch_disconnect(receive, subscriber))
    try:
        try:  # a new reader (no cursor) needs no database, hence no thread hop
            last_id, replay = (0, []) if last_id is None else await sync_to_async(_replay)(last_id)
        except Exception:
            logger.exception("feed stream: replay failed")
            await _plain(send, 503, "Лента временно недоступна.", [(b"retry-after", b"30")])
            return
        await send({"type": "http.response.start", "status": 200, "headers": _STREAM_HEADERS})
        opening = live.retry_frame() + b"".join(message.sse for message in replay)
        await send({"type": "http.response.body", "body": opening, "more_body": True})
        heartbeat = settings.VESTNIK_FEED_HEARTBEAT
        while True:
            messages = await subscriber.take(heartbeat)
            if subscriber.closed:
                break
            if messages:
                last_id, body = live.frames(messages, last_id)
                if not body:
                    continue
            else:
                body = live.PING
            await send({"type": "http.response.body", "body": body, "more_body": True})
    except OSError:  # the client went away mid-write
        pass
    finally:
        live.hub.unsubscribe(subscriber)
        watcher.cancel()
