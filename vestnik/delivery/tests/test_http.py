import pytest
from django.test import override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def test_reader_pages_carry_security_headers(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def _boom(request):
    raise RuntimeError("сломалось")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_the_russian_500_page_without_a_traceback(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Ошибка на сервере" in body
    assert "Traceback" not in body
    assert "сломалось" not in body


def test_admin_login_keeps_csrf_protection(home):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
