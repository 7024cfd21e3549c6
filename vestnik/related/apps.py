from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "vestnik.related"
    label = "related"
    verbose_name = _("Similar articles")

    def ready(self):
        from . import subscribers  # noqa: F401  (embeds published articles)
