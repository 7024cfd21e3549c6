"""Request size limits in the ASGI layer, in front of everything (vestnik/asgi.py wraps it).

Django's ASGI handler reads the whole body into a temporary file before any view or middleware
runs, so a limit in Django comes after the disk has filled. Here a body is refused by its
`Content-Length` before a byte is read, and a chunked one as soon as the bytes received pass
the limit: the reader gets a Russian 413 and the app sees a disconnect (Django then answers
nothing and spools nothing more). The limit is small for readers' forms and large only for
the newsroom under /admin/ (uploads); nginx applies the same split in production.

Addresses and headers longer than any page needs get 414 / 431 here too, with a Russian page,
below granian's own limit (its HTTP/1 buffer, 408 KB), which answers with an empty body.
"""

from django.conf import settings

from vestnik.core.asgi import HTML, answer

from .status_pages import status_html

ADMIN_PREFIX = "/admin/"


def body_limit(path: str) -> int:
    """The largest body accepted for `path`, in bytes."""
    if path.startswith(ADMIN_PREFIX):
        return settings.VESTNIK_ADMIN_MAX_BODY_MB * 1024 * 1024
    return settings.VESTNIK_PUBLIC_MAX_BODY_KB * 1024


def _too_long(scope) -> int | None:
    """414 or 431 when the address or the headers are longer than the site accepts."""
    target = len(scope.get("raw_path") or scope["path"].encode()) + len(
        scope.get("query_string", b"")
    )
    if target > settings.VESTNIK_MAX_URL_BYTES:
        return 414
    headers = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
    if headers > settings.VESTNIK_MAX_HEADER_BYTES:
        return 431
    return None


def _declared_length(scope) -> int | None:
    """Content-Length as sent; None when absent or not a number (the bytes are counted anyway)."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit():
            return int(value)
    return None


async def _answer(send, status: int) -> None:
    await answer(
        send,
        status,
        status_html(status),
        content_type=HTML,
        headers=[(b"connection", b"close")],  # the rest of the body is never read
    )


def request_limits(app):
    """Wrap an ASGI app: bodies past `body_limit`, addresses and headers past their limits are
    refused before the app reads them."""

    async def application(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        status = _too_long(scope)
        limit = body_limit(scope["path"])
        declared = _declared_length(scope)
        if status is None and declared is not None and declared > limit:
            status = 413
        if status is not None:
            return await _answer(send, status)

        received = 0
        refused = False

        async def counted_receive():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # chunked, or more than Content-Length said
                    refused = True
                    await _answer(send, 413)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:  # once 413 is sent, whatever the app answers is dropped
                await send(message)

        await app(scope, counted_receive, guarded_send)

    return application
