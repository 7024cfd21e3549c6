"""«Получать молнии» in a real browser (Debian's chromium through Playwright).

Headless chromium has the Push API but no push service to subscribe with (Chrome's is Google's,
out of reach here), so `PushManager.subscribe` is replaced in the page by one that returns what a
browser would: an endpoint (our local push service) and a real P-256 key and auth secret made in
the test. Everything else is real: the page's script, the CSRF token fetch, the service worker
registered at /sw.js under the site's CSP, the server's checks, and then a «молния» sent to that
subscription, which the local push service decrypts with the browser's key. The worker's push
handler gets a message through the DevTools protocol (what a push service would deliver) and must
show the notification.
"""

import json

import pytest
from django.utils import timezone

from vestnik.core.events import PUBLISHED, BreakingEvent, breaking_changed_send
from vestnik.push.models import PushSubscription

from .pushservice import b64e

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.embedded_only,
]

STUB = """
(() => {
  const given = %s;
  let current = null;
  window.__applicationServerKeys = [];
  PushManager.prototype.subscribe = function (options) {
    window.__applicationServerKeys.push(Array.from(new Uint8Array(options.applicationServerKey)));
    current = {
      endpoint: given.endpoint,
      toJSON() { return { endpoint: given.endpoint, expirationTime: null, keys: given.keys }; },
      unsubscribe() { current = null; return Promise.resolve(true); },
    };
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
})();
"""


@pytest.fixture
def reader(browser, live_server):
    context = browser.new_context(locale="ru-RU")
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Failed to load resource" not in message.text  # reported by "response" below
            and page.problems.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")  # the test site has none
            and page.problems.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    context.close()


def test_reader_subscribes_gets_a_breaking_news_and_unsubscribes(
    reader, live_server, home, vapid_keys, push_service
):
    endpoint, push_browser = push_service.subscribe("/wpush/reader")
    given = {
        "endpoint": endpoint,
        "keys": {"p256dh": push_browser.p256dh, "auth": push_browser.auth},
    }
    reader.add_init_script(STUB % json.dumps(given))

    reader.goto(live_server.url + "/")
    button = reader.get_by_role("button", name="Получать молнии")
    button.wait_for()
    scope = reader.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server.url + "/"

    button.click()
    reader.get_by_text("Молнии будут приходить уведомлениями.").wait_for()
    assert reader.get_by_role("button", name="Отписаться от молний").is_visible()
    keys = reader.evaluate("window.__applicationServerKeys")
    assert [b64e(bytes(k)) for k in keys] == [vapid_keys]  # subscribed with the site's key
    stored = PushSubscription.objects.get()
    assert (stored.endpoint, stored.p256dh, stored.auth) == (
        endpoint,
        push_browser.p256dh,
        push_browser.auth,
    )

    # A «молния» reaches the subscription the page handed over, readable with the browser's key.
    from django.db import transaction

    with transaction.atomic():
        breaking_changed_send(
            BreakingEvent(
                PUBLISHED,
                "article:7",
                "Сильный снегопад в Москве",
                "/obshchestvo/sneg/",
                timezone.now(),
            )
        )
    (received,) = push_service.at("/wpush/reader")
    assert received.payload["body"] == "Сильный снегопад в Москве"

    # The worker shows what the push service delivers.
    cdp = reader.context.new_cdp_session(reader)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(100):  # the registrations arrive as events
        ours = [r for r in registrations if r["scopeURL"] == live_server.url + "/"]
        if ours:
            break
        reader.wait_for_timeout(100)
    (registration,) = ours
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(received.payload, ensure_ascii=False),
        },
    )
    shown = reader.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          for (let i = 0; i < 50; i++) {
            const list = await registration.getNotifications();
            if (list.length) return list.map(n => ({title: n.title, body: n.body, tag: n.tag, url: n.data.url}));
            await new Promise(r => setTimeout(r, 100));
          }
          return [];
        }"""
    )
    assert shown == [
        {
            "title": "Молния",
            "body": "Сильный снегопад в Москве",
            "tag": "article:7",
            "url": "http://testserver/obshchestvo/sneg/",
        }
    ]

    reader.get_by_role("button", name="Отписаться от молний").click()
    reader.get_by_text("Вы отписались от молний.").wait_for()
    assert reader.get_by_role("button", name="Получать молнии").is_visible()
    assert not PushSubscription.objects.exists()
    assert reader.problems == []  # no script error, no CSP refusal
