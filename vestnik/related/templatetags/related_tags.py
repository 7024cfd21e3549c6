from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("related/includes/read_also.html")
def read_also(article):
    """«Читайте также» under an article."""
    return {"articles": selectors.read_also(article.pk)}
