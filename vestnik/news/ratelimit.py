"""Fixed-window counters on Django's cache (comments, lead forms): local memory alone, Redis across
every app process. Callers namespace their keys ("comments:addr:…", "promos:lead:…")."""

from django.core.cache import cache


def ratelimit_hit(key: str, limit: int, window: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fell in the current `window` seconds.

    `add` + `incr` are atomic on Redis (INCR), so several processes share one count.
    """
    if limit <= 0:
        return True
    cache_key = f"rate:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: start a new window
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit
