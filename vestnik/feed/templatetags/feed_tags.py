from django import template

from vestnik.feed.selectors import feed_latest

register = template.Library()


@register.inclusion_tag("feed/includes/feed_sidebar.html", takes_context=True)
def news_feed(context, limit=None):
    """The sidebar «Лента новостей»: title, rubric, time."""
    # `page` lets the in-feed promo follow the rubric of the page around the feed.
    return {
        "items": feed_latest(limit),
        "request": context.get("request"),
        "page": context.get("page"),
    }
