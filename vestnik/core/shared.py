"""Values shared between requests until their cache tags are purged, through a registered store.

`news` computes values (the article at a path, the restricted paths) that are worth sharing
between requests and workers, but the store lives in `delivery`, which `news` must not import.
So the store registers itself here (DeliveryConfig.ready) and callers ask this module:

    shared_value("article-at:3:politics/x", {tags.PAGES}, compute)

`compute()` returns `(value, tags found while computing)`. Without a store (delivery not installed,
or its fragment cache off) the value is computed on every call.
"""

from collections.abc import Callable, Iterable

Compute = Callable[[], tuple[object, Iterable[str]]]
Store = Callable[[str, Iterable[str], Compute], object]

_store: Store | None = None


def store_register(store: Store | None) -> None:
    """Make `store(key, tags, compute) -> value` the shared store (None: compute every time)."""
    global _store
    _store = store


def shared_value(key: str, tags: Iterable[str], compute: Compute):
    """`compute()`'s value, shared under `key` until one of `tags` (or the tags it found) is purged."""
    if _store is None:
        return compute()[0]
    return _store(key, tags, compute)
