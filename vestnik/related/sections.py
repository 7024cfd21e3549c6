"""«Читайте также» on the article page (vestnik.core.sections), registered in apps.py."""

from django.template import Context

from vestnik.core import tags
from vestnik.core.events import cache_tags_add
from vestnik.core.sections import BOTTOM, Section

from . import selectors


def read_also_context(context: Context) -> dict:
    """The cards under the article; the page is stale when one of them changes."""
    articles = selectors.read_also(context["page"].pk)
    cache_tags_add(context.get("request"), *(tags.article(card.pk) for card in articles))
    return {"articles": articles}


READ_ALSO = Section(
    "read_also", BOTTOM, template="related/includes/read_also.html", context=read_also_context
)
