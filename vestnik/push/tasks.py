"""Background work: one «молния» to every subscriber, off the request and publish path."""

from django.db import transaction
from django_tasks import task

from . import services


@task()
def push_send(key: str) -> int:
    # Idempotent: subscribers already claimed for the message are skipped (services.py).
    return services.message_send(key)


def queue(key: str) -> None:
    """Queue the send once the current transaction commits (a rolled-back publish sends nothing)."""
    transaction.on_commit(lambda: push_send.enqueue(key), robust=True)


def upkeep() -> int:
    """Scheduler job: queue again what a dead worker left unsent (services.messages_abandoned),
    and prune old delivery rows; the number of messages queued."""
    keys = services.messages_abandoned()
    for key in keys:
        queue(key)
    services.deliveries_prune()
    return len(keys)
