from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PromosConfig(AppConfig):
    name = "vestnik.promos"
    label = "promos"
    verbose_name = _("Promo")

    def ready(self):
        from . import signals

        post_migrate.connect(signals.after_migrate, sender=self)

        self.register_article_sections()

    def register_article_sections(self):
        """The promo under an article's text (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import AFTER_BODY_PROMO

        register(AFTER_BODY_PROMO)
