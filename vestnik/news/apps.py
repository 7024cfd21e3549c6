from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "vestnik.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from . import (
            notifications,
            signals,  # noqa: F401  (connects Wagtail's page signals to our domain event)
        )
        from .params import register_converters

        notifications.connect()  # Wagtail's workflow e-mails, after commit only
        register_converters()  # before any URLconf (Wagtail's admin hooks included) is loaded
