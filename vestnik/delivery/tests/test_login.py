"""/admin/login/ throttling (django-axes): per account and per address, Russian, shared counts."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-1"  # conftest's users


def _login(username: str, password: str, address: str = "192.0.2.30", client=None):
    client = client or Client()
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(response) -> bool:
    return response.status_code == 302 and "/admin/login/" not in response["Location"]


def _cool_off_passes():
    # Instead of waiting: the failures are moved back past the cool-off.
    from django.conf import settings
    from django.utils import timezone

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1)
    )


def test_an_account_locks_after_the_limit_and_refuses_even_the_right_password(
    editor_user, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(2):
        assert _login("editor", "wrong", address=f"192.0.2.{n}").status_code == 200
    locked = _login("editor", "wrong", address="192.0.2.2")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Слишком много неудачных попыток входа" in text
    assert "попробуйте снова через 15 мин." in text
    assert locked["Retry-After"] == "900"
    # From a fresh address too: the account is locked, the right password changes nothing.
    assert _login("editor", PASSWORD, address="198.51.100.1").status_code == 429
    _cool_off_passes()
    assert _logged_in(_login("editor", PASSWORD, address="198.51.100.1"))


def test_an_address_locks_across_accounts(editor_user, author_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("guess1", "guess2", "guess3"):
        _login(name, "wrong", address="203.0.113.9")
    # Another account, its right password, from the locked address: refused.
    assert _login("author", PASSWORD, address="203.0.113.9").status_code == 429
    # The same account from another address is let in.
    assert _logged_in(_login("author", PASSWORD, address="203.0.113.10"))
    _cool_off_passes()
    assert _logged_in(_login("editor", PASSWORD, address="203.0.113.9"))


def test_behind_a_trusted_proxy_the_reader_address_is_locked_not_the_proxy(
    editor_user, author_user, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    settings.VESTNIK_TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client(HTTP_X_FORWARDED_FOR="203.0.113.66")
    for name in ("guess1", "guess2", "guess3"):
        _login(name, "wrong", address="127.0.0.1", client=client)
    assert _login("author", PASSWORD, address="127.0.0.1", client=client).status_code == 429
    colleague = Client(HTTP_X_FORWARDED_FOR="203.0.113.67")
    assert _logged_in(_login("editor", PASSWORD, address="127.0.0.1", client=colleague))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
