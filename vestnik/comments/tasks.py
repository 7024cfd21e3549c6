"""The moderators' digest, off the request path (VESTNIK_TASKS: inline after commit or the worker)."""

from django_tasks import task

from . import services


@task()
def moderators_digest() -> int:
    return services.moderators_digest_send()
