from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "vestnik.push"
    label = "push"
    verbose_name = _("Web push")

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from vestnik.core import permissions, scheduler

        from . import checks, subscribers, tasks  # noqa: F401  (checks, subscribers: connected on import)

        # The dashboard's subscriber count (wagtail_hooks.py); no other admin view exists.
        for group in (permissions.EDITORS, permissions.ADMINS):
            permissions.grant(group, "push.view_pushsubscription")
        # A send the worker lost mid-way (crash, restart) is picked up where it stopped; delivery
        # rows of old messages are pruned.
        scheduler.job_register("push_upkeep", tasks.upkeep, 300)
