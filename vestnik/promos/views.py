"""Reader endpoints: the lead form, the click redirect and the view beacon, the policy text."""

import base64
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from vestnik.core.http import client_address

from . import selectors, services
from .forms import LeadForm
from .models import Promo

# The smallest transparent GIF (43 bytes): the view beacon's answer.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _local_path(url: str) -> str:
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url[:500]
    return ""


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def lead_form(request, promo_id: int):
    """The promo's form: works without JavaScript; abuse gets a 4xx with a Russian message."""
    promo = get_object_or_404(Promo, pk=promo_id, target=Promo.TARGET_FORM)
    context = {
        "promo": promo,
        "policy_url": settings.VESTNIK_PRIVACY_POLICY_URL or reverse("promos:policy"),
    }
    if request.method == "GET":
        if request.GET.get("sent"):
            return render(request, "promos/lead_thanks.html", context)
        form = LeadForm(initial={"page_url": _local_path(request.GET.get("from", ""))})
        return render(request, "promos/lead_form.html", {**context, "form": form})

    form = LeadForm(request.POST)
    if form.is_bot:
        return render(
            request, "promos/lead_rejected.html", {**context, "reason": "bot"}, status=400
        )
    if services.lead_rate_limited(client_address(request)):
        return render(
            request, "promos/lead_rejected.html", {**context, "reason": "rate"}, status=429
        )
    if not form.is_valid():
        return render(request, "promos/lead_form.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    services.lead_create(
        promo=promo,
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        comment=data["comment"],
        consent=data["consent"],
        page_url=data["page_url"],
    )
    # Post/redirect/get: reloading the thank-you page sends nothing twice.
    return HttpResponseRedirect(reverse("promos:lead", args=[promo.pk]) + "?sent=1")


@require_safe
def promo_click(request, promo_id: int):
    """Count a click on the call to action, then go where it leads (HEAD, a link checker, is not a click)."""
    promo = get_object_or_404(Promo, pk=promo_id)
    if request.method == "GET":
        services.promo_event_count(promo.pk, services.CLICKS)
    if promo.target == Promo.TARGET_URL and promo.url:
        response = HttpResponseRedirect(promo.url)
    else:
        target = reverse("promos:lead", args=[promo.pk])
        came_from = _local_path(request.GET.get("from", ""))
        if came_from:
            target += "?" + urlencode({"from": came_from})
        response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def promo_seen(request, promo_id: int):
    """The view beacon: a lazy 1×1 image counts promos actually shown, even on cached pages."""
    # Only promos on show are counted: made-up ids must not grow the cache.
    if request.method == "GET" and any(c.promo.pk == promo_id for c in selectors.promos_active()):
        services.promo_event_count(promo_id, services.VIEWS)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


def policy(request):
    """The text readers agree to when they send a lead."""
    return render(request, "promos/policy.html")
