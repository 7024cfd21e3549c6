from django.apps import AppConfig

from vestnik.search import suggestions


class EntitiesConfig(AppConfig):
    name = "vestnik.entities"
    label = "entities"
    verbose_name = "Люди, организации, места"

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from . import (
            selectors,
            signals,  # noqa: F401  (queues analysis after an article is saved)
            subscribers,  # noqa: F401  (and after it is published)
        )

        suggestions.source_register(selectors.entity_names)  # «ничего не найдено» offers names
