"""The site's VAPID key pair (RFC 8292), read from the settings once."""

import base64
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from py_vapid import Vapid


class VapidKeyError(ValueError):
    """The configured keys are unusable; the message says which and why (Russian)."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Strict base64url: the URL-safe alphabet only, padding optional."""
    text = text.rstrip("=")
    if not text or not all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def enabled() -> bool:
    """Readers get the button and «молнии» only with a full key pair and a contact."""
    return bool(
        settings.VESTNIK_VAPID_PUBLIC_KEY
        and settings.VESTNIK_VAPID_PRIVATE_KEY
        and settings.VESTNIK_VAPID_SUBJECT
    )


def keys_generate() -> tuple[str, str]:
    """(public, private): base64url of the uncompressed P-256 point and of the 32-byte scalar."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(public), b64url_encode(
        private.private_numbers().private_value.to_bytes(32)
    )


@cache
def signer() -> Vapid:
    """The private key, checked against the public key browsers subscribe with."""
    try:
        key = Vapid.from_string(settings.VESTNIK_VAPID_PRIVATE_KEY)
    except Exception as exc:  # py_vapid raises whatever cryptography does
        raise VapidKeyError(f"VESTNIK_VAPID_PRIVATE_KEY не читается: {exc}") from exc
    public = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    if b64url_encode(public) != settings.VESTNIK_VAPID_PUBLIC_KEY.rstrip("="):
        raise VapidKeyError(
            "VESTNIK_VAPID_PUBLIC_KEY не соответствует VESTNIK_VAPID_PRIVATE_KEY: "
            "браузеры подпишутся ключом, которым сайт не подписывает рассылку"
        )
    return key


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting.startswith("VESTNIK_VAPID_"):
        signer.cache_clear()
