"""The entities' part of the article page (vestnik.core.sections), registered in apps.py."""

from django.template import Context

from vestnik.core.sections import AFTER_TAGS, Section

from . import selectors


def entities_context(context: Context) -> dict:
    """Links to the pages of the people, organisations and places the article mentions."""
    return {"entities": selectors.article_entities(context["page"].pk)}


ENTITIES = Section(
    "entities",
    AFTER_TAGS,
    template="entities/includes/article_entities.html",
    context=entities_context,
)
