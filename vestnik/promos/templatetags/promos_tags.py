"""`{% promo "sidebar" %}`: the best promo for a placement on the current page."""

from django import template
from django.conf import settings

from vestnik.news.selectors import rubric_id_of
from vestnik.promos.selectors import promo_for

register = template.Library()


@register.simple_tag
def promo_feed_position() -> int:
    """After which line of the feed the in-feed promo goes."""
    return settings.VESTNIK_PROMO_FEED_POSITION


@register.inclusion_tag("promos/promo.html", takes_context=True)
def promo(context, placement, position=None):
    """Render the promo for `placement`; in the feed, only at item number `position`."""
    if position is not None and position != settings.VESTNIK_PROMO_FEED_POSITION:
        return {"promo": None}
    request = context.get("request")
    return {
        "promo": promo_for(placement, rubric_id_of(context.get("page"))),
        "placement": placement,
        "request": request,
        "lite": getattr(request, "lite_mode", False),
        "page_path": request.path if request is not None else "",
    }
