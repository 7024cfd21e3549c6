"""Reader endpoints of the feed: the full page, the event stream, the JSON of latest items."""

import asyncio

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import live, selectors
from .services import entry_data

BAD_CURSOR = "Неверный номер события: нужен целый неотрицательный номер."


def feed_page(request):
    """«Лента новостей» in full: every line, newest first, keyset pages; live on the first page."""
    last_event_id = selectors.event_latest_id()  # before the lines, as in the sidebar
    try:
        page = selectors.feed_page(cursor=request.GET.get("before"))
    except selectors.InvalidCursor as exc:
        raise Http404("Неверная ссылка на страницу ленты") from exc
    return render(request, "feed/feed_page.html", {"feed": page, "last_event_id": last_event_id})


def _event_id(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ValueError(value)
    return int(value)


def _reset_message(latest_id: int) -> live.Message:
    """Too far behind to replay: here is the whole current list instead."""
    items = [
        render_to_string("feed/includes/feed_item.html", {"item": item}).strip()
        for item in selectors.feed_latest()
    ]
    return live.message(latest_id, {"id": latest_id, "kind": "reset", "items": items})


def _replay(last_id: int | None) -> tuple[int, list[live.Message]]:
    """Where a stream starts: the changes after `last_id` (none for a new reader), in order."""
    if last_id is None:  # a new reader: whatever the hub delivers from now on
        return 0, []
    latest = selectors.event_latest_id()
    limit = settings.VESTNIK_FEED_REPLAY_MAX
    messages = live.messages_after(last_id, limit + 1)
    pruned = last_id + 1 < selectors.event_oldest_id()
    if len(messages) > limit or (pruned and latest > last_id):
        return latest, [_reset_message(latest)]
    return (messages[-1].id if messages else last_id), messages


async def _stream(last_id: int | None):
    subscriber = live.hub.subscribe()  # first, so nothing committed from now on is missed
    try:
        last_id, replay = await sync_to_async(_replay)(last_id)
        yield f"retry: {settings.VESTNIK_FEED_RETRY_MS}\n\n".encode()
        if replay:
            yield b"".join(message.sse for message in replay)
        while True:
            try:
                # asyncio.timeout, not wait_for: no extra task per message on every stream.
                async with asyncio.timeout(settings.VESTNIK_FEED_HEARTBEAT):
                    messages = [await subscriber.queue.get()]
            except TimeoutError:
                yield b": ping\n\n"  # keeps proxies from closing an idle stream
                continue
            while not subscriber.queue.empty():  # a backlog goes out as one write
                messages.append(subscriber.queue.get_nowait())
            fresh = [message for message in messages if message.id > last_id]  # else replayed
            if fresh:
                last_id = fresh[-1].id
                yield b"".join(message.sse for message in fresh)
    finally:
        live.hub.unsubscribe(subscriber)


@require_GET
async def feed_stream(request):
    """Server-Sent Events: every change of the feed; resumes after `Last-Event-ID` (or `?last_id=`)."""
    try:
        last_id = _event_id(request.headers.get("Last-Event-ID") or request.GET.get("last_id"))
    except ValueError:
        return HttpResponseBadRequest(BAD_CURSOR, content_type="text/plain; charset=utf-8")
    if not isinstance(request, ASGIRequest):
        # A WSGI server (runserver, test live servers) would buffer an endless stream and hold a
        # thread for good. 204 tells EventSource to stop; the page keeps its plain list.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(_stream(last_id), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


@require_GET
def feed_latest_json(request):
    """The latest lines for polling clients and CDNs; `?since=<event id>` gives only the changes since.

    The body depends only on (newest event id, since), so that pair is the ETag: a poll that finds
    nothing new costs one indexed query and a 304.
    """
    try:
        since = _event_id(request.GET.get("since"))
    except ValueError:
        return JsonResponse(
            {"error": BAD_CURSOR}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    latest = selectors.event_latest_id()
    etag = f'"feed-{latest}-{"" if since is None else since}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(
            _latest_body(latest, since), json_dumps_params={"ensure_ascii": False}
        )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.VESTNIK_FEED_JSON_MAX_AGE)
    return response


def _latest_body(latest: int, since: int | None) -> dict:
    limit = settings.VESTNIK_FEED_REPLAY_MAX
    if since is not None and since + 1 >= selectors.event_oldest_id():
        events = selectors.events_after(since, limit + 1)
        if len(events) <= limit:
            return {
                "cursor": events[-1].id if events else max(since, latest),
                "changes": [
                    {"id": event.id, "kind": event.kind, **event.data, "key": event.key}
                    for event in events
                ],
            }
    # First poll, or too far behind: the whole list.
    return {
        "cursor": latest,
        "reset": since is not None,
        "items": [entry_data(e) for e in selectors.feed_latest()],
    }
