"""HTTP concerns shared by every reader response."""

import gzip
import logging
import time

import brotli
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from . import csp

logger = logging.getLogger(__name__)


SECURITY_HEADERS = {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "geolocation=(), microphone=(), camera=()",
    "X-Content-Type-Options": "nosniff",
}


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: no third-party referrer leaks, no sniffing
    of features, and the Content-Security-Policy (csp.py; the admin gets its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not getattr(request, "is_dummy", False):
            # A Wagtail preview renders the page through a dummy request at its reader URL inside
            # an admin request (framed by the editor), which adds the admin's policy on the way out.
            response.headers.setdefault(*csp.header_for(request.path))
        return response


def reader_headers(secure: bool) -> list[tuple[str, str]]:
    """What the middleware chain (settings.MIDDLEWARE) adds to a page-cache hit for an anonymous
    reader, for the ASGI hit path (asgi.py), which skips it. A test compares both answers."""
    from django.conf import settings

    vary = ["Accept-Encoding", "Cookie", "Accept-Language"]  # page cache, then LocaleMiddleware
    if settings.VESTNIK_LITE_HEADER:
        vary.append(settings.VESTNIK_LITE_HEADER)  # LiteModeMiddleware
    headers = [
        ("Vary", ", ".join(vary)),
        ("Content-Language", settings.LANGUAGE_CODE),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        *SECURITY_HEADERS.items(),
        csp.header_for("/"),  # the ASGI hit path serves reader pages only, never /admin/
    ]
    # django.middleware.security.SecurityMiddleware
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    return headers


class PageCacheMiddleware:
    """Whole-page cache for anonymous readers, HTTP validators and compression (see cache.py).

    Goes last in MIDDLEWARE: it needs `request.user` and `request.lite_mode` (absent → False)
    and wraps only the view. Logged-in users, previews (under /admin/) and responses that set
    cookies or use a CSRF token are never stored nor served from the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        from . import cache, replicas

        request.cache_tags = set(settings.VESTNIK_PAGE_CACHE_SITE_TAGS)
        if not (settings.VESTNIK_PAGE_CACHE and _cacheable_request(request)):
            _share_site(request)
            response = self.get_response(request)
            if _logged_in(request):
                patch_cache_control(response, private=True, no_cache=True)
            return _compressed(request, response)

        key = cache.page_key(request)
        now = time.time()
        entry = cache.entry_get(key)
        if entry is not None:
            purged = cache.purged_times(entry.tags)
            young = entry.age(now) < settings.VESTNIK_PAGE_CACHE_TTL
            if purged is None:  # the tag store is down: the copy is the best there is
                return _from_entry(request, entry, "STALE")
            if young and cache.is_fresh(entry.tags, entry.started, purged):
                return _from_entry(request, entry, "HIT")
            if not cache.render_lock(key):  # another request is re-rendering it right now
                return _from_entry(request, entry, "STALE")
            request._stale_entry = entry
            replicas.primary_after_purge(purged, now)
            try:
                return self._render(request, key)
            finally:
                cache.render_unlock(key)
        if replicas.enabled():  # a page not cached yet may be an article just published
            replicas.primary_after_purge(cache.purged_times(request.cache_tags) or {}, now)
        return self._render(request, key)

    def _render(self, request, key):
        from . import cache

        started = time.time()
        _share_site(request)
        response = self.get_response(request)
        served_stale = getattr(request, "_served_stale", False)
        if not served_stale and _storable(request, response):
            entry = cache.Entry.build(response, request.cache_tags, started)
            cache.entry_set(key, entry)
            return _from_entry(request, entry, "MISS")
        return _compressed(request, response)

    def process_exception(self, request, exception):
        """The database is down: the last copy if there is one (stale-if-error), else a Russian 503."""
        from django.db import DatabaseError

        if not isinstance(exception, DatabaseError):
            return None
        logger.error("database unavailable: %s", exception)
        entry = getattr(request, "_stale_entry", None)
        if entry is not None:
            request._served_stale = True
            return _from_entry(request, entry, "STALE")
        return service_unavailable(request)


def _share_site(request) -> None:
    """Hand Wagtail the shared Site (cache.site_for) before the view asks for it."""
    from django.conf import settings

    from . import cache

    if settings.VESTNIK_FRAGMENT_CACHE:
        site = cache.site_for(request)
        if site is not None:
            request._wagtail_site = site  # what Site.find_for_request() would look up


def service_unavailable(request):
    from django.conf import settings
    from django.template.loader import render_to_string

    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.VESTNIK_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _logged_in(request) -> bool:
    from django.conf import settings

    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session: no database look-up for anonymous readers
    try:
        return request.user.is_authenticated
    except Exception:  # the session store is down: never risk serving a shared copy
        logger.warning("session unavailable", exc_info=True)
        return True


def cacheable_path(method: str, path: str) -> bool:
    """A read of a page the cache may hold (here and in the ASGI hit path, asgi.py)."""
    from django.conf import settings

    return method in ("GET", "HEAD") and not path.startswith(
        tuple(settings.VESTNIK_PAGE_CACHE_EXCLUDE)
    )


def _cacheable_request(request) -> bool:
    return cacheable_path(request.method, request.path) and not _logged_in(request)


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page carries a per-visitor CSRF token
    if getattr(request, "is_preview", False):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _accepts(accepted: str, encoding: str) -> bool:
    return any(part.split(";")[0].strip() == encoding for part in accepted.split(","))


def _pick(accepted: str, bodies: dict) -> str:
    for encoding in ("br", "gzip"):
        if encoding in bodies and _accepts(accepted, encoding):
            return encoding
    return "identity"


def entry_answer(entry, accept_encoding: str, if_none_match, if_modified_since, state: str):
    """(status, headers, body) for a cached entry: what PageCacheMiddleware and the ASGI hit path
    (asgi.py) both send. Conditional requests get a 304 without a body."""
    from django.conf import settings

    headers = {
        "ETag": entry.etag,
        "Last-Modified": http_date(entry.started),
        "Cache-Control": (
            f"public, max-age=0, s-maxage={settings.VESTNIK_PAGE_CACHE_TTL}, "
            f"stale-while-revalidate={settings.VESTNIK_STALE_WHILE_REVALIDATE}, "
            f"stale-if-error={settings.VESTNIK_STALE_IF_ERROR}"
        ),
        "X-Cache": state,
        "Age": str(int(entry.age(time.time()))),
    }
    if settings.VESTNIK_PROXY_CACHE_SECONDS and state in ("HIT", "MISS"):
        headers["X-Accel-Expires"] = str(settings.VESTNIK_PROXY_CACHE_SECONDS)
    if _not_modified(entry, if_none_match, if_modified_since):
        return 304, headers, b""
    encoding = _pick(accept_encoding, entry.bodies)
    body = entry.bodies[encoding]
    answer = {"Content-Type": entry.content_type}
    if encoding != "identity":
        answer["Content-Encoding"] = encoding
    answer["Content-Length"] = str(len(body))
    answer.update(entry.headers)
    answer.update(headers)
    return entry.status, answer, body


def _from_entry(request, entry, state: str) -> HttpResponse:
    status, headers, body = entry_answer(
        entry,
        request.META.get("HTTP_ACCEPT_ENCODING", ""),
        request.META.get("HTTP_IF_NONE_MATCH"),
        request.META.get("HTTP_IF_MODIFIED_SINCE"),
        state,
    )
    response = HttpResponseNotModified() if status == 304 else HttpResponse(body, status=status)
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    return response


def _not_modified(entry, if_none_match, if_modified_since) -> bool:
    if if_none_match is not None:
        return entry.etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    if_modified_since = parse_http_date_safe(if_modified_since or "")
    return if_modified_since is not None and int(entry.started) <= if_modified_since


def _compressed(request, response):
    """Text responses outside the page cache, compressed per request (never event streams)."""
    from . import cache

    if response.streaming or response.has_header("Content-Encoding"):
        return response
    if not cache.compressible(response.get("Content-Type", "")) or len(response.content) < 200:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if _accepts(accepted, "br"):
        response.content = brotli.compress(response.content, quality=4)
        response["Content-Encoding"] = "br"
    elif _accepts(accepted, "gzip"):
        response.content = gzip.compress(response.content, compresslevel=6, mtime=0)
        response["Content-Encoding"] = "gzip"
    else:
        return response
    response["Content-Length"] = str(len(response.content))
    if response.has_header("ETag"):  # a compressed body is a different representation
        response["ETag"] = response["ETag"].rstrip('"') + f'-{response["Content-Encoding"]}"'
    return response
