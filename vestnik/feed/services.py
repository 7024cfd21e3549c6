"""Writes to the feed. Every app that puts lines in «Лента новостей» goes through these.

Each change that readers would see also becomes a `FeedEvent` in the same transaction, and
after commit a wake-up goes to every app process (live.py), which pushes it to open streams.
"""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from . import live
from .models import FeedEntry, FeedEvent

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


def _event_add(kind: str, key: str, data: dict) -> FeedEvent:
    # Readers resume after the last id they saw, so ids must become visible in id order.
    # PostgreSQL hands out sequence values before commit: without this lock a transaction that
    # took id 10 could commit after one that took 11, and a poller at 11 would skip 10.
    # SQLite serialises writers already (IMMEDIATE transactions).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_EVENT_LOCK])
    event = FeedEvent.objects.create(kind=kind, key=key, data=data)
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


def events_prune(keep: int = 10_000) -> int:
    """Forget all but the newest `keep` events; a reader further behind gets a fresh list instead."""
    newest = FeedEvent.objects.order_by("-id").values_list("id", flat=True)[keep : keep + 1]
    if not newest:
        return 0
    deleted, _ = FeedEvent.objects.filter(id__lte=newest[0]).delete()
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
