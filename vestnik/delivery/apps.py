from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "vestnik.delivery"
    label = "delivery"
    verbose_name = _("Delivery")

    def ready(self):
        from . import subscribers  # noqa: F401  (connects the cache purge)
