"""Builders for broadcast tests: a published broadcast, posts through the service."""

import json
from datetime import timedelta
from itertools import count

from django.test import TestCase
from django.utils import timezone

from vestnik.live import services
from vestnik.live.models import LiveBroadcastPage, LivePost

_numbers = count(1)


def broadcast(rubric, title: str = "Саммит в Женеве: онлайн", **fields) -> LiveBroadcastPage:
    page = LiveBroadcastPage(title=title, slug=f"online-{next(_numbers)}", **fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        rubric.add_child(instance=page)
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def post(page, user, text: str = "<p>Переговоры начались.</p>", publish: bool = True, **fields):
    """A post written through the service, with its after-commit work (purge, «молния») run."""
    item = LivePost(text=text, **fields)
    if publish:
        item.status = LivePost.PUBLISHED
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.post_save(page, user, item)


def many_posts(page, user, n: int, start=None) -> list[LivePost]:
    """`n` published posts a minute apart, written in bulk (the query-count test needs 2,000)."""
    start = start or timezone.now()
    rows = [
        LivePost(
            page=page,
            author=user,
            text=f"<p>Пост номер {i}.</p>",
            status=LivePost.PUBLISHED,
            posted_at=start - timedelta(minutes=i),
        )
        for i in range(n)
    ]
    return LivePost.objects.bulk_create(rows)


def draftail(text: str) -> str:
    """What the admin's rich-text editor posts for one paragraph of `text`."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                    "data": {},
                }
            ],
            "entityMap": {},
        }
    )
