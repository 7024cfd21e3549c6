"""Writes: subscriptions, one message per «молния» key, and sending it once to every subscriber.

A message is sent in batches of VESTNIK_PUSH_BATCH subscribers in id order. Each batch is first
claimed: one INSERT of `PushDelivery` rows that skips subscribers already claimed (the unique
(message, subscription) pair), so two runs of the task at once split the subscribers between them
and a second run after the first sends nothing. The outcomes are written after the batch. A run
that dies mid-batch leaves at most that batch `claimed`; the `push_upkeep` job queues the message
again after VESTNIK_PUSH_LEASE, and the new run re-sends only those (the RFC 8030 Topic and the
notification's tag make a push service and the browser replace rather than repeat it).
"""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import override, pgettext

from vestnik.core.events import BreakingEvent

from . import vapid
from .models import PushDelivery, PushMessage, PushSubscription
from .sender import FAILED, GONE, SENT, Outcome, Sender, Target
from .validation import SubscriptionInput

logger = logging.getLogger(__name__)

# A push service takes at most 4 KB of payload; a headline is far shorter.
BODY_MAX = 300


def address_key(address: str) -> str:
    """The rate-limit key of a reader's address: a keyed hash, never the address itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"push:addr:{digest[:32]}"


def subscription_save(data: SubscriptionInput) -> PushSubscription:
    """Store a browser's subscription; the same endpoint again updates its keys (one row)."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=data.endpoint, defaults={"p256dh": data.p256dh, "auth": data.auth}
    )
    return subscription


def subscription_delete(endpoint: str) -> bool:
    deleted, _rows = PushSubscription.objects.filter(endpoint=endpoint).delete()
    return bool(deleted)


def absolute_url(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + url.lstrip("/")


def message_create(event: BreakingEvent) -> PushMessage | None:
    """The message for a published «молния», or None when its key has one already (a republish,
    the same event twice) or push is off. The caller queues the new one (tasks.queue)."""
    if not vapid.enabled():
        return None
    message, created = PushMessage.objects.get_or_create(
        key=event.key[:100],
        defaults={"title": event.title[:500], "url": absolute_url(event.url)[:1000]},
    )
    return message if created else None


def payload(message: PushMessage) -> bytes:
    """What the service worker shows (push/worker/sw.js): «Молния», the headline, the link."""
    body = message.title if len(message.title) <= BODY_MAX else message.title[: BODY_MAX - 1] + "…"
    with override(settings.LANGUAGE_CODE):  # the worker has no reader's request
        title = pgettext("web push", "Breaking news")
    data = {"title": title, "body": body, "url": message.url, "tag": message.key}
    return json.dumps(data, ensure_ascii=False).encode()


def message_send(key: str) -> int:
    """Send the message `key` to every subscriber not yet sent it; the number sent now."""
    message = PushMessage.objects.filter(key=key, finished_at__isnull=True).first()
    if message is None:
        return 0
    if not vapid.enabled():
        logger.warning("Push %s not sent: VAPID keys are not configured", key)
        return 0
    now = timezone.now()
    if message.created_at < now - timedelta(seconds=settings.VESTNIK_PUSH_TTL):
        # Older than push services would keep it: the news is no longer breaking.
        _finish(message)
        return 0
    sender = Sender(
        vapid.signer(),
        settings.VESTNIK_VAPID_SUBJECT,
        payload(message),
        message.key,
        ttl=settings.VESTNIK_PUSH_TTL,
        threads=settings.VESTNIK_PUSH_THREADS,
        retries=settings.VESTNIK_PUSH_RETRIES,
        backoff=settings.VESTNIK_PUSH_BACKOFF,
        timeout=settings.VESTNIK_PUSH_TIMEOUT,
    )
    sent = 0
    with sender:
        for batch in _batches(message):
            outcomes = sender.send_all(batch)
            _record(message, outcomes)
            sent += sum(1 for o in outcomes if o.result == SENT)
    _finish(message)
    logger.info("Push %s: %s sent", key, sent)
    return sent


def _batches(message: PushMessage):
    """Claimed batches of targets: first a dead run's stale claims, then new subscribers."""
    stale = _reclaim(message)
    for start in range(0, len(stale), settings.VESTNIK_PUSH_BATCH):
        yield _targets(stale[start : start + settings.VESTNIK_PUSH_BATCH])
    after = 0
    while True:
        ids = list(
            PushSubscription.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.VESTNIK_PUSH_BATCH]
        )
        if not ids:
            return
        claimed = _claim(message, after, ids[-1])
        after = ids[-1]
        if claimed:
            yield _targets(claimed)


def _claim(message: PushMessage, after: int, upto: int) -> list[int]:
    """Insert the delivery rows of subscribers after < id <= upto that have none for this
    message; the ids this run inserted (a concurrent run's are skipped, never sent twice)."""
    delivery, subscription = PushDelivery._meta.db_table, PushSubscription._meta.db_table
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(delivery)} ({q('message_id')}, {q('subscription_id')}, {q('status')}, "
        f"{q('claimed_at')}) "
        f"SELECT %s, s.{q('id')}, %s, %s FROM {q(subscription)} s "
        f"WHERE s.{q('id')} > %s AND s.{q('id')} <= %s "
        f"ON CONFLICT ({q('message_id')}, {q('subscription_id')}) DO NOTHING "
        f"RETURNING {q('subscription_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [message.pk, PushDelivery.Status.CLAIMED, timezone.now(), after, upto])
        return [row[0] for row in cursor.fetchall()]


def _reclaim(message: PushMessage) -> list[int]:
    """Claims a run left unconfirmed longer than the lease ago: that run died mid-batch."""
    now = timezone.now()
    stale = PushDelivery.objects.filter(
        message=message,
        status=PushDelivery.Status.CLAIMED,
        claimed_at__lt=now - timedelta(seconds=settings.VESTNIK_PUSH_LEASE),
    )
    with transaction.atomic():
        ids = list(
            stale.select_for_update(skip_locked=True).values_list("subscription_id", flat=True)
        )
        stale.filter(subscription_id__in=ids).update(claimed_at=now)
    return ids


def _targets(ids: list[int]) -> list[Target]:
    rows = PushSubscription.objects.filter(pk__in=ids).values_list(
        "pk", "endpoint", "p256dh", "auth"
    )
    return [Target(*row) for row in rows]


def _record(message: PushMessage, outcomes: list[Outcome]) -> None:
    gone = [o.subscription_id for o in outcomes if o.result == GONE]
    groups: dict[tuple[str, int | None], list[int]] = {}
    for o in outcomes:
        if o.result != GONE:
            groups.setdefault((o.result, o.status), []).append(o.subscription_id)
    with transaction.atomic():
        for (result, status), ids in groups.items():
            PushDelivery.objects.filter(message=message, subscription_id__in=ids).update(
                status=PushDelivery.Status.SENT if result == SENT else PushDelivery.Status.FAILED,
                http_status=status,
            )
        if gone:  # its delivery rows go with it
            PushSubscription.objects.filter(pk__in=gone).delete()
    failed = sum(len(ids) for (result, _s), ids in groups.items() if result == FAILED)
    if failed:
        logger.warning("Push %s: %s subscriber(s) failed in this batch", message.key, failed)


def _finish(message: PushMessage) -> None:
    counts = dict(
        PushDelivery.objects.filter(message=message)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    PushMessage.objects.filter(pk=message.pk, finished_at__isnull=True).update(
        finished_at=timezone.now(),
        sent=counts.get(PushDelivery.Status.SENT, 0),
        failed=counts.get(PushDelivery.Status.FAILED, 0),
    )


def deliveries_prune() -> int:
    """Drop the delivery rows of messages finished over a day ago: a finished message is never
    sent again (its key row stays, so a republish still sends nothing), and 10,000 rows per
    «молния» would otherwise pile up."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _rows = PushDelivery.objects.filter(message__finished_at__lt=cutoff).delete()
    return deleted


def messages_abandoned() -> list[str]:
    """The keys of messages a dead worker left unfinished, while still fresh (to queue again).

    A message counts as abandoned when it is unfinished and its newest claim (or its creation,
    if none) is older than the lease; a run in progress claims a batch every few seconds. Older
    than VESTNIK_PUSH_TTL, an unfinished message is closed instead."""
    now = timezone.now()
    lease = now - timedelta(seconds=settings.VESTNIK_PUSH_LEASE)
    fresh = now - timedelta(seconds=settings.VESTNIK_PUSH_TTL)
    keys = []
    for message in PushMessage.objects.filter(finished_at__isnull=True, created_at__gte=fresh):
        newest = (
            PushDelivery.objects.filter(message=message)
            .order_by("-claimed_at")
            .values_list("claimed_at", flat=True)
            .first()
        )
        if (newest or message.created_at) < lease:
            keys.append(message.key)
    for message in PushMessage.objects.filter(finished_at__isnull=True, created_at__lt=fresh):
        _finish(message)
    return keys
