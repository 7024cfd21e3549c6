from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "vestnik.entities"
    label = "entities"
    verbose_name = _("People, organisations, places")

    def ready(self):
        from . import (
            signals,  # noqa: F401  (queues analysis after an article is saved)
            subscribers,  # noqa: F401  (and after it is published)
        )

        self.register_article_sections()

    def register_article_sections(self):
        """Links to the entities under an article's tags (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import ENTITIES

        register(ENTITIES)
