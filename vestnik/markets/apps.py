from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketsConfig(AppConfig):
    name = "vestnik.markets"
    label = "markets"
    verbose_name = _("Exchange rates")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import services

        # Editors may change which currencies the widget shows (groups come from setup_newsroom).
        post_migrate.connect(services.rates_permissions_grant, sender=self)
