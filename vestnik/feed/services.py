"""Writes to the feed. Every app that puts lines in «Лента новостей» goes through these."""

from datetime import datetime

from .models import FeedEntry


def entry_upsert(
    *,
    key: str,
    title: str,
    url: str,
    published_at: datetime,
    rubric_title: str = "",
    rubric_url: str = "",
    pinned: bool = False,
) -> FeedEntry:
    """Add a line or update the line with the same `key`; idempotent."""
    entry, _ = FeedEntry.objects.update_or_create(
        key=key,
        defaults={
            "title": title,
            "url": url,
            "published_at": published_at,
            "rubric_title": rubric_title,
            "rubric_url": rubric_url,
            "pinned": pinned,
        },
    )
    return entry


def entry_withdraw(key: str) -> bool:
    """Remove a line (unpublished article, replaced note). True when there was one."""
    deleted, _ = FeedEntry.objects.filter(key=key).delete()
    return bool(deleted)


def entries_unpin(prefix: str, keep: list[str] = ()) -> int:
    """Unpin lines whose key starts with `prefix`, except `keep`: yesterday's rate notes make way for today's."""
    return (
        FeedEntry.objects.filter(key__startswith=prefix, pinned=True)
        .exclude(key__in=keep)
        .update(pinned=False)
    )


def article_key(article_id: int) -> str:
    return f"article:{article_id}"
