"""The page cache: whole reader pages and shared fragments, invalidated by cache tags.

An entry remembers when its render started and which tags it shows. A purge records the time
per tag in a store every app process reads (Redis when configured, the database otherwise),
so an entry is fresh while none of its tags was purged after its render began and it is younger
than VESTNIK_PAGE_CACHE_TTL. Stale entries are still served while one request re-renders
(no stampede) and when rendering fails (stale-if-error).

With read replicas, the database tag store still reads the primary (the raw default connection):
a purge is seen at once, and a re-render soon after one reads the primary too
(`replicas.primary_after_purge`), so an old page from a lagging replica is never stored as fresh.
"""

import gzip
import hashlib
import logging
import time
from dataclasses import dataclass, field

import brotli
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection

from . import replicas

logger = logging.getLogger(__name__)


def _page_cache():
    return caches[settings.VESTNIK_PAGE_CACHE_ALIAS]


# --- tag purge times ---------------------------------------------------------------------------


class DatabaseTagStore:
    """Purge times in the `delivery_cachetag` table: one indexed read per cached page, shared by
    every granian worker of the embedded default, whose page cache is per process."""

    def purged(self, tags) -> dict[str, float]:
        from .models import CacheTag

        tags = list(tags)
        # Raw SQL: on the hit path, building the ORM query costs more than running it.
        sql = "SELECT tag, purged_at FROM {} WHERE tag IN ({})".format(
            connection.ops.quote_name(CacheTag._meta.db_table), ", ".join(["%s"] * len(tags))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, tags)
            return dict(cursor.fetchall())

    def purge(self, tags, when: float) -> None:
        from .models import CacheTag

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


# --- entries -----------------------------------------------------------------------------------

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml")


def compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSIBLE) and "event-stream" not in content_type


@dataclass
class Entry:
    """A rendered response as stored: the body in each encoding, ready to send."""

    status: int
    content_type: str
    bodies: dict[str, bytes]  # "identity" / "gzip" / "br"
    tags: frozenset[str]
    started: float  # when its render began
    etag: str
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, response, tags, started: float) -> "Entry":
        body = response.content
        bodies = {"identity": body}
        content_type = response.get("Content-Type", "")
        if compressible(content_type) and len(body) >= 200:
            bodies["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
            bodies["br"] = brotli.compress(body, quality=5)
        keep = {
            name: value
            for name, value in response.items()
            if name.lower() in ("content-language", "x-frame-options", "content-security-policy")
        }
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        return cls(response.status_code, content_type, bodies, frozenset(tags), started, etag, keep)

    def age(self, now: float) -> float:
        return max(0.0, now - self.started)


def page_key(request) -> str:
    variant = "lite" if getattr(request, "lite_mode", False) else "full"
    return page_key_for(variant, request.get_host(), request.get_full_path())


def page_key_for(variant: str, host: str, full_path: str) -> str:
    address = f"{host}{full_path}"
    return f"page:{variant}:{hashlib.blake2b(address.encode(), digest_size=16).hexdigest()}"


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
    """`shared` for callers outside delivery (settings.VESTNIK_SHARED_VALUE): `compute()` returns
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
    from django.core.exceptions import DisallowedHost
    from wagtail.models import Site

    try:  # get_host() checks ALLOWED_HOSTS: no entry per made-up host
        key = f"site:{request.get_host()}:{request.get_port()}"
    except DisallowedHost:  # Wagtail's own lookup answers as usual
        return None

    def compute():
        site = Site._find_for_request(request)
        if site is not None:  # its home page comes along: routing starts there
            site.root_page = site.root_page.specific
        return site, ()

    return shared(key, {"sites", "pages"}, compute)[0]
