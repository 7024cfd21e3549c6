from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from vestnik.core import shared


class DeliveryConfig(AppConfig):
    name = "vestnik.delivery"
    label = "delivery"
    verbose_name = _("Delivery")

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from . import cache, subscribers  # noqa: F401  (subscribers: connects the cache purge)

        # Values other apps share between requests (core.shared) live in the page cache's store.
        shared.store_register(cache.shared_value)
