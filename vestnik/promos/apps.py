from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PromosConfig(AppConfig):
    name = "vestnik.promos"
    label = "promos"
    verbose_name = "Промо"

    def ready(self):
        from . import signals

        post_migrate.connect(signals.after_migrate, sender=self)
