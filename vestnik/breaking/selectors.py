"""Reads: the banner's «молния» and the channel's failed posts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from vestnik.core import tags
from vestnik.core.shared import shared_value

from .models import BreakingItem, TelegramPost


@dataclass(frozen=True)
class Banner:
    key: str
    title: str
    url: str
    published_at: datetime
    until: datetime  # the banner is gone from then on

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "url": self.url,
            "published_at": self.published_at.isoformat(),
            "until": self.until.timestamp(),
        }


def _latest() -> tuple[tuple[Banner | None], set[str]]:
    # In a 1-tuple: the shared store never keeps None, and «no banner» is worth sharing too.
    item = (
        BreakingItem.objects.filter(withdrawn_at__isnull=True)
        .order_by("-published_at", "-id")
        .first()
    )
    if item is None:
        return (None,), set()
    until = item.published_at + timedelta(minutes=settings.VESTNIK_BREAKING_MINUTES)
    return (Banner(item.key, item.title, item.url, item.published_at, until),), set()


def banner_current(now: datetime | None = None) -> Banner | None:
    """The «молния» the banner shows now: the newest not withdrawn, while it is younger than
    VESTNIK_BREAKING_MINUTES (an older one expired before it). Shared between requests until a
    breaking change purges tags.BREAKING; expiry needs no purge, it is checked here."""
    (banner,) = shared_value("breaking:latest", {tags.BREAKING}, _latest)
    now = now or timezone.now()
    if banner is None or now >= banner.until:
        return None
    return banner


def telegram_posts():
    return TelegramPost.objects.order_by("-created_at", "-id")


def telegram_failed_count() -> int:
    return TelegramPost.objects.filter(state=TelegramPost.FAILED).count()
