from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from vestnik.feed.selectors import event_latest_id, feed_latest

register = template.Library()


@register.inclusion_tag("feed/includes/feed_sidebar.html", takes_context=True)
def news_feed(context, limit=None):
    """The sidebar «Лента новостей»: title, rubric, time; the stream resumes after `last_event_id`."""
    # The cursor before the lines: a change in between is replayed (the script replaces by key)
    # rather than lost. `page` lets the in-feed promo follow the rubric of the page around the feed.
    # Lazy: a cached sidebar (the template's shared fragment) needs neither query.
    limit = limit or settings.VESTNIK_FEED_SIZE
    return {
        "items": SimpleLazyObject(lambda: feed_latest(limit)),
        "last_event_id": SimpleLazyObject(event_latest_id),
        "limit": limit,
        "today": timezone.localdate().isoformat(),  # «02:33» today becomes «05 окт, 02:33» tomorrow
        "request": context.get("request"),
        "page": context.get("page"),
    }
