from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "vestnik.feed"
    label = "feed"
    verbose_name = _("News feed")

    def ready(self):
        from . import subscribers  # noqa: F401  (follows core.events.article_changed)
