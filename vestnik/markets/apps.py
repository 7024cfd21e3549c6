from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from vestnik.core import scheduler


class MarketsConfig(AppConfig):
    name = "vestnik.markets"
    label = "markets"
    verbose_name = _("Exchange rates")

    def ready(self):
        # Not at module top: both import models, which are not loaded yet when apps.py is.
        from vestnik.core import permissions

        from . import jobs

        # Editors may change which currencies the widget shows (Настройки → Курсы валют).
        for group in (permissions.EDITORS, permissions.ADMINS):
            permissions.grant(group, "markets.change_ratessettings")
        scheduler.job_register(
            "rates_import_next_day", jobs.rates_import_next_day, "VESTNIK_RATES_INTERVAL"
        )
