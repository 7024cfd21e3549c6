from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "vestnik.search"
    label = "search"
    verbose_name = "Поиск"

    def ready(self):
        from . import subscribers  # noqa: F401  (follows core.events.article_changed)
