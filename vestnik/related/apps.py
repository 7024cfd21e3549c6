from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "vestnik.related"
    label = "related"
    verbose_name = "Похожие статьи"

    def ready(self):
        from . import subscribers  # noqa: F401  (embeds published articles)
