"""A small in-process clock: runs each registered job every N seconds, one at a time.

Each app registers its jobs in its AppConfig.ready() (`job_register`), so the scheduler imports
no app. No cron needed: `make demo` and the production stack start `manage.py run_scheduler`
next to the app server. One scheduler process per site; jobs are idempotent, so a
restart or an overlap with a second scheduler publishes nothing twice.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    func: Callable[[], object]
    every: int  # seconds
    next_run: float = 0.0


# name -> (function, seconds or the name of the setting holding them), in registration order.
_registry: dict[str, tuple[Callable[[], object], int | str]] = {}


def job_register(name: str, func: Callable[[], object], every: int | str) -> None:
    """Run `func` every `every` seconds; a str names the setting that holds them (read when the
    scheduler starts, so its environment variable and tests can change it). Registering a name
    again replaces it."""
    _registry[name] = (func, every)


def jobs_registered() -> list[Job]:
    """Every registered job but those named in settings.VESTNIK_SCHEDULER_DISABLED."""
    disabled = set(settings.VESTNIK_SCHEDULER_DISABLED)
    return [
        Job(
            name=name,
            func=func,
            every=int(getattr(settings, every) if isinstance(every, str) else every),
        )
        for name, (func, every) in _registry.items()
        if name not in disabled
    ]


def run_due(jobs: list[Job], now: float) -> list[str]:
    """Run the jobs that are due at `now`; a failing job is logged and retried on its next turn."""
    ran = []
    for job in jobs:
        if job.next_run > now:
            continue
        job.next_run = now + job.every
        try:
            result = job.func()
        except Exception:
            logger.exception("scheduled job %s failed", job.name)
            continue
        ran.append(job.name)
        if result:
            logger.info("%s: %s", job.name, result)
    return ran


def run_forever(
    jobs: list[Job],
    should_stop: Callable[[], bool],
    tick: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run due jobs every `tick` seconds until `should_stop()`; `clock` and `sleep` let tests
    drive the loop on a clock of their own."""
    while not should_stop():
        # A long-lived process: drop connections the database has closed or that are too old.
        close_old_connections()
        run_due(jobs, clock())
        sleep(tick)
