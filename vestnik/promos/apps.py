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
