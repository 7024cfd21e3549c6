"""HTTP concerns shared by every reader response."""

import gzip
import logging
import time

import brotli
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: no third-party referrer leaks, no sniffing of features."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), microphone=(), camera=()"
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


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


def _cacheable_request(request) -> bool:
    from django.conf import settings

    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(tuple(settings.VESTNIK_PAGE_CACHE_EXCLUDE)):
        return False
    return not _logged_in(request)


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


def _accepts(request, encoding: str) -> bool:
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    return any(part.split(";")[0].strip() == encoding for part in accepted.split(","))


def _pick(request, bodies: dict) -> str:
    for encoding in ("br", "gzip"):
        if encoding in bodies and _accepts(request, encoding):
            return encoding
    return "identity"


def _from_entry(request, entry, state: str) -> HttpResponse:
    from django.conf import settings

    last_modified = http_date(entry.started)
    headers = {
        "ETag": entry.etag,
        "Last-Modified": last_modified,
        "Cache-Control": (
            f"public, max-age=0, s-maxage={settings.VESTNIK_PAGE_CACHE_TTL}, "
            f"stale-while-revalidate={settings.VESTNIK_STALE_WHILE_REVALIDATE}, "
            f"stale-if-error={settings.VESTNIK_STALE_IF_ERROR}"
        ),
        "X-Cache": state,
        "Age": str(int(entry.age(time.time()))),
    }
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        encoding = _pick(request, entry.bodies)
        response = HttpResponse(entry.bodies[encoding], status=entry.status)
        response["Content-Type"] = entry.content_type
        if encoding != "identity":
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(entry.bodies[encoding]))
        for name, value in entry.headers.items():
            response[name] = value
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    return response


def _not_modified(request, entry) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return entry.etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")
    return if_modified_since is not None and int(entry.started) <= if_modified_since


def _compressed(request, response):
    """Text responses outside the page cache, compressed per request (never event streams)."""
    from . import cache

    if response.streaming or response.has_header("Content-Encoding"):
        return response
    if not cache.compressible(response.get("Content-Type", "")) or len(response.content) < 200:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if _accepts(request, "br"):
        response.content = brotli.compress(response.content, quality=4)
        response["Content-Encoding"] = "br"
    elif _accepts(request, "gzip"):
        response.content = gzip.compress(response.content, compresslevel=6, mtime=0)
        response["Content-Encoding"] = "gzip"
    else:
        return response
    response["Content-Length"] = str(len(response.content))
    if response.has_header("ETag"):  # a compressed body is a different representation
        response["ETag"] = response["ETag"].rstrip('"') + f'-{response["Content-Encoding"]}"'
    return response
