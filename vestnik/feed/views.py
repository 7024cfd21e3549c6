"""Reader endpoints of the feed: the full page, the event stream, the JSON of latest items."""

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from vestnik.core.paging import InvalidCursor

from . import selectors, stream
from .services import entry_data


def feed_page(request):
    """«Лента новостей» in full: every line, newest first, keyset pages; live on the first page."""
    last_event_id = selectors.event_latest_id()  # before the lines, as in the sidebar
    try:
        page = selectors.feed_page(cursor=request.GET.get("before"))
    except InvalidCursor as exc:
        raise Http404("Неверная ссылка на страницу ленты") from exc
    return render(request, "feed/feed_page.html", {"feed": page, "last_event_id": last_event_id})


async def _events(opened: stream.Stream):
    try:
        yield opened.opening
        while (body := await opened.next()) is not None:
            yield body
    finally:
        opened.close()


@csrf_exempt  # it takes GET only (stream.cursor): a POST gets the same 405 as from feed/asgi.py
async def feed_stream(request):
    """The event stream (stream.py) as Django serves it: its URL name, WSGI servers and an ASGI
    server started on Django alone. vestnik/asgi.py hands the path to feed/asgi.py instead."""
    try:
        last_id = stream.cursor(
            request.method, request.headers.get("Last-Event-ID"), request.GET.get("last_id")
        )
        channel = stream.channel_parse(request.GET.get("channel"))
        if not isinstance(request, ASGIRequest):
            # A WSGI server (runserver, test live servers) would buffer an endless stream and
            # hold a thread for good. 204 tells EventSource to stop; the page keeps its list.
            return HttpResponse(status=204)
        opened = await stream.Stream.open(last_id, channel)
    except stream.Refused as refusal:
        return HttpResponse(
            str(refusal.text),
            status=refusal.status,
            content_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "no-store", **refusal.headers},
        )
    return StreamingHttpResponse(_events(opened), headers=stream.HEADERS)


@require_safe
def feed_latest_json(request):
    """The latest lines for polling clients and CDNs; `?since=<event id>` gives only the changes since.

    The body depends only on (newest event id, since), so that pair is the ETag: a poll that finds
    nothing new costs one indexed query and a 304.
    """
    try:
        since = stream.event_id_parse(request.GET.get("since"))
    except ValueError:
        return JsonResponse(
            {"error": str(stream.BAD_CURSOR)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    latest = selectors.event_latest_id()
    if since is not None:
        since = stream.cursor_clamp(since, latest)
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
    events = None if since is None else stream.events_since(since)
    if events is not None:
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
