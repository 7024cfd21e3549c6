"""A browser's PushSubscription as the reader's script posts it, checked before anything is stored.

The worker later POSTs to the endpoint, so it must be a push service's https address (an address
inside our own network would make the site a proxy), and the keys must be what RFC 8291 needs.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils.translation import gettext as _

from .models import ENDPOINT_MAX
from .vapid import b64url_decode

LOCAL_HOSTS = ("127.0.0.1", "localhost")


class SubscriptionInvalid(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SubscriptionInput:
    endpoint: str
    p256dh: str
    auth: str


def endpoint_clean(value) -> str:
    if not isinstance(value, str) or not value:
        raise SubscriptionInvalid(_("The subscription has no push service address."))
    if len(value) > ENDPOINT_MAX:
        raise SubscriptionInvalid(_("The push service address is too long."))
    if not (value.isascii() and value.isprintable()) or " " in value:  # NUL, newlines, spaces
        raise SubscriptionInvalid(_("The push service address is not a valid URL."))
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise SubscriptionInvalid(_("The push service address is not a valid URL.")) from exc
    host = (parts.hostname or "").lower()
    local = (settings.VESTNIK_PUSH_ALLOW_LOCAL or settings.DEBUG) and host in LOCAL_HOSTS
    if parts.username or parts.password or not host:
        raise SubscriptionInvalid(_("The push service address is not a valid URL."))
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise SubscriptionInvalid(_("The push service address must start with https://."))
    known = any(host == h or host.endswith("." + h) for h in settings.VESTNIK_PUSH_HOSTS)
    if not (known or local):
        raise SubscriptionInvalid(_("This push service is not supported."))
    return value


def _key(value, size: int, message: str) -> bytes:
    if not isinstance(value, str) or len(value) > 200:
        raise SubscriptionInvalid(message)
    try:
        raw = b64url_decode(value)
    except ValueError as exc:
        raise SubscriptionInvalid(message) from exc
    if len(raw) != size:
        raise SubscriptionInvalid(message)
    return raw


def subscription_clean(data) -> SubscriptionInput:
    """The subscription JSON ({"endpoint", "keys": {"p256dh", "auth"}}), or SubscriptionInvalid."""
    if not isinstance(data, dict):
        raise SubscriptionInvalid(_("Expected the browser's subscription as a JSON object."))
    endpoint = endpoint_clean(data.get("endpoint"))
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise SubscriptionInvalid(_("The subscription has no encryption keys."))
    bad_p256dh = _("The browser's key (p256dh) must be a 65-byte P-256 point in base64url.")
    point = _key(keys.get("p256dh"), 65, bad_p256dh)
    try:  # on the curve, uncompressed (0x04 …)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as exc:
        raise SubscriptionInvalid(bad_p256dh) from exc
    if point[0] != 4:
        raise SubscriptionInvalid(bad_p256dh)
    _key(keys.get("auth"), 16, _("The auth secret must be 16 bytes in base64url."))
    return SubscriptionInput(
        endpoint=endpoint, p256dh=keys["p256dh"].rstrip("="), auth=keys["auth"].rstrip("=")
    )
