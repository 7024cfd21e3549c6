"""Test settings: cheap parts where the thing under test does not care."""

import os as _os

# pytest-xdist (`make test` runs one worker per core): each worker gets its own Redis database and
# its own share of the live-server ports, so workers never clear or bind each other's; the
# PostgreSQL test database gets a per-worker suffix from pytest-django. Set before base reads it.
_worker = _os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    _index = int(_worker[2:])
    _count = int(_os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if _os.environ.get("REDIS_URL"):
        _base, _, _db = _os.environ["REDIS_URL"].rpartition("/")
        _os.environ["REDIS_URL"] = f"{_base}/{(int(_db or 0) - _index) % 16}"
    _first, _, _last = _os.environ.get("VESTNIK_TEST_LIVE_PORTS", "8150-8199").partition("-")
    _span = (int(_last or _first) - int(_first) + 1) // _count
    _low = int(_first) + _index * _span
    _os.environ["VESTNIK_TEST_LIVE_PORTS"] = f"{_low}-{_low + _span - 1}"

from .base import *  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}
VESTNIK_SERVE_MEDIA = True
# The page cache is tested on purpose (vestnik/delivery/tests, the `page_cache` fixture); elsewhere
# tests read pages right after writes that skip the after-commit purge.
VESTNIK_PAGE_CACHE = env.get_bool("VESTNIK_PAGE_CACHE", False)
VESTNIK_FRAGMENT_CACHE = env.get_bool("VESTNIK_FRAGMENT_CACHE", False)
# Tests never reach the Bank: a stray request fails at once instead of waiting for a timeout.
VESTNIK_RATES_SOURCE_URL = "http://127.0.0.1:9/XML_daily.asp"
# …and the scheduler's rates job is left out (markets tests run it with a fake client).
VESTNIK_SCHEDULER_DISABLED = ["rates_import_next_day"]
# Query-count tests compare two requests; on a loaded machine they may lie over a minute apart.
VESTNIK_PROMO_CANDIDATES_SECONDS = 3600
# The models take 6–20 s to load and run on every save: only the entities and related tests
# (their conftest) switch the analysis on.
VESTNIK_ANALYSIS = False
# Web push tests run a local push service on 127.0.0.1 and must not wait between retries.
VESTNIK_PUSH_ALLOW_LOCAL = True
VESTNIK_PUSH_BACKOFF = 0.0
