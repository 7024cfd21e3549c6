"""A published «молния» reaches every subscriber once, encrypted and signed, through a local push
service that verifies VAPID and decrypts the payload as a browser would."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vestnik.core.events import (
    CHANGED,
    PUBLISHED,
    UNPUBLISHED,
    BreakingEvent,
    breaking_changed_send,
)
from vestnik.push import services, tasks
from vestnik.push.models import PushDelivery, PushMessage, PushSubscription

from .conftest import SUBJECT
from .pushservice import claims_ok

pytestmark = pytest.mark.django_db


def _subscribe(push_service, path, *statuses):
    endpoint, browser = push_service.subscribe(path, *statuses)
    PushSubscription.objects.create(endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth)
    return endpoint


def _breaking(captured, kind=PUBLISHED, key="article:42", title="Курс доллара превысил 100 рублей"):
    with captured(execute=True):
        breaking_changed_send(
            BreakingEvent(
                kind=kind,
                key=key,
                title=title,
                url="/investitsii/kurs/",
                published_at=timezone.now(),
            )
        )


def test_published_breaking_is_signed_encrypted_and_opens_the_article(
    vapid_keys, push_service, django_capture_on_commit_callbacks
):
    for n in range(3):
        _subscribe(push_service, f"/wpush/{n}")

    _breaking(django_capture_on_commit_callbacks)

    assert sorted(r.path for r in push_service.received) == ["/wpush/0", "/wpush/1", "/wpush/2"]
    for received in push_service.received:
        assert claims_ok(received.claims, push_service.origin, SUBJECT), received.claims
        assert received.vapid_key == vapid_keys
        assert received.headers["content-encoding"] == "aes128gcm"
        assert received.headers["ttl"] == "1800"
        assert received.headers["urgency"] == "high"
        assert received.payload == {
            "title": "Молния",
            "body": "Курс доллара превысил 100 рублей",
            "url": "http://testserver/investitsii/kurs/",
            "tag": "article:42",
        }
    assert set(PushDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_each_subscriber_gets_a_key_once_whatever_runs_again(
    vapid_keys, push_service, django_capture_on_commit_callbacks
):
    for n in range(3):
        _subscribe(push_service, f"/wpush/{n}")
    _breaking(django_capture_on_commit_callbacks)
    assert push_service.count == 3

    # The task again (a retry, a second worker), the same event again (a republish), a correction
    # and a withdrawal: nothing more is sent.
    assert services.message_send("article:42") == 0
    PushMessage.objects.update(finished_at=None)
    assert services.message_send("article:42") == 0
    _breaking(django_capture_on_commit_callbacks)
    _breaking(django_capture_on_commit_callbacks, kind=CHANGED, title="Исправлено")
    _breaking(django_capture_on_commit_callbacks, kind=UNPUBLISHED)
    assert push_service.count == 3

    # A new «молния» goes out, to everyone, once.
    _breaking(django_capture_on_commit_callbacks, key="live-post:7", title="Второе")
    assert push_service.count == 6


def test_two_runs_at_once_split_the_subscribers(vapid_keys, push_service):
    for n in range(4):
        _subscribe(push_service, f"/wpush/{n}")
    message = PushMessage.objects.create(key="article:1", title="Т", url="http://testserver/")
    ids = list(PushSubscription.objects.order_by("pk").values_list("pk", flat=True))
    first = services._claim(message, 0, ids[1])
    second = services._claim(message, 0, ids[-1])  # overlaps the first run's range
    assert first == ids[:2]
    assert sorted(second) == ids[2:]


def test_gone_subscribers_are_dropped_failures_retried_and_nobody_else_held_up(
    vapid_keys, push_service, settings
):
    settings.VESTNIK_PUSH_RETRIES = 3
    ok = _subscribe(push_service, "/ok")
    _subscribe(push_service, "/gone", 410)
    _subscribe(push_service, "/unknown", 404)
    _subscribe(push_service, "/flaky", 500, 503, 429)  # then 201
    down = _subscribe(push_service, "/down", 500, 500, 500, 500)
    refused = _subscribe(push_service, "/refused", 400)
    closed = PushSubscription.objects.create(  # nothing listens there
        endpoint="http://127.0.0.1:9/closed",
        p256dh=PushSubscription.objects.get(endpoint=ok).p256dh,
        auth=PushSubscription.objects.get(endpoint=ok).auth,
    )
    broken = PushSubscription.objects.create(  # stored before validation existed, say
        endpoint=push_service.origin + "/broken", p256dh="not-a-key", auth="AAAA"
    )
    PushMessage.objects.create(key="article:5", title="Срочно", url="http://testserver/a/")

    assert services.message_send("article:5") == 2  # /ok and /flaky

    assert [r.path for r in push_service.at("/ok")] == ["/ok"]
    assert len(push_service.at("/flaky")) == 4  # three refusals, then sent
    assert push_service.at("/flaky")[-1].payload["body"] == "Срочно"
    assert len(push_service.at("/down")) == 4  # 1 + 3 retries, then given up
    assert len(push_service.at("/refused")) == 1  # a 400 is not retried
    endpoints = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert push_service.origin + "/gone" not in endpoints
    assert push_service.origin + "/unknown" not in endpoints
    assert {ok, down, refused, closed.endpoint} <= endpoints  # failures keep their subscription
    statuses = dict(PushDelivery.objects.values_list("subscription__endpoint", "status"))
    assert statuses[down] == statuses[refused] == statuses[closed.endpoint] == "failed"
    assert statuses[broken.endpoint] == "failed"
    assert push_service.at("/broken") == []  # could not even be encrypted
    assert statuses[ok] == statuses[push_service.origin + "/flaky"] == "sent"
    message = PushMessage.objects.get()
    assert message.finished_at is not None
    assert (message.sent, message.failed) == (2, 4)


def test_old_delivery_rows_are_pruned_but_the_key_still_sends_nothing(
    vapid_keys, push_service, django_capture_on_commit_callbacks
):
    _subscribe(push_service, "/wpush/0")
    _breaking(django_capture_on_commit_callbacks)
    assert PushDelivery.objects.count() == 1
    tasks.upkeep()
    assert PushDelivery.objects.count() == 1  # finished only now: kept for a day
    PushMessage.objects.update(finished_at=timezone.now() - timedelta(days=2))
    tasks.upkeep()
    assert not PushDelivery.objects.exists()
    assert PushMessage.objects.get().sent == 1
    _breaking(django_capture_on_commit_callbacks)  # republished
    assert push_service.count == 1


def test_a_crash_mid_run_resumes_where_it_stopped(
    vapid_keys, push_service, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.VESTNIK_PUSH_BATCH = 2
    endpoints = [_subscribe(push_service, f"/wpush/{n}") for n in range(5)]
    PushMessage.objects.create(key="article:9", title="Т", url="http://testserver/")
    record = services._record
    calls = []

    def record_then_die(message, outcomes):
        calls.append(1)
        if len(calls) == 2:  # the worker dies after sending the 2nd batch, before recording it
            raise KeyboardInterrupt
        record(message, outcomes)

    monkeypatch.setattr(services, "_record", record_then_die)
    with pytest.raises(KeyboardInterrupt):
        services.message_send("article:9")
    monkeypatch.setattr(services, "_record", record)
    assert push_service.count == 4

    # Queued again while the dead run's claims are fresh: only the subscriber never claimed.
    services.message_send("article:9")
    assert [r.path for r in push_service.received[4:]] == ["/wpush/4"]

    # The job finds it abandoned (claims older than the lease) and the unconfirmed batch goes
    # again: the push service and the browser replace a message with the same Topic / tag.
    PushMessage.objects.update(finished_at=None)
    PushDelivery.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.upkeep() == 1
    assert sorted(r.path for r in push_service.received[5:]) == ["/wpush/2", "/wpush/3"]
    topics = {r.headers["topic"] for r in push_service.received}
    assert len(topics) == 1
    assert len(topics.pop()) <= 32
    counts = {e: len(push_service.at(e.removeprefix(push_service.origin))) for e in endpoints}
    assert [counts[e] for e in endpoints] == [1, 1, 2, 2, 1]
    assert set(PushDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_nothing_is_sent_without_keys(push_service, django_capture_on_commit_callbacks):
    _subscribe(push_service, "/wpush/0")
    _breaking(django_capture_on_commit_callbacks)
    assert push_service.count == 0
    assert not PushMessage.objects.exists()


def test_a_stale_message_is_not_sent(vapid_keys, push_service):
    _subscribe(push_service, "/wpush/0")
    message = PushMessage.objects.create(key="article:3", title="Т", url="http://testserver/")
    PushMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert services.message_send("article:3") == 0
    assert push_service.count == 0
