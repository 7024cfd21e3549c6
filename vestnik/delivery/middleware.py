"""HTTP concerns shared by every reader response."""

import logging
import time

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import cache, csp, replicas
from .cache import SECURITY_HEADERS
from .tags import served_tags

logger = logging.getLogger(__name__)


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


class PageCacheMiddleware:
    """Whole-page cache for anonymous readers: Django's front door to cache.py (the ASGI hit path,
    asgi.py, is the other), storing what it renders.

    Goes last in MIDDLEWARE: it needs `request.user` and `request.lite_mode` (absent → False)
    and wraps only the view. Logged-in users, previews (under /admin/) and responses that set
    cookies or use a CSRF token are never stored nor served from the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # What the page shows, filled in while it renders (vestnik.core.events.cache_tags_add,
        # shared fragments); the parts that may lag (the feed sidebar) apart.
        request.cache_tags = set(settings.VESTNIK_PAGE_CACHE_SITE_TAGS)
        request.cache_lagging = {}
        request.cache_until = None  # vestnik.core.events.cache_until
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
            purged = cache.purged_times(entry.watched)
            if purged is None:  # the tag store is down: the copy is the best there is
                return _from_entry(request, entry, "STALE")
            if cache.entry_fresh(entry, purged, now):
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
        started = time.time()
        _share_site(request)
        response = self.get_response(request)
        served_stale = getattr(request, "_served_stale", False)
        if not served_stale and _storable(request, response):
            tags, lagging = served_tags(request)
            entry = cache.Entry.build(response, tags, started, lagging, request.cache_until)
            cache.entry_set(key, entry)
            return _from_entry(request, entry, "MISS")
        return _compressed(request, response)

    def process_exception(self, request, exception):
        """The database is down: the last copy if there is one (stale-if-error), else a Russian 503."""
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
    if settings.VESTNIK_FRAGMENT_CACHE:
        site = cache.site_for(request)
        if site is not None:
            request._wagtail_site = site  # what Site.find_for_request() would look up


def service_unavailable(request):
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.VESTNIK_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _logged_in(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session: no database look-up for anonymous readers
    try:
        return request.user.is_authenticated
    except Exception:  # the session store is down: never risk serving a shared copy
        logger.warning("session unavailable", exc_info=True)
        return True


def _cacheable_request(request) -> bool:
    return cache.cacheable_path(request.method, request.path) and not _logged_in(request)


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


def _from_entry(request, entry, state: str) -> HttpResponse:
    status, headers, body = cache.answer(
        entry,
        state,
        request.META.get("HTTP_ACCEPT_ENCODING", ""),
        request.META.get("HTTP_IF_NONE_MATCH"),
        request.META.get("HTTP_IF_MODIFIED_SINCE"),
    )
    response = HttpResponseNotModified() if status == 304 else HttpResponse(body, status=status)
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    return response


def _compressed(request, response):
    """Text responses outside the page cache, compressed per request (never event streams)."""
    if response.streaming or response.has_header("Content-Encoding"):
        return response
    if not cache.compressible(response.get("Content-Type", "")):
        return response
    if len(response.content) < cache.MIN_COMPRESSED:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    encoding = cache.encoding_for(request.META.get("HTTP_ACCEPT_ENCODING", ""), cache.ENCODINGS)
    if encoding == "identity":
        return response
    response.content = cache.compress(response.content, encoding)
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    if response.has_header("ETag"):  # a compressed body is a different representation
        response["ETag"] = response["ETag"].rstrip('"') + f'-{encoding}"'
    return response
