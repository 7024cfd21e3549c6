"""The page cache: whole reader pages and shared fragments, invalidated by cache tags.

The one module both front doors call: PageCacheMiddleware (middleware.py) and the ASGI hit path
(asgi.py) are adapters that turn a request into a key, ask `entry_fresh` and send `answer`.

An entry remembers when its render started and which tags it shows. A purge records the time
per tag in a store every app process reads (Redis when configured, the database otherwise),
so an entry is fresh while none of its tags was purged after its render began and it is younger
than VESTNIK_PAGE_CACHE_TTL. Stale entries are still served while one request re-renders
(no stampede) and when rendering fails (stale-if-error).

A page may also show a part that changes far more often than the page itself (the feed sidebar,
vestnik.core.tags.FEED): its tags are *lagging* tags, and a purge of one makes the page stale only
once the page is older than the lag (VESTNIK_FEED_SIDEBAR_MAX_AGE), so a publish a second does
not empty the archive; the sidebar's live script catches up from the cursor in the page.
A page that shows something with an end (the «молния» banner) is fresh only until that end
(`Entry.until`): it goes away by itself, without a purge.

With read replicas, the database tag store still reads the primary (the raw default connection):
a purge is seen at once, and a re-render soon after one reads the primary too
(`replicas.primary_after_purge`), so an old page from a lagging replica is never stored as fresh.
"""

import gzip
import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

import brotli
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date, parse_http_date_safe
from wagtail.models import Site

from vestnik.core import tags as cache_tags

from . import csp, replicas
from .models import CacheTag

logger = logging.getLogger(__name__)


def _page_cache():
    return caches[settings.VESTNIK_PAGE_CACHE_ALIAS]


# --- tag purge times ---------------------------------------------------------------------------


class DatabaseTagStore:
    """Purge times in the `delivery_cachetag` table: one indexed read per cached page, shared by
    every granian worker of the embedded default, whose page cache is per process."""

    def purged(self, tags) -> dict[str, float]:
        tags = list(tags)
        # Raw SQL: on the hit path, building the ORM query costs more than running it.
        sql = "SELECT tag, purged_at FROM {} WHERE tag IN ({})".format(
            connection.ops.quote_name(CacheTag._meta.db_table), ", ".join(["%s"] * len(tags))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, tags)
            return dict(cursor.fetchall())

    def purge(self, tags, when: float) -> None:
        CacheTag.objects.bulk_create(
            [CacheTag(tag=tag, purged_at=when) for tag in tags],
            update_conflicts=True,
            unique_fields=["tag"],
            update_fields=["purged_at"],
        )


class CacheTagStore:
    """Purge times in the shared cache (Redis): one round trip per cached page, no database."""

    prefix = "tagpurge:"

    def purged(self, tags) -> dict[str, float]:
        found = _page_cache().get_many([self.prefix + tag for tag in tags])
        return {key.removeprefix(self.prefix): value for key, value in found.items()}

    def purge(self, tags, when: float) -> None:
        # Kept longer than any entry lives, so an entry never outlives the record of its purge.
        _page_cache().set_many({self.prefix + tag: when for tag in tags}, timeout=None)


def tag_store():
    if settings.VESTNIK_PAGE_CACHE_TAG_STORE == "cache":
        return CacheTagStore()
    return DatabaseTagStore()


# Purge times read in the last VESTNIK_PAGE_CACHE_TAG_MEMO seconds, per process: under load most
# hits need neither a query nor a round trip, and a purge still reaches every process that soon.
_memo: dict[frozenset, tuple[float, dict[str, float]]] = {}


def purge(tags) -> None:
    """Mark every cached page and fragment showing any of `tags` stale, in every process."""
    tags = sorted(set(tags))
    if not tags:
        return
    try:
        tag_store().purge(tags, time.time())
    except Exception:  # never undo or break a publish; pages age out after VESTNIK_PAGE_CACHE_TTL
        logger.exception("cache purge failed: %s", " ".join(tags))
        return
    _memo.clear()  # this process sees its own purge at once
    logger.debug("cache purge: %s", " ".join(tags))


def is_fresh(tags, started: float, purged: dict[str, float]) -> bool:
    # Several app machines compare their clocks here: with NTP they agree within milliseconds;
    # VESTNIK_PAGE_CACHE_CLOCK_SKEW widens the margin where they may not.
    margin = settings.VESTNIK_PAGE_CACHE_CLOCK_SKEW
    return all(purged.get(tag, 0.0) < started - margin for tag in tags)


# --- compression -------------------------------------------------------------------------------

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml")
ENCODINGS = ("br", "gzip")  # in order of preference
BROTLI_QUALITY = 5  # stored entries are compressed once per render, so a little more effort pays
GZIP_LEVEL = 6
MIN_COMPRESSED = 200  # bytes: below this the headers cost more than compression saves


def compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSIBLE) and "event-stream" not in content_type


def compress(body: bytes, encoding: str) -> bytes:
    """The one compressor: stored entries and responses outside the cache alike."""
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def accepts(accepted: str, encoding: str) -> bool:
    return any(part.split(";")[0].strip() == encoding for part in accepted.split(","))


def encoding_for(accepted: str, available) -> str:
    """The encoding to send: the preferred one the reader accepts, else identity."""
    for encoding in ENCODINGS:
        if encoding in available and accepts(accepted, encoding):
            return encoding
    return "identity"


# --- entries -----------------------------------------------------------------------------------


@dataclass
class Entry:
    """A rendered response as stored: the body in each encoding, ready to send."""

    status: int
    content_type: str
    bodies: dict[str, bytes]  # "identity" / "gzip" / "br"
    tags: frozenset[str]  # a purge of any makes the entry stale at once
    started: float  # when its render began
    etag: str
    headers: dict[str, str] = field(default_factory=dict)
    # (tag, seconds): a purge makes the entry stale only once it is that old (the feed sidebar).
    # A plain default, so entries stored before the field existed still load.
    lagging: tuple[tuple[str, float], ...] = ()
    # A Unix time from which the entry is never fresh: the page shows something that ends then
    # (the «молния» banner, vestnik.core.events.cache_until). 0: nothing ends.
    until: float = 0.0

    @classmethod
    def build(cls, response, tags, started: float, lagging=None, until=None) -> "Entry":
        body = response.content
        bodies = {"identity": body}
        content_type = response.get("Content-Type", "")
        if compressible(content_type) and len(body) >= MIN_COMPRESSED:
            bodies.update((encoding, compress(body, encoding)) for encoding in ENCODINGS)
        keep = {
            name: value
            for name, value in response.items()
            if name.lower() in ("content-language", "x-frame-options", "content-security-policy")
        }
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        tags = frozenset(tags)
        lag = tuple(sorted((t, s) for t, s in (lagging or {}).items() if t not in tags))
        return cls(
            response.status_code, content_type, bodies, tags, started, etag, keep, lag, until or 0.0
        )

    def age(self, now: float) -> float:
        return max(0.0, now - self.started)

    @property
    def watched(self) -> frozenset[str]:
        """Every tag whose purge time decides the entry's freshness."""
        return self.tags.union(tag for tag, _ in self.lagging) if self.lagging else self.tags


def lagging_add(request, tags, seconds: float) -> None:
    """Note that the page being rendered for `request` shows `tags` in a part that may lag up to
    `seconds` behind their purge (see the module docstring). Outside the page cache: a no-op."""
    lagging = getattr(request, "cache_lagging", None)
    if lagging is not None:
        for tag in tags:
            lagging[tag] = min(seconds, lagging.get(tag, seconds))


def _day(timestamp: float):
    return timezone.localdate(datetime.fromtimestamp(timestamp, UTC))


def entry_fresh(entry: Entry, purged: dict[str, float], now: float) -> bool:
    """May `entry` be served as a HIT, given the purge times of `entry.watched`?"""
    age = entry.age(now)
    if age >= settings.VESTNIK_PAGE_CACHE_TTL:
        return False
    if entry.until and now >= entry.until:
        return False
    if not is_fresh(entry.tags, entry.started, purged):
        return False
    for tag, seconds in entry.lagging:
        # Changed since the render, or a new day in Moscow (the sidebar's «02:33» becomes
        # «05 окт, 02:33»): served at most `seconds` after the change.
        if age >= seconds and (
            not is_fresh((tag,), entry.started, purged) or _day(entry.started) != _day(now)
        ):
            return False
    return True


# --- keys ------------------------------------------------------------------------------------


def cacheable_path(method: str, path: str) -> bool:
    """A read of a page the cache may hold."""
    return method in ("GET", "HEAD") and not path.startswith(
        tuple(settings.VESTNIK_PAGE_CACHE_EXCLUDE)
    )


def page_key(request) -> str:
    variant = "lite" if getattr(request, "lite_mode", False) else "full"
    return page_key_for(variant, request.get_host(), request.get_full_path())


def page_key_asgi(host: str, path: str, query_string: bytes) -> str:
    """The key of a full (not lite) page from an ASGI scope's decoded path and raw query string:
    the path as HttpRequest.get_full_path() builds it, so both front doors find the same entry."""
    path = quote(path, safe="/:@&+$,-_.!~*'()")
    query = query_string.decode()
    return page_key_for("full", host, path + ("?" + iri_to_uri(query) if query else ""))


def page_key_for(variant: str, host: str, full_path: str) -> str:
    address = f"{host}{full_path}"
    return f"page:{variant}:{hashlib.blake2b(address.encode(), digest_size=16).hexdigest()}"


# --- answers ---------------------------------------------------------------------------------

# On every reader answer (SecurityHeadersMiddleware), so on the hits the ASGI path serves too.
SECURITY_HEADERS = {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "geolocation=(), microphone=(), camera=()",
    "X-Content-Type-Options": "nosniff",
}


def _not_modified(entry: Entry, if_none_match, if_modified_since) -> bool:
    if if_none_match is not None:
        return entry.etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    if_modified_since = parse_http_date_safe(if_modified_since or "")
    return if_modified_since is not None and int(entry.started) <= if_modified_since


def answer(entry: Entry, state: str, accept_encoding: str, if_none_match, if_modified_since):
    """(status, headers, body) for a cached entry, what both front doors send: the body in the
    accepted encoding, or a 304 without one for a conditional request that matches."""
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
    encoding = encoding_for(accept_encoding, entry.bodies)
    body = entry.bodies[encoding]
    sent = {"Content-Type": entry.content_type}
    if encoding != "identity":
        sent["Content-Encoding"] = encoding
    sent["Content-Length"] = str(len(body))
    sent.update(entry.headers)
    sent.update(headers)
    return entry.status, sent, body


def reader_headers(secure: bool) -> list[tuple[str, str]]:
    """What the middleware chain (settings.MIDDLEWARE) adds to a hit for an anonymous reader, for
    the ASGI hit path, which skips it. A test compares both answers header by header."""
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


# --- the store -------------------------------------------------------------------------------


def entry_get(key: str) -> Entry | None:
    try:
        return _page_cache().get(key)
    except Exception:  # the cache server is down: render as if nothing were cached
        logger.warning("page cache unavailable (get)", exc_info=True)
        return None


def entry_set(key: str, entry: Entry) -> None:
    try:
        # Kept past freshness so it can stand in while re-rendering or when the database fails.
        _page_cache().set(key, entry, timeout=settings.VESTNIK_PAGE_CACHE_KEEP)
    except Exception:
        logger.warning("page cache unavailable (set)", exc_info=True)


def render_lock(key: str) -> bool:
    """True for the one request that may re-render `key` now; the others serve the old copy."""
    try:
        return _page_cache().add(f"lock:{key}", 1, timeout=settings.VESTNIK_PAGE_CACHE_LOCK)
    except Exception:
        logger.warning("page cache unavailable (lock)", exc_info=True)
        return True


def render_unlock(key: str) -> None:
    try:
        _page_cache().delete(f"lock:{key}")
    except Exception:
        logger.warning("page cache unavailable (unlock)", exc_info=True)


def purged_times_memo(tags) -> dict[str, float] | None:
    """Purge times of `tags` read by this process in the last VESTNIK_PAGE_CACHE_TAG_MEMO
    seconds, or None: the ASGI hit path (asgi.py) never waits on the tag store."""
    memo = _memo.get(frozenset(tags))
    if memo is not None and time.monotonic() - memo[0] < settings.VESTNIK_PAGE_CACHE_TAG_MEMO:
        return memo[1]
    return None


def purged_times(tags) -> dict[str, float] | None:
    """Purge times of `tags`, or None when the store cannot answer (database or Redis down)."""
    memo = purged_times_memo(tags)
    if memo is not None:
        return memo
    try:
        purged = tag_store().purged(tags)
        if len(_memo) > 10_000:
            _memo.clear()
        _memo[frozenset(tags)] = (time.monotonic(), purged)
        return purged
    except Exception:
        logger.warning("cache tag store unavailable", exc_info=True)
        try:
            connection.close_if_unusable_or_obsolete()
        except DatabaseError:
            pass
        return None


# --- fragments ---------------------------------------------------------------------------------


def shared(key: str, tags, compute):
    """A value many requests share (a fragment's HTML, the article at a path, the site), computed
    once and reused until one of its tags is purged. `compute()` returns (value, tags it found
    while computing); the answer is (value, every tag of it), so the page using it is tagged too.
    A value of None is never stored."""
    cached = entry_get(f"shared:{key}")
    if cached is not None:
        started, value_tags, value = cached
        purged = purged_times(value_tags)
        young = time.time() - started < settings.VESTNIK_PAGE_CACHE_TTL
        if purged is None or (young and is_fresh(value_tags, started, purged)):
            return value, value_tags
        replicas.primary_after_purge(purged, time.time())
    started = time.time()
    value, found = compute()
    value_tags = frozenset(tags) | frozenset(found)
    if value is not None:
        entry_set(f"shared:{key}", (started, value_tags, value))
    return value, value_tags


def shared_value(key: str, tags, compute):
    """`shared` for callers outside delivery (registered as vestnik.core.shared's store): `compute()` returns
    the value and may name the tags it depends on through `found`; only the value comes back."""
    if not settings.VESTNIK_FRAGMENT_CACHE:
        return compute()[0]
    return shared(key, tags, compute)[0]


def fragment(name: str, tags, render, lite: bool = False) -> tuple[str, frozenset[str]]:
    """Shared HTML (the feed sidebar, the rubric menu): `shared` per lite or full variant."""
    return shared(f"fragment:{'lite' if lite else 'full'}:{name}", tags, render)


def site_for(request):
    """Wagtail's Site for the request's host and port, with its home page (two queries per request
    otherwise), shared until a site is saved or deleted (`sites`) or a page other than an article
    is published (`pages`)."""
    try:  # get_host() checks ALLOWED_HOSTS: no entry per made-up host
        key = f"site:{request.get_host()}:{request.get_port()}"
    except DisallowedHost:  # Wagtail's own lookup answers as usual
        return None

    def compute():
        site = Site._find_for_request(request)
        if site is not None:  # its home page comes along: routing starts there
            site.root_page = site.root_page.specific
        return site, ()

    return shared(key, {cache_tags.SITES, cache_tags.PAGES}, compute)[0]
