"""The rates widget's currencies are a site-wide setting: authors cannot change them."""

import pytest

from vestnik.markets.models import RatesSettings

pytestmark = pytest.mark.django_db


def test_authors_cannot_change_the_widgets_currencies(client, author_user):
    url = f"/admin/settings/markets/ratessettings/{RatesSettings.load().pk}/"
    client.force_login(author_user)
    response = client.post(url, {"widget_currencies": "JPY"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"  # Wagtail's «нет прав», not a save
    assert RatesSettings.load().widget_currencies == "USD, EUR, CNY"
