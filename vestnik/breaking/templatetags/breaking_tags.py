"""{% breaking_banner %}: the site-wide «молния» banner, in base.html on every reader page.

Rendered into the page for its first paint (and readers without JavaScript), and kept current by
static/js/breaking.js from /breaking/. A cached page holds the banner only until its end
(core.events.cache_until), loses it at once when it is withdrawn or corrected (the item's own tag,
tags.breaking_item: only pages showing it), and shows a new one at most
VESTNIK_BREAKING_PAGE_MAX_AGE seconds late without a script (tags.BREAKING as a lagging tag, like
the feed's), so a new «молния» never purges every page at once.
"""

from django import template
from django.conf import settings
from django.urls import reverse

from vestnik.core import tags
from vestnik.core.events import cache_tags_add, cache_until
from vestnik.delivery import cache

from .. import selectors

register = template.Library()


@register.inclusion_tag("breaking/banner.html", takes_context=True)
def breaking_banner(context):
    request = context.get("request")
    current = selectors.banner_current()
    if request is not None:
        cache.lagging_add(request, {tags.BREAKING}, settings.VESTNIK_BREAKING_PAGE_MAX_AGE)
        if current is not None:
            cache_tags_add(request, tags.breaking_item(current.key))
            cache_until(request, current.until.timestamp())
    return {"item": current, "src": reverse("breaking:banner")}
