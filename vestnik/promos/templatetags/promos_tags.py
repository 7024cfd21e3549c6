"""`{% promo "sidebar" %}`: the best promo for a placement on the current page."""

from django import template
from django.conf import settings

from vestnik.news.models import RubricPage
from vestnik.promos.selectors import promo_for

register = template.Library()


def _rubric_id(page):
    # An article carries its rubric; a rubric page is its own; elsewhere only untargeted promos show.
    if page is None:
        return None
    rubric_id = getattr(page, "rubric_id", None)
    if rubric_id is None and isinstance(page, RubricPage):
        rubric_id = page.pk
    return rubric_id


@register.inclusion_tag("promos/promo.html", takes_context=True)
def promo(context, placement, position=None):
    """Render the promo for `placement`; in the feed, only at item number `position`."""
    if position is not None and position != settings.VESTNIK_PROMO_FEED_POSITION:
        return {"promo": None}
    request = context.get("request")
    return {
        "promo": promo_for(placement, _rubric_id(context.get("page"))),
        "placement": placement,
        "request": request,
        "lite": getattr(request, "lite_mode", False),
        "page_path": request.path if request is not None else "",
    }
