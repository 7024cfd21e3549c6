"""Writes of the promos app: leads, view and click counters, and the cache of active promos."""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import F

from vestnik.core import tags
from vestnik.core.events import content_changed_send
from vestnik.core.ratelimit import ratelimit_hit

from . import selectors
from .models import Lead, Promo

logger = logging.getLogger(__name__)

VIEWS = "views"
CLICKS = "clicks"
COUNTERS = (VIEWS, CLICKS)
# Only meaningful when the cache lives in this process (locmem): see _flush_if_process_local.
_last_local_flush = 0.0


def promos_changed() -> None:
    """A promo was saved or deleted: pick candidates again and tell page caches (`PROMOS`)."""
    cache.delete(selectors.ACTIVE_KEY)
    content_changed_send({tags.PROMOS})


def _counter_key(kind: str, promo_id: int) -> str:
    return f"promos:{kind}:{promo_id}"


def promo_event_count(promo_id: int, kind: str) -> None:
    """Count a view or a click in the cache (atomic in Redis); the database hears of it later."""
    key = _counter_key(kind, promo_id)
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except ValueError:  # evicted between add and incr: this one count is lost, the page is not
        pass
    _flush_if_process_local()


def _flush_if_process_local() -> None:
    # With the embedded locmem cache every app process holds its own counters and the scheduler
    # (another process) cannot see them, so each process writes its batch at most once a period.
    global _last_local_flush
    if not isinstance(cache, LocMemCache):
        return
    now = time.monotonic()
    if now - _last_local_flush < settings.VESTNIK_PROMO_FLUSH_SECONDS:
        return
    _last_local_flush = now
    promo_counters_flush()


def promo_counters_flush() -> str:
    """Move the cached view and click counts into the promo rows (the scheduled job)."""
    ids = list(Promo.objects.values_list("pk", flat=True))
    keys = {_counter_key(kind, pk): (kind, pk) for pk in ids for kind in COUNTERS}
    counted = {key: n for key, n in cache.get_many(list(keys)).items() if n}
    for key, n in counted.items():
        kind, pk = keys[key]
        with transaction.atomic():
            Promo.objects.filter(pk=pk).update(**{kind: F(kind) + n})
        # Subtract what was written rather than delete: counts made meanwhile are kept.
        cache.decr(key, n)
    total = sum(counted.values())
    return f"промо: записано событий {total}" if total else ""


def lead_create(
    *,
    promo: Promo | None,
    name: str,
    email: str,
    phone: str,
    comment: str,
    consent: bool,
    page_url: str,
) -> Lead:
    """Store a valid lead; the form has checked it, the table's constraints check it again."""
    return Lead.objects.create(
        promo=promo,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        comment=comment.strip(),
        consent=consent,
        page_url=page_url[:500],
    )


def lead_rate_limited(address: str) -> bool:
    """Count one lead from `address`; True when it is over VESTNIK_LEAD_RATE_LIMIT per window."""
    # Keyed hash: the shared counter store (a database table by default) never holds the address.
    key = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return not ratelimit_hit(
        f"promos:lead:{key}",
        settings.VESTNIK_LEAD_RATE_LIMIT,
        settings.VESTNIK_LEAD_RATE_WINDOW,
    )
