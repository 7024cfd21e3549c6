from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "vestnik.delivery"
    label = "delivery"
    verbose_name = "Доставка"
