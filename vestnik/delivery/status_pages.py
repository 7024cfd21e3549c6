"""Russian pages for the statuses Django and the server answer with an empty body by default:
405 (require_POST / require_GET), 413 (body too large), 414 (address too long), 431 (headers
too large). Rendered once per process: the ASGI guard (limits.py) sends them without Django."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

TEXTS = {
    405: (
        _("This request is not accepted here"),
        _("This address does not accept requests of this kind. Open it by following its link."),
    ),
    413: (
        _("Too much data sent"),
        _("The data sent is larger than this site accepts. Shorten the text and send it again."),
    ),
    414: (
        _("The address is too long"),
        _("The page address is too long. Check the link and try again."),
    ),
    431: (
        _("The request headers are too large"),
        _(
            "The request headers are too large, usually because of cookies. Clear this site's cookies and try again."
        ),
    ),
}


@cache
def status_html(status: int) -> bytes:
    heading, message = TEXTS[status]
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "status_page.html", {"heading": str(heading), "message": str(message)}
        ).encode()


def status_response(status: int) -> HttpResponse:
    response = HttpResponse(status_html(status), status=status)
    response["Cache-Control"] = "no-store"
    return response
