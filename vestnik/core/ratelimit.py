"""Fixed-window counters shared by every app process (comments, lead forms, moderator digests).

One count per key whatever worker serves the request: Redis (INCR) when REDIS_URL is set, else a
row of core.RateCounter bumped by one atomic upsert in the database all workers share. Never
process memory: with two granian workers a per-process count would double every limit.
Callers namespace their keys ("comments:addr:…", "promos:lead:…").
"""

import logging
import random
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .models import RateCounter

logger = logging.getLogger(__name__)

# How often (per hit, on average) the database store drops windows that ended long ago.
_SWEEP_CHANCE = 0.01


def ratelimit_hit(key: str, limit: int, window: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fell in the current `window` seconds."""
    if limit <= 0:
        return True
    return ratelimit_count(key, window) <= limit


def ratelimit_count(key: str, window: int) -> int:
    """Add one to `key`'s current window (of `window` seconds) and return its count, atomically."""
    if settings.VESTNIK_RATELIMIT_STORE == "cache":
        return _cache_count(key, window)
    return _database_count(key, window)


def _cache_count(key: str, window: int) -> int:
    cache_key = f"rate:{key}"
    # add + incr: INCR on Redis, one count for every process.
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: start a new window
        cache.set(cache_key, 1, timeout=window)
        count = 1
    # A Redis outage reads as a miss (IGNORE_EXCEPTIONS): let the reader through rather than
    # refuse everyone while Redis is down.
    return count if isinstance(count, int) else 1


def _database_count(key: str, window: int) -> int:
    now = time.time()
    table, key_, count_, end = map(
        connection.ops.quote_name, (RateCounter._meta.db_table, "key", "count", "window_end")
    )
    # One statement, so two processes can never both read 4 and both write 5 (SQLite 3.35+ and
    # PostgreSQL: INSERT … ON CONFLICT … RETURNING). An ended window starts again at 1.
    sql = (
        f"INSERT INTO {table} ({key_}, {count_}, {end}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key_}) DO UPDATE SET "
        f"{count_} = CASE WHEN {table}.{end} <= %s THEN 1 ELSE {table}.{count_} + 1 END, "
        f"{end} = CASE WHEN {table}.{end} <= %s THEN %s ELSE {table}.{end} END "
        f"RETURNING {count_}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, now + window, now, now, now + window])
        (count,) = cursor.fetchone()
        if random.random() < _SWEEP_CHANCE:
            cursor.execute(f"DELETE FROM {table} WHERE {end} < %s", [now - 3600])
    return count


def ratelimit_reset(key: str) -> None:
    """Forget `key`'s count (tests, and an editor unlocking by hand)."""
    if settings.VESTNIK_RATELIMIT_STORE == "cache":
        cache.delete(f"rate:{key}")
    else:
        RateCounter.objects.filter(key=key).delete()
