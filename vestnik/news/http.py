"""Small HTTP helpers every app may use (news is the one app all others import)."""

from django.conf import settings
from django.http import Http404


def client_address(request) -> str:
    """The reader's address: the peer, or the last X-Forwarded-For hop when our own proxy sets it.

    The last hop is the one our proxy appended; earlier ones come from the client and can be forged.
    """
    if settings.VESTNIK_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def listing_or_404(request, queryset):
    """One keyset page of `queryset` after `?before=`; a malformed cursor is a 404, not a 500."""
    from . import selectors

    try:
        return selectors.articles_listing(queryset, cursor=request.GET.get("before"))
    except selectors.InvalidCursor as exc:
        raise Http404("Неверная ссылка на страницу списка") from exc


def admin_forbidden(request, message: str):
    """A 403 inside the admin's frame with a reason, where Wagtail would redirect home with a notice.

    A refused write must be visibly refused (status 403), not look like a redirect that worked.
    """
    from django.template.response import TemplateResponse
    from django.utils.translation import gettext as _

    return TemplateResponse(
        request,
        "news/admin/forbidden.html",
        {"header_title": _("Access denied"), "message": message},
        status=403,
    )
