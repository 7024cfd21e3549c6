"""Lite mode for zero-rated mobile traffic: no video, small pictures, nothing from other sites.

A carrier that lets subscribers read news sites for free (even at a zero balance) either marks
those requests with a header at its gateway or sends them from known address ranges. Both are
configured in settings and off by default. `?lite=1` previews the mode.

Caches: the mode is part of the response's variant. A zero-rated request marked by the header
gets `Vary: <header>`; a `?lite=1` preview is another URL and is sent `Cache-Control: private`;
a request recognised by its address cannot be told apart by a shared cache at all, so such lite
responses are `private` too. Page caches inside Vestnik key on `cache_variant(request)`.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

from vestnik.core.http import client_address

LITE = "lite"
FULL = "full"


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]):
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs)


def _header_says_lite(request) -> bool:
    name = settings.VESTNIK_LITE_HEADER
    if not name:
        return False
    value = request.headers.get(name)
    if value is None:
        return False
    accepted = settings.VESTNIK_LITE_HEADER_VALUES
    # No values configured: the header's presence is enough.
    return not accepted or value.strip().lower() in {v.lower() for v in accepted}


def _address_says_lite(request) -> bool:
    networks = _networks(tuple(settings.VESTNIK_LITE_NETWORKS))
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in networks)


def cache_variant(request) -> str:
    """The part of a page-cache key that keeps lite and full pages apart."""
    return LITE if getattr(request, "lite_mode", False) else FULL


class LiteModeMiddleware:
    """Sets `request.lite_mode` and keeps shared caches from mixing the two variants."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preview = request.GET.get("lite") == "1"
        by_header = _header_says_lite(request)
        by_address = not by_header and _address_says_lite(request)
        request.lite_mode = preview or by_header or by_address
        response = self.get_response(request)
        if settings.VESTNIK_LITE_HEADER:
            patch_vary_headers(response, [settings.VESTNIK_LITE_HEADER])
        if request.lite_mode and (preview or by_address):
            patch_cache_control(response, private=True)
            if "X-Accel-Expires" in response:  # it would outrank `private` in nginx's cache
                del response["X-Accel-Expires"]
        if request.lite_mode:
            response.headers.setdefault("X-Vestnik-Variant", LITE)
        return response
