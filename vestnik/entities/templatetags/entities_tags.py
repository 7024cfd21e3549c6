from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("entities/includes/article_entities.html")
def article_entities(article):
    """Links to the pages of the people, organisations and places an article mentions."""
    return {"entities": selectors.article_entities(article.pk)}
