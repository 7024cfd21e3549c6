"""The event stream (`paths.STREAM`) as a raw ASGI app, in front of Django (vestnik/asgi.py
dispatches to it): an adapter over stream.py, as the Django view (views.feed_stream) is.

Thousands of streams stay open for hours and each event goes to all of them, so the per-stream
cost is what counts. Django would run its middleware chain for every stream, keep two tasks and
a request object per stream, and pass every event through three async generators and its
response-chunking before the ASGI `send`. Here a stream is one coroutine and one small task (the
disconnect watcher); an event, encoded once per process (live.Message), is one `send` per stream.

What Django would do and the core does not: the host is checked against ALLOWED_HOSTS here.
"""

import asyncio
from urllib.parse import parse_qs

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vestnik.core.asgi import answer, header

from . import stream

BAD_HOST = _("The site address in the request is wrong.")

_HEADERS = [(name.lower().encode(), value.encode()) for name, value in stream.HEADERS.items()]


def _host_allowed(scope) -> bool:
    """Django's ALLOWED_HOSTS check (what `request.get_host()` does), without building a request."""
    host = header(scope, b"host") or ""
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


async def _refuse(send, refusal: stream.Refused) -> None:
    with translation.override(settings.LANGUAGE_CODE):  # no LocaleMiddleware out here
        text = str(refusal.text)
    headers = [(name.lower().encode(), value.encode()) for name, value in refusal.headers.items()]
    await answer(send, refusal.status, text.encode(), headers=headers)


async def _watch_disconnect(receive, opened: stream.Stream) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            opened.close()
            return


async def stream_app(scope, receive, send) -> None:
    """Server-Sent Events: every change of the feed, or of `?channel=`'s (a live broadcast);
    resumes after `Last-Event-ID` (or `?last_id=`)."""
    try:
        if not _host_allowed(scope):  # first, as in Django (CommonMiddleware)
            raise stream.Refused(400, BAD_HOST)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        last_id = stream.cursor(
            scope["method"],
            header(scope, b"last-event-id"),
            (query.get("last_id") or [None])[0],
        )
        channel = stream.channel_parse((query.get("channel") or [None])[0])
        opened = await stream.Stream.open(last_id, channel)
    except stream.Refused as refusal:
        await _refuse(send, refusal)
        return

    watcher = asyncio.ensure_future(_watch_disconnect(receive, opened))
    try:
        await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
        await send({"type": "http.response.body", "body": opened.opening, "more_body": True})
        while (body := await opened.next()) is not None:
            await send({"type": "http.response.body", "body": body, "more_body": True})
    except OSError:  # the client went away mid-write
        pass
    finally:
        opened.close()
        watcher.cancel()
