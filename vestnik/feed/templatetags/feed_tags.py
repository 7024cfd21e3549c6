from django import template

from vestnik.feed.selectors import feed_latest

register = template.Library()


@register.inclusion_tag("feed/includes/feed_sidebar.html", takes_context=True)
def news_feed(context, limit=None):
    """The sidebar «Лента новостей»: title, rubric, time."""
    return {"items": feed_latest(limit), "request": context.get("request")}
