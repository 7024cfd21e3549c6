from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "vestnik.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import subscribers  # noqa: F401  (follows core.events.article_changed)
