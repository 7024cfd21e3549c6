from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from vestnik.core import scheduler

from . import jobs


class NewsConfig(AppConfig):
    name = "vestnik.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from vestnik.core import permissions

        from . import (
            notifications,
            signals,  # noqa: F401  (connects Wagtail's page signals to our domain event)
        )

        # «Молния» is an editor's call (news/forms.py: BREAKING_PERMISSION): authors never see it.
        for group in (permissions.EDITORS, permissions.ADMINS):
            permissions.grant(group, "news.mark_breaking")
        notifications.connect()  # Wagtail's workflow e-mails, after commit only
        scheduler.job_register(
            "publish_scheduled", jobs.publish_scheduled, "VESTNIK_SCHEDULER_INTERVAL"
        )
