from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "vestnik.feed"
    label = "feed"
    verbose_name = "Лента новостей"

    def ready(self):
        from . import subscribers  # noqa: F401  (follows core.events.article_changed)
