from django import template

from vestnik.core import tags
from vestnik.core.events import cache_tags_add

from .. import selectors

register = template.Library()


@register.inclusion_tag("related/includes/read_also.html", takes_context=True)
def read_also(context, article):
    """«Читайте также» under an article; the page is stale when one of the cards changes."""
    articles = selectors.read_also(article.pk)
    cache_tags_add(context.get("request"), *(tags.article(card.pk) for card in articles))
    return {"articles": articles}
