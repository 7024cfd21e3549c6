"""Reader endpoints of the feed: the full page, the event stream, the JSON of latest items."""

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
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_safe

from . import live, selectors
from .services import entry_data

BAD_CURSOR = live.BAD_CURSOR
_event_id = live.event_id_parse


def feed_page(request):
    """«Лента новостей» in full: every line, newest first, keyset pages; live on the first page."""
    last_event_id = selectors.event_latest_id()  # before the lines, as in the sidebar
    try:
        page = selectors.feed_page(cursor=request.GET.get("before"))
    except selectors.InvalidCursor as exc:
        raise Http404("Неверная ссылка на страницу ленты") from exc
    return render(request, "feed/feed_page.html", {"feed": page, "last_event_id": last_event_id})


async def _stream(last_id: int | None):
    """The stream as Django serves it (tests and servers that bypass vestnik.asgi's dispatch);
    under granian, vestnik/feed/asgi.py serves /news/stream/ with the same steps, cheaper."""
    subscriber = live.hub.subscribe()  # first, so nothing committed from now on is missed
    try:
        last_id, replay = await sync_to_async(live.replay)(last_id)
        yield live.retry_frame()
        if replay:
            yield b"".join(message.sse for message in replay)
        while True:
            messages = await subscriber.take(settings.VESTNIK_FEED_HEARTBEAT)
            if not messages:
                yield live.PING
                continue
            last_id, body = live.frames(messages, last_id)
            if body:
                yield body
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


@require_safe
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
    if since is not None:
        since = live.cursor_clamp(since, latest)
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
