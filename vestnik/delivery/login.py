"""Login throttling on django-axes: the backend, and the Russian answer to a locked-out login."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _


def lockout_response(request, credentials=None, *args, **kwargs) -> HttpResponse:
    # Every refused attempt restarts the cool-off (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT),
    # so the lock ends one cool-off from now.
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cooloff.total_seconds() / 60))
    until = timezone.localtime(timezone.now() + cooloff).strftime("%H:%M")
    message = _(
        "Too many failed login attempts. Login is locked for this account or address: "
        "try again in %(minutes)s min. (after %(time)s)."
    ) % {"minutes": minutes, "time": until}
    body = format_html(
        '<!doctype html><html lang="ru"><meta charset="utf-8"><title>{}</title>'
        '<main style="font-family:sans-serif;max-width:32em;margin:4em auto">'
        '<h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p></main></html>',
        _("Login locked"),
        _("Login locked"),
        message,
        request.path,
        _("Back to the login page"),
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    response["Cache-Control"] = "no-store"
    return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check before any password is tried, for logins over HTTP.

    authenticate() without a request (Django's test client, a script) has no reader to throttle;
    Axes would refuse it outright, so it is passed on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
