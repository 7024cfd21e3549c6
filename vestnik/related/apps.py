from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "vestnik.related"
    label = "related"
    verbose_name = _("Similar articles")

    def ready(self):
        from . import subscribers  # noqa: F401  (embeds published articles)

        self.register_article_sections()

    def register_article_sections(self):
        """«Читайте также» at the bottom of an article (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import READ_ALSO

        register(READ_ALSO)
