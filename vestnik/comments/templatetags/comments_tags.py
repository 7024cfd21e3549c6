import re

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

register = template.Library()

_NOFOLLOW = re.compile(r' rel="nofollow"')


@register.filter(is_safe=True)
def comment_text(value: str) -> str:
    """A reader's plain text as HTML: everything escaped first, then http(s) links made clickable.

    urlize escapes the text itself and only links http(s)/www addresses and bare domains,
    so no markup, handler or javascript: URL from a reader gets through.
    """
    html = urlize(value or "", trim_url_limit=60, nofollow=True, autoescape=True)
    html = _NOFOLLOW.sub(' rel="nofollow ugc"', html)
    return mark_safe(linebreaks(html, autoescape=False))
