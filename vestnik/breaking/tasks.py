"""Background work: the Telegram channel is talked to off the request path (the editor's publish
never waits for Telegram, and never fails because of it)."""

from django.db import transaction
from django_tasks import task

from . import services


@task()
def telegram_sync(post_id: int) -> str:
    post = services.post_sync(post_id)
    return post.state if post is not None else ""


def sync_enqueue(post) -> None:
    """Queue `telegram_sync` once the current transaction commits (robust: a failing queue never
    undoes a publish). None: nothing to do."""
    if post is None:
        return
    transaction.on_commit(lambda: telegram_sync.enqueue(post.pk), robust=True)
