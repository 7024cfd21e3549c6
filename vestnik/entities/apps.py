from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from vestnik.search import suggestions


class EntitiesConfig(AppConfig):
    name = "vestnik.entities"
    label = "entities"
    verbose_name = _("People, organisations, places")

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from . import (
            selectors,
            signals,  # noqa: F401  (queues analysis after an article is saved)
            subscribers,  # noqa: F401  (and after it is published)
        )

        suggestions.source_register(selectors.entity_names)  # «ничего не найдено» offers names

        self.register_article_sections()

    def register_article_sections(self):
        """Links to the entities under an article's tags (vestnik.core.sections)."""
        from vestnik.core.sections import register

        from .sections import ENTITIES

        register(ENTITIES)
