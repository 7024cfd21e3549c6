"""Read replicas: reader requests read a replica, the newsroom and every write use the primary.

`DATABASE_REPLICA_URLS` (settings/base.py) adds the aliases `replica1`, `replica2`, … to
`DATABASES`, `ReplicaRouter` to `DATABASE_ROUTERS` and `ReplicaMiddleware` to `MIDDLEWARE`.
Only a request the middleware has classed as a reader's ever reads a replica; everything else —
management commands, migrations, the scheduler, the feed's follower thread, the shell — has no
request state and reads the primary. Within a reader's request the primary takes over for good
at its first write (read-your-writes), and any read inside a transaction on the primary stays
there. The replica is chosen once per request, so a page is rendered from one snapshot.
"""

import contextvars
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Set by a write in a request; the same browser reads the primary for VESTNIK_DATABASE_REPLICA_LAG
# seconds after it, so a reader who posted a comment sees it after the redirect.
PIN_COOKIE = "vestnik_primary"


@dataclass
class RequestState:
    primary: bool  # this request reads the primary
    replica: str | None = None  # the replica chosen for this request, once
    wrote: bool = False


_state: contextvars.ContextVar[RequestState | None] = contextvars.ContextVar(
    "vestnik_replica_state", default=None
)


def enabled() -> bool:
    return bool(settings.VESTNIK_DATABASE_REPLICAS)


def use_primary() -> None:
    """The rest of this request reads the primary (e.g. it renders a page just purged)."""
    state = _state.get()
    if state is not None:
        state.primary = True


def primary_after_purge(purged: dict[str, float], now: float) -> None:
    """Read the primary when re-rendering a page whose content changed less than the lag ago.

    The purge is seen at once (Redis or the primary's tag table), but a replica may not have the
    change yet: a page rendered from it would be stored as fresh with the old content.
    """
    if purged and now - max(purged.values()) < settings.VESTNIK_DATABASE_REPLICA_LAG:
        use_primary()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or state.primary or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if state.replica is None:
            state.replica = random.choice(settings.VESTNIK_DATABASE_REPLICAS)
        return state.replica

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.primary = state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in settings.VESTNIK_DATABASE_REPLICAS:
            return False  # replicas follow the primary's schema by replication
        return None


def _needs_primary(request) -> bool:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    if request.path.startswith(tuple(settings.VESTNIK_DATABASE_PRIMARY_PATHS)):
        return True
    # A session means someone logged in (the newsroom); anonymous readers carry none.
    return settings.SESSION_COOKIE_NAME in request.COOKIES or PIN_COOKIE in request.COOKIES


class ReplicaMiddleware:
    """Classes each request: a reader's (replica) or the newsroom's (primary). First in the chain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        state = RequestState(primary=_needs_primary(request))
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.VESTNIK_DATABASE_REPLICA_LAG,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
