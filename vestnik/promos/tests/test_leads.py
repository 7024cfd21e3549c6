import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from vestnik.promos.models import Lead, Promo

from . import factories

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Анна Петрова",
    "email": "anna@example.ru",
    "phone": "",
    "comment": "Перезвоните после обеда",
    "consent": "on",
    "page_url": "/politika/statia/",
    "website": "",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def promo(home):
    return factories.promo(placement=Promo.FEED)


def _url(promo):
    return reverse("promos:lead", args=[promo.pk])


def test_a_valid_lead_is_stored_with_promo_page_and_time_then_thanked(client, promo):
    response = client.post(_url(promo), VALID)
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.promo, lead.name, lead.email, lead.page_url) == (
        promo,
        "Анна Петрова",
        "anna@example.ru",
        "/politika/statia/",
    )
    assert lead.consent
    assert lead.created_at
    thanks = client.get(response["Location"])
    assert "Спасибо, заявка отправлена" in thanks.content.decode()


def test_the_form_works_without_javascript_and_links_the_policy(client, promo):
    html = client.get(_url(promo) + "?from=/politika/statia/").content.decode()
    assert '<form method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert '<label for="id_name">' in html
    assert 'href="/privacy/"' in html
    assert 'value="/politika/statia/"' in html
    policy = client.get("/privacy/")
    assert policy.status_code == 200
    assert "персональных данных" in policy.content.decode()


def test_errors_are_russian_next_to_the_fields_and_keep_what_was_typed(client, promo):
    data = {**VALID, "email": "", "phone": "", "consent": "", "comment": "Мой <b>текст</b>"}
    response = client.post(_url(promo), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Укажите e-mail или телефон" in html
    assert "Отметьте согласие на обработку персональных данных" in html
    assert 'value="Анна Петрова"' in html
    assert "Мой &lt;b&gt;текст&lt;/b&gt;" in html  # kept, and shown as text
    email_input = re.search(r"<input[^>]+name=\"email\"[^>]*>", html).group(0)
    assert 'aria-describedby="id_email-error"' in email_input
    assert 'aria-invalid="true"' in email_input
    assert 'id="id_email-error"' in html
    assert 'id="id_consent-error"' in html
    assert not Lead.objects.exists()


def test_a_malformed_phone_is_refused_in_russian(client, promo):
    response = client.post(_url(promo), {**VALID, "email": "", "phone": "позвоните"})
    assert response.status_code == 400
    assert "Укажите телефон цифрами" in response.content.decode()
    ok = client.post(_url(promo), {**VALID, "email": "", "phone": "+7 (900) 123-45-67"})
    assert ok.status_code == 302
    assert Lead.objects.get().phone == "+7 (900) 123-45-67"


def test_a_filled_honeypot_is_a_400_and_stores_nothing(client, promo):
    response = client.post(_url(promo), {**VALID, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "заполнена автоматически" in response.content.decode()
    assert not Lead.objects.exists()


def test_too_many_leads_from_one_address_get_429(client, promo, settings):
    settings.VESTNIK_LEAD_RATE_LIMIT = 2
    assert client.post(_url(promo), VALID).status_code == 302
    assert client.post(_url(promo), VALID).status_code == 302
    refused = client.post(_url(promo), VALID)
    assert refused.status_code == 429
    assert "Слишком много заявок" in refused.content.decode()
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(_url(promo), VALID).status_code == 302
    assert Lead.objects.count() == 3


def test_the_rate_limit_uses_the_forwarded_address_only_behind_a_trusted_proxy(promo, settings):
    settings.VESTNIK_LEAD_RATE_LIMIT = 1
    forged = {"HTTP_X_FORWARDED_FOR": "1.1.1.1"}
    assert Client(**forged).post(_url(promo), VALID).status_code == 302
    forged["HTTP_X_FORWARDED_FOR"] = "2.2.2.2"  # untrusted header: still the same peer
    assert Client(**forged).post(_url(promo), VALID).status_code == 429
    settings.VESTNIK_TRUST_X_FORWARDED_FOR = True
    cache.clear()
    assert (
        Client(HTTP_X_FORWARDED_FOR="9.9.9.9, 3.3.3.3").post(_url(promo), VALID).status_code == 302
    )
    assert (
        Client(HTTP_X_FORWARDED_FOR="9.9.9.9, 4.4.4.4").post(_url(promo), VALID).status_code == 302
    )


def test_a_post_without_the_csrf_token_is_refused(promo):
    response = Client(enforce_csrf_checks=True).post(_url(promo), VALID)
    assert response.status_code == 403
    assert not Lead.objects.exists()


def test_a_foreign_page_url_is_not_stored(client, promo):
    client.post(_url(promo), {**VALID, "page_url": "https://evil.example/x"})
    assert Lead.objects.get().page_url == ""


def test_a_promo_leading_to_a_url_has_no_form(client, home):
    promo = factories.promo(target=Promo.TARGET_URL, url="https://example.ru/kurs")
    assert client.get(_url(promo)).status_code == 404
