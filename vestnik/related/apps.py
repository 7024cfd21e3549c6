from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "vestnik.related"
    label = "related"
    verbose_name = "Похожие статьи"

    def ready(self):
        from . import subscribers  # noqa: F401  (embeds published articles)

        self.register_article_sections()

    def register_article_sections(self):
        """«Читайте также» at the bottom of an article (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import READ_ALSO

        register(READ_ALSO)
