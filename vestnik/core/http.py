"""The reader's address, read in one place (login throttling, rate limits, lite mode)."""

import ipaddress
from functools import lru_cache

from django.conf import settings

# VESTNIK_TRUST_X_FORWARDED_FOR=true without a list: the proxy on this machine (its old meaning).
LOOPBACK = ("127.0.0.0/8", "::1/128")


def client_address(request) -> str:
    """The reader's address: the peer, or, when the peer is one of our proxies, the rightmost
    X-Forwarded-For hop that is not one of them.

    Each proxy appends the address it was talking to, so hops are read from the right and trusted
    only while they are our proxies; the first other address is the reader. Hops to its left come
    from the reader and can be forged. An untrusted peer's header is ignored altogether.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    networks = _trusted_networks(
        tuple(settings.VESTNIK_TRUSTED_PROXIES), settings.VESTNIK_TRUST_X_FORWARDED_FOR
    )
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = peer
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        try:
            hop = str(ipaddress.ip_address(hop))
        except ValueError:  # not an address: stop at the last proxy that is one of ours
            return address
        address = hop
        if not _trusted(hop, networks):
            return hop
    return address


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple, trust_forwarded: bool) -> tuple:
    if not proxies and trust_forwarded:
        proxies = LOOPBACK
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
