"""Page-cache hits served before Django: the ASGI layer `vestnik/asgi.py` puts in front.

A fresh cached page for an anonymous reader needs no request object, middleware chain or thread
hop. This adapter only reads the scope: it asks the page cache (cache.py, which PageCacheMiddleware
asks too) for the entry under the same key, whether it is fresh by the purge times this process
read in the last VESTNIK_PAGE_CACHE_TAG_MEMO seconds, and for the answer, then adds the headers
the middleware chain would (a test compares the two). Anything it cannot decide alone goes to
Django unchanged: a session cookie, lite-mode signals, a stale or missing entry, purge times not
read lately (Django reads them and the next hit is served here).
"""

import time

from django.conf import settings

from . import cache


def _request_headers(scope) -> dict[str, str]:
    headers = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1")
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]},{text}" if key in headers else text
    return headers


def _secure(scope, headers) -> bool:
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, expected = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").replace("_", "-").lower()
        if name in headers:
            return headers[name].split(",")[0].strip() == expected
    return scope.get("scheme") == "https"


def _decidable(scope, headers) -> bool:
    """True when Django would treat this request as an anonymous full-page read."""
    path = scope.get("root_path", "") + scope["path"]
    if not (settings.VESTNIK_PAGE_CACHE and cache.cacheable_path(scope["method"], path)):
        return False
    if settings.VESTNIK_LITE_NETWORKS or b"lite=" in scope.get("query_string", b""):
        return False
    if settings.VESTNIK_LITE_HEADER and settings.VESTNIK_LITE_HEADER.lower() in headers:
        return False
    cookies = headers.get("cookie", "")
    if f"{settings.SESSION_COOKIE_NAME}=" in cookies:
        return False  # perhaps logged in: Django decides
    if settings.SECURE_SSL_REDIRECT and not _secure(scope, headers):
        return False
    return True


def _key(scope, headers) -> str | None:
    host = headers.get("host")
    if settings.USE_X_FORWARDED_HOST and "x-forwarded-host" in headers:
        host = headers["x-forwarded-host"].split(",")[-1].strip()
    if not host:
        return None
    path = scope.get("root_path", "") + scope["path"]
    return cache.page_key_asgi(host, path, scope.get("query_string", b""))


def _hit(scope):
    """(status, headers, body) for a fresh cached copy, or None: let Django answer."""
    headers = _request_headers(scope)
    if not _decidable(scope, headers):
        return None
    key = _key(scope, headers)
    entry = cache.entry_get(key) if key else None
    if entry is None:
        return None
    purged = cache.purged_times_memo(entry.watched)
    if purged is None or not cache.entry_fresh(entry, purged, time.time()):
        return None
    status, answer, body = cache.answer(
        entry,
        "HIT",
        headers.get("accept-encoding", ""),
        headers.get("if-none-match"),
        headers.get("if-modified-since"),
    )
    for name, value in cache.reader_headers(_secure(scope, headers)):
        answer.setdefault(name, value)
    if scope["method"] == "HEAD":
        body = b""
    return status, answer, body


def cached_pages(app):
    """Wrap the Django ASGI app: fresh page-cache hits never reach it."""

    async def application(scope, receive, send):
        if scope["type"] == "http":
            hit = _hit(scope)
            if hit is not None:
                status, headers, body = hit
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": [
                            (name.lower().encode("latin-1"), value.encode("latin-1"))
                            for name, value in headers.items()
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return application
