"""client_address: the reader behind our proxies, never an address a reader wrote themselves."""

import pytest
from django.test import RequestFactory

from vestnik.core.http import client_address


def _address(peer: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **extra))


@pytest.fixture
def proxies(settings):
    settings.VESTNIK_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    settings.VESTNIK_TRUST_X_FORWARDED_FOR = False


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.VESTNIK_TRUSTED_PROXIES = []
    settings.VESTNIK_TRUST_X_FORWARDED_FOR = False
    assert _address("10.0.0.1", "203.0.113.5") == "10.0.0.1"


def test_an_untrusted_peers_header_is_ignored(proxies):
    assert _address("192.0.2.7", "203.0.113.5") == "192.0.2.7"


def test_the_rightmost_address_that_is_not_a_proxy_is_the_reader(proxies):
    assert _address("10.0.0.1", "203.0.113.5") == "203.0.113.5"
    # Two of our proxies in a row; the leftmost hop is the reader's own (forgeable) text.
    assert _address("10.0.0.1", "1.1.1.1, 203.0.113.5, 10.9.9.9") == "203.0.113.5"
    assert _address("2001:db8::1", "2001:0db8:0:0::7, 2a00:1450::1") == "2a00:1450::1"


def test_only_proxies_or_no_header_fall_back_to_the_last_known_address(proxies):
    assert _address("10.0.0.1") == "10.0.0.1"
    assert _address("10.0.0.1", "10.0.0.2, 10.0.0.3") == "10.0.0.2"
    assert _address("10.0.0.1", "junk, 10.0.0.3") == "10.0.0.3"


def test_the_older_switch_trusts_only_this_machine(settings):
    settings.VESTNIK_TRUSTED_PROXIES = []
    settings.VESTNIK_TRUST_X_FORWARDED_FOR = True
    assert _address("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert _address("192.0.2.7", "203.0.113.5") == "192.0.2.7"
