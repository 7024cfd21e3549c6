"""The reader's side: the button, the subscribe/unsubscribe POSTs, CSRF, limits, the worker."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from vestnik.push.models import PushSubscription

from .pushservice import Browser, b64e

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123:APA91bXyz"


def _subscription(endpoint=ENDPOINT, browser=None):
    browser = browser or Browser()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
    }


def _post(client, url, data):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def csrf_client():
    """A browser as push.js drives it: CSRF enforced, the token fetched from /push/token/."""
    client = Client(enforce_csrf_checks=True)
    token = client.get("/push/token/").json()["token"]
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def test_subscribe_stores_once_per_endpoint_and_unsubscribe_removes(vapid_keys, csrf_client):
    first = _subscription()
    response = _post(csrf_client, "/push/subscribe/", first)
    assert response.status_code == 200
    assert response.json()["message"] == "Молнии будут приходить уведомлениями."

    renewed = _subscription()  # the browser renewed its keys: same endpoint, one row
    assert _post(csrf_client, "/push/subscribe/", renewed).status_code == 200
    row = PushSubscription.objects.get()
    assert (row.endpoint, row.p256dh, row.auth) == (
        ENDPOINT,
        renewed["keys"]["p256dh"],
        renewed["keys"]["auth"],
    )

    response = _post(csrf_client, "/push/unsubscribe/", {"endpoint": ENDPOINT})
    assert response.status_code == 200
    assert response.json()["message"] == "Вы отписались от молний."
    assert not PushSubscription.objects.exists()


def _broken(change):
    data = _subscription()
    change(data)
    return data


NOT_ON_CURVE = b64e(b"\x04" + b"\x01" * 64)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "Ожидалась подписка браузера в виде объекта JSON."),
        ("[" * 2000 + "]" * 2000, "Ожидалась подписка браузера в виде объекта JSON."),
        ('"' + "x" * 5000 + '"', "Слишком большой запрос."),
        ([1, 2], "Ожидалась подписка браузера в виде объекта JSON."),
        (_broken(lambda d: d.pop("endpoint")), "В подписке нет адреса службы уведомлений."),
        (
            _broken(lambda d: d.update(endpoint="http://fcm.googleapis.com/fcm/send/x")),
            "Адрес службы уведомлений должен начинаться с https://.",
        ),
        (
            _broken(lambda d: d.update(endpoint="https://10.0.0.5/internal/admin")),
            "Эта служба уведомлений не поддерживается.",
        ),
        (
            _broken(lambda d: d.update(endpoint="https://fcm.googleapis.com.evil.example/x")),
            "Эта служба уведомлений не поддерживается.",
        ),
        (
            _broken(lambda d: d.update(endpoint="https://fcm.googleapis.com/" + "a" * 1000)),
            "Адрес службы уведомлений слишком длинный.",
        ),
        (
            _broken(lambda d: d.update(endpoint="https://user:pw@fcm.googleapis.com/x")),
            "Неправильный адрес службы уведомлений.",
        ),
        (
            _broken(lambda d: d.update(endpoint="https://fcm.googleapis.com/x\x00y")),
            "Неправильный адрес службы уведомлений.",
        ),
        (_broken(lambda d: d.pop("keys")), "В подписке нет ключей шифрования."),
        (
            _broken(lambda d: d["keys"].update(p256dh=d["keys"]["p256dh"][:-4])),
            "Ключ браузера (p256dh) должен быть точкой P-256 длиной 65 байт в base64url.",
        ),
        (
            _broken(lambda d: d["keys"].update(p256dh=NOT_ON_CURVE)),
            "Ключ браузера (p256dh) должен быть точкой P-256 длиной 65 байт в base64url.",
        ),
        (
            _broken(lambda d: d["keys"].update(p256dh="+/" + d["keys"]["p256dh"][2:])),
            "Ключ браузера (p256dh) должен быть точкой P-256 длиной 65 байт в base64url.",
        ),
        (
            _broken(lambda d: d["keys"].update(auth=b64e(b"x" * 15))),
            "Секрет auth должен быть длиной 16 байт в base64url.",
        ),
        (
            _broken(lambda d: d["keys"].update(auth=12345)),
            "Секрет auth должен быть длиной 16 байт в base64url.",
        ),
    ],
)
def test_bad_subscription_is_refused_in_russian_and_nothing_stored(
    vapid_keys, client, data, message
):
    response = _post(client, "/push/subscribe/", data)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not PushSubscription.objects.exists()


def test_local_endpoints_only_where_allowed(vapid_keys, client, settings):
    local = _subscription("http://127.0.0.1:8421/wpush/1")
    assert _post(client, "/push/subscribe/", local).status_code == 200
    settings.VESTNIK_PUSH_ALLOW_LOCAL = False
    other = _subscription("http://127.0.0.1:8421/wpush/2")
    assert _post(client, "/push/subscribe/", other).status_code == 400
    assert PushSubscription.objects.count() == 1


def test_too_many_requests_from_one_address_get_429(vapid_keys, client, settings):
    settings.VESTNIK_PUSH_RATE_LIMIT = 3
    for n in range(3):
        endpoint = f"{ENDPOINT}{n}"
        assert _post(client, "/push/subscribe/", _subscription(endpoint)).status_code == 200
    response = _post(client, "/push/subscribe/", _subscription(ENDPOINT + "x"))
    assert response.status_code == 429
    assert response.json()["error"] == "Слишком много запросов. Попробуйте через несколько минут."
    assert _post(client, "/push/unsubscribe/", {"endpoint": ENDPOINT + "0"}).status_code == 429
    assert PushSubscription.objects.count() == 3
    other = Client(REMOTE_ADDR="203.0.113.9")  # another reader is not held up
    assert _post(other, "/push/subscribe/", _subscription(ENDPOINT + "y")).status_code == 200


def test_post_without_csrf_token_is_refused(vapid_keys):
    client = Client(enforce_csrf_checks=True)
    assert _post(client, "/push/subscribe/", _subscription()).status_code == 403
    client.get("/push/token/")  # the cookie alone is not enough: the header must match it
    assert _post(client, "/push/subscribe/", _subscription()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_token_is_never_cached(client):
    response = client.get("/push/token/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response.cookies["csrftoken"].value


def test_without_keys_no_button_and_no_subscriptions(client, home):
    page = client.get("/").content.decode()
    assert "data-push-key" not in page
    assert "push.js" not in page
    response = _post(client, "/push/subscribe/", _subscription())
    assert response.status_code == 404
    assert response.json()["error"] == "Уведомления о молниях на этом сайте не включены."
    assert not PushSubscription.objects.exists()


def test_with_keys_the_footer_offers_breaking_news(vapid_keys, client, home):
    page = client.get("/").content.decode()
    footer = page[page.index('<footer class="site-footer"') :]
    assert f'data-push-key="{vapid_keys}"' in footer
    assert "Получать молнии" in footer
    assert 'data-worker-url="/sw.js"' in footer
    assert "<script>" not in footer  # CSP: no inline script
    assert "/static/push/push.js" in footer


def test_service_worker_is_served_at_the_root_and_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert b"showNotification" in response.content
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.post("/sw.js").status_code == 405


def test_vapid_keys_prints_a_working_pair(capsys, settings):
    call_command("vapid_keys", "--subject", "mailto:news@example.com")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    settings.VESTNIK_VAPID_PUBLIC_KEY = lines["VESTNIK_VAPID_PUBLIC_KEY"]
    settings.VESTNIK_VAPID_PRIVATE_KEY = lines["VESTNIK_VAPID_PRIVATE_KEY"]
    settings.VESTNIK_VAPID_SUBJECT = lines["VESTNIK_VAPID_SUBJECT"]
    from vestnik.push import checks

    assert checks.vapid_keys_check(None) == []


def test_vapid_keys_refuses_bad_options():
    with pytest.raises(CommandError, match="mailto:news@example.com"):
        call_command("vapid_keys", "--subject", "news@example.com")
    with pytest.raises(CommandError, match="unrecognized arguments"):
        call_command("vapid_keys", "--bits", "2048")


def test_mismatched_keys_fail_the_system_check(vapid_keys, settings):
    from vestnik.push import checks
    from vestnik.push.vapid import keys_generate

    settings.VESTNIK_VAPID_PUBLIC_KEY = keys_generate()[0]
    errors = checks.vapid_keys_check(None)
    assert [e.id for e in errors] == ["push.E001"]
    assert "не соответствует" in errors[0].msg


def test_editors_dashboard_counts_subscribers_not_who(client, editor_user, vapid_keys):
    for n in range(3):
        PushSubscription.objects.create(endpoint=f"{ENDPOINT}{n}", p256dh="x", auth="y")
    client.force_login(editor_user)
    html = client.get("/admin/").content.decode()
    assert "3 подписчика на молнии" in html
    assert "рассылка выключена" not in html
    assert "fcm.googleapis.com" not in html


def test_page_cache_shares_the_button_and_never_keeps_the_worker(
    vapid_keys, client, home, settings
):
    settings.VESTNIK_PAGE_CACHE = True
    first, second = client.get("/"), Client().get("/")
    assert second["X-Cache"] == "HIT"  # one copy for every reader, button included
    assert first.content == second.content
    assert b"data-push-key" in second.content
    for _ in range(2):
        worker = client.get("/sw.js")
        assert worker.status_code == 200
        assert worker.get("X-Cache") != "HIT"
        assert worker["Service-Worker-Allowed"] == "/"
