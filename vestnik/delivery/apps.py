from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "vestnik.delivery"
    label = "delivery"
    verbose_name = "Доставка"

    def ready(self):
        from . import subscribers  # noqa: F401  (connects the cache purge)
