"""Writes to the feed. Every app that puts lines in «Лента новостей» goes through these.

Each change that readers would see also becomes a `FeedEvent` in the same transaction, and
after commit a wake-up goes to every app process (live.py), which pushes it to open streams.
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from . import live
from .models import FeedEntry, FeedEvent, FeedEventPruned

# Any constant: PostgreSQL advisory lock that orders event ids by commit (see _event_add).
_EVENT_LOCK = 7_402_113


def entry_data(entry: FeedEntry) -> dict:
    """What an event carries about a line: enough to draw it without another query."""
    return {
        "key": entry.key,
        "title": entry.title,
        "subtitle": entry.subtitle,
        "url": entry.url,
        "rubric_title": entry.rubric_title,
        "rubric_url": entry.rubric_url,
        "published_at": entry.published_at.isoformat(),
        "pinned": entry.pinned,
        "online": entry.online,
        "breaking": entry.breaking,
    }


def _event_add(kind: str, key: str, data: dict, channel: str = "") -> FeedEvent:
    # Readers resume after the last id they saw, so ids must become visible in id order.
    # PostgreSQL hands out sequence values before commit: without this lock a transaction that
    # took id 10 could commit after one that took 11, and a poller at 11 would skip 10.
    # SQLite serialises writers already (IMMEDIATE transactions).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_EVENT_LOCK])
    event = FeedEvent.objects.create(channel=channel, kind=kind, key=key, data=data)
    if event.pk % 1000 == 0:  # keeps the log bounded without a scheduled job
        events_prune(keep=settings.VESTNIK_FEED_EVENTS_KEEP)
    transaction.on_commit(lambda: live.notify(event.pk))
    return event


@transaction.atomic
def entry_upsert(
    *,
    key: str,
    title: str,
    url: str,
    published_at: datetime,
    rubric_title: str = "",
    rubric_url: str = "",
    pinned: bool = False,
    subtitle: str = "",
    online: bool = False,
    breaking: bool = False,
) -> FeedEntry:
    """Add a line or update the line with the same `key`; idempotent (no event when nothing changed).

    `subtitle` is the optional second line under the title (a rate note's «USD ЦБ: 94,87 (-0,16)»);
    `online` marks a running live broadcast («Онлайн»), `breaking` a «молния».
    """
    values = {
        "title": title,
        "subtitle": subtitle,
        "url": url,
        "published_at": published_at,
        "rubric_title": rubric_title,
        "rubric_url": rubric_url,
        "pinned": pinned,
        "online": online,
        "breaking": breaking,
    }
    entry = FeedEntry.objects.select_for_update().filter(key=key).first()
    if entry is not None and all(getattr(entry, name) == value for name, value in values.items()):
        return entry
    entry, _ = FeedEntry.objects.update_or_create(key=key, defaults=values)
    entry.refresh_from_db(fields=["published_at"])  # as stored (microseconds, time zone)
    _event_add(FeedEvent.UPSERT, key, entry_data(entry))
    return entry


@transaction.atomic
def entry_subtitle_set(key: str, subtitle: str) -> bool:
    """Change only the second line of an existing line (its time and place stay). True when it changed."""
    entry = FeedEntry.objects.select_for_update().filter(key=key).first()
    if entry is None or entry.subtitle == subtitle:
        return False
    entry.subtitle = subtitle
    entry.save(update_fields=["subtitle", "updated_at"])
    _event_add(FeedEvent.UPSERT, key, entry_data(entry))
    return True


@transaction.atomic
def entry_withdraw(key: str) -> bool:
    """Remove a line (unpublished article, replaced note). True when there was one."""
    deleted, _ = FeedEntry.objects.filter(key=key).delete()
    if deleted:
        _event_add(FeedEvent.REMOVE, key, {"key": key})
    return bool(deleted)


@transaction.atomic
def entries_unpin(prefix: str, keep: list[str] = ()) -> int:
    """Unpin lines whose key starts with `prefix`, except `keep`: yesterday's rate notes make way for today's."""
    entries = list(
        FeedEntry.objects.select_for_update()
        .filter(key__startswith=prefix, pinned=True)
        .exclude(key__in=keep)
        .order_by("published_at", "id")
    )
    FeedEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(pinned=False)
    for entry in entries:
        entry.pinned = False
        _event_add(FeedEvent.UPSERT, entry.key, entry_data(entry))
    return len(entries)


CHANNEL_NAME = re.compile(r"[a-z][a-z0-9-]{0,59}")
_CHANNEL_RESERVED = {"id", "kind", "key", "html"}  # what every channel payload says itself


def channel_valid(channel: str) -> bool:
    return isinstance(channel, str) and CHANNEL_NAME.fullmatch(channel) is not None


@transaction.atomic
def channel_event(
    channel: str, kind: str, key: str, html: str = "", data: dict | None = None
) -> FeedEvent:
    """A change on a channel of its own ("live-42": a live broadcast's posts), on the feed's event
    log and stream. Call it inside the writer's transaction: the event commits with the writer's
    rows (or not at all), takes the next id under the same lock, and wakes every process's
    streams of that channel on commit. `html` is sent as is: the writer renders and sanitises it.
    Readers get JSON {"id", "kind", "key", "html", ...data}."""
    if not channel_valid(channel):
        raise ValueError(f"channel name must match {CHANNEL_NAME.pattern}: {channel!r}")
    if kind not in (FeedEvent.UPSERT, FeedEvent.REMOVE):
        raise ValueError(f"kind must be upsert or remove: {kind!r}")
    if not key or len(key) > FeedEvent._meta.get_field("key").max_length:
        raise ValueError(f"key must be 1…120 characters: {key!r}")
    data = dict(data or {})
    if clash := _CHANNEL_RESERVED & data.keys():
        raise ValueError(f"data may not set {sorted(clash)}")
    return _event_add(kind, key, {**data, "html": html}, channel=channel)


def events_prune(keep: int = 10_000, channel_days: int | None = None) -> int:
    """Forget old events, per channel, so that no channel's traffic prunes another's: each keeps
    its newest `keep`, and a broadcast channel (not the feed) nothing older than `channel_days`
    (VESTNIK_FEED_CHANNEL_DAYS), so finished broadcasts leave the log. What a channel lost is
    recorded (FeedEventPruned): a reader further behind gets a reset instead of a silent gap."""
    if channel_days is None:
        channel_days = settings.VESTNIK_FEED_CHANNEL_DAYS
    cutoffs: dict[str, int] = {}
    crowded = (
        FeedEvent.objects.values("channel")
        .annotate(count=Count("id"))
        .filter(count__gt=keep)
        .values_list("channel", flat=True)
    )
    for channel in crowded:
        ids = FeedEvent.objects.filter(channel=channel).order_by("-id").values_list("id", flat=True)
        cutoffs[channel] = ids[keep]
    stale = (
        FeedEvent.objects.filter(created_at__lt=timezone.now() - timedelta(days=channel_days))
        .exclude(channel="")
        .values("channel")
        .annotate(newest=Max("id"))
        .values_list("channel", "newest")
    )
    for channel, newest in stale:
        cutoffs[channel] = max(cutoffs.get(channel, 0), newest)
    deleted = 0
    for channel, upto in cutoffs.items():
        deleted += FeedEvent.objects.filter(channel=channel, id__lte=upto).delete()[0]
        FeedEventPruned.objects.update_or_create(channel=channel, defaults={"upto": upto})
    return deleted


ARTICLE_KEY_PREFIX = "article:"


def article_key(article_id: int) -> str:
    return f"{ARTICLE_KEY_PREFIX}{article_id}"


def article_entry_upsert(article):
    """The feed line of a published article (rubric joined by the caller): title, rubric, time,
    and the «Молния» marker while the article is flagged."""
    rubric = article.rubric
    return entry_upsert(
        key=article_key(article.pk),
        title=article.title,
        url=article.url,
        published_at=article.published_at,
        rubric_title=rubric.title if rubric else "",
        rubric_url=rubric.url if rubric else "",
        breaking=article.breaking,
    )
