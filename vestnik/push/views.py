"""The reader's subscribe / unsubscribe POSTs (JSON), their CSRF token, and the service worker.

Pages are cached and shared, so they carry no CSRF token: push.js fetches it from `push_token`
(never cached, sets the cookie) and sends it as X-CSRFToken, as comments.js does for its forms.
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from vestnik.core.http import client_address
from vestnik.core.ratelimit import ratelimit_hit

from . import services, vapid
from .validation import SubscriptionInvalid, endpoint_clean, subscription_clean

# A subscription's JSON is well under 1 KB; anything larger is not one.
BODY_MAX = 4096
WORKER = Path(__file__).parent / "worker" / "sw.js"


def _error(message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _refusal(request):
    """The answer when the request cannot be taken, else None (then `request.push_data` is set)."""
    if not vapid.enabled():
        return _error(_("Breaking news notifications are not available on this site."), 404)
    if not ratelimit_hit(
        services.address_key(client_address(request)),
        settings.VESTNIK_PUSH_RATE_LIMIT,
        settings.VESTNIK_PUSH_RATE_WINDOW,
    ):
        return _error(_("Too many requests. Please try again in a few minutes."), 429)
    if len(request.body) > BODY_MAX:
        return _error(_("The request is too large."), 400)
    try:
        request.push_data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[…]]]]
        return _error(_("Expected the browser's subscription as a JSON object."), 400)
    return None


@require_POST
def subscribe(request):
    refusal = _refusal(request)
    if refusal:
        return refusal
    try:
        data = subscription_clean(request.push_data)
    except SubscriptionInvalid as exc:
        return _error(exc.message, 400)
    services.subscription_save(data)
    return JsonResponse({"ok": True, "message": _("Breaking news notifications are on.")})


@require_POST
def unsubscribe(request):
    refusal = _refusal(request)
    if refusal:
        return refusal
    data = request.push_data
    try:
        endpoint = endpoint_clean(data.get("endpoint") if isinstance(data, dict) else None)
    except SubscriptionInvalid as exc:
        return _error(exc.message, 400)
    services.subscription_delete(endpoint)
    return JsonResponse({"ok": True, "message": _("Breaking news notifications are off.")})


@require_safe
@never_cache
def token(request):
    """The CSRF token for push.js on a cached page (and its cookie)."""
    return JsonResponse({"token": get_token(request)})


@cache
def _worker() -> tuple[bytes, str]:
    body = WORKER.read_bytes()
    return body, quote_etag(hashlib.sha256(body).hexdigest()[:32])


@require_safe
def service_worker(request):
    """/sw.js: at the site root so its scope is the whole site. `no-cache`: browsers revalidate
    (ETag) and pick up a new version at once; the page cache never stores it."""
    body, etag = _worker()
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
