from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from vestnik.core import scheduler


class PromosConfig(AppConfig):
    name = "vestnik.promos"
    label = "promos"
    verbose_name = _("Promo")

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from vestnik.core import permissions

        from . import services, signals  # noqa: F401  (signals: purges after a promo changes)

        # «Промо-блоки» and «Заявки» (leads hold personal data: authors never see them).
        promos = [
            "promos.add_promo",
            "promos.change_promo",
            "promos.delete_promo",
            "promos.view_promo",
        ]
        permissions.grant(permissions.EDITORS, *promos, "promos.view_lead")
        permissions.grant(permissions.ADMINS, *promos, "promos.view_lead", "promos.delete_lead")
        scheduler.job_register(
            "promo_counters_flush", services.promo_counters_flush, "VESTNIK_PROMO_FLUSH_SECONDS"
        )

        self.register_article_sections()

    def register_article_sections(self):
        """The promo under an article's text (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import AFTER_BODY_PROMO

        register(AFTER_BODY_PROMO)
