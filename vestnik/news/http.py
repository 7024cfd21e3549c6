"""Small HTTP helpers every app may use (news is the one app all others import)."""

from django.conf import settings


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
