from django import template
from django.conf import settings

from .. import vapid

register = template.Library()


@register.inclusion_tag("push/button.html")
def push_button():
    """«Получать молнии»: the same markup for every reader (pages are cached and shared); push.js
    shows it and sets its state. Nothing at all without the site's VAPID keys."""
    return {"public_key": settings.VESTNIK_VAPID_PUBLIC_KEY if vapid.enabled() else ""}
