"""The live feed across real app processes: publish through one, receive on the other.

On SQLite the processes follow the event log in a shared database file; with DATABASE_URL and
REDIS_URL (`make test-prod`) they share PostgreSQL and wake each other through Redis pub/sub.
"""

import time

import httpx
import pytest

from vestnik.news.models import ArticlePage
from vestnik.news.services import slug_for

from .servers import EditorSession, EventStream, app_processes, database_url

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pass-for-tests-1"  # vestnik/conftest.py


def _draft(rubric, title: str) -> ArticlePage:
    article = ArticlePage(title=title, slug=slug_for(title, rubric), live=False)
    rubric.add_child(instance=article)
    article.save_revision()
    return article


@pytest.fixture
def drafts(rubric, editor_user):
    return [
        _draft(rubric, title) for title in ("Первая новость", "Вторая новость", "Третья новость")
    ]


def test_a_publish_through_one_process_reaches_the_streams_of_the_other(drafts, tmp_path):
    article = drafts[0]
    with app_processes(database_url(tmp_path)) as (process_a, process_b):
        on_b, on_a = EventStream(process_b), EventStream(process_a)
        assert on_b.headers["content-type"].startswith("text/event-stream")
        assert on_b.headers["cache-control"] == "no-cache"
        assert on_b.headers["x-accel-buffering"] == "no"
        assert "content-encoding" not in on_b.headers
        editor = EditorSession(process_a, "editor", PASSWORD)

        started = time.monotonic()
        editor.publish(article.pk)
        event = on_b.next(timeout=2)
        assert time.monotonic() - started < 2 + 1  # the admin round trip included
        assert (event["kind"], event["key"]) == ("upsert", f"article:{article.pk}")
        assert "Первая новость" in event["html"]
        assert "Политика" in event["html"]
        assert on_a.next(timeout=2)["id"] == event["id"]
        sidebar = httpx.get(process_b + "/").text
        assert "Первая новость" in sidebar

        editor.unpublish(article.pk)
        removal = on_b.next(timeout=2)
        assert (removal["kind"], removal["key"]) == ("remove", f"article:{article.pk}")
        assert removal["id"] > event["id"]
        assert on_a.next(timeout=2)["id"] == removal["id"]
        assert "Первая новость" not in httpx.get(process_b + "/news/").text
        on_a.close()
        on_b.close()


def test_a_reader_reconnecting_with_last_event_id_gets_every_missed_change_once(drafts, tmp_path):
    first, second, third = drafts
    with app_processes(database_url(tmp_path)) as (process_a, process_b):
        editor = EditorSession(process_a, "editor", PASSWORD)
        stream = EventStream(process_b)
        editor.publish(first.pk)
        seen = stream.next(timeout=2)
        stream.close()

        # While the reader is away:
        editor.publish(second.pk)
        editor.publish(third.pk)
        editor.unpublish(first.pk)

        resumed = EventStream(process_b, last_event_id=seen["id"])
        missed = [resumed.next(timeout=2) for _ in range(3)]
        assert [(event["kind"], event["key"]) for event in missed] == [
            ("upsert", f"article:{second.pk}"),
            ("upsert", f"article:{third.pk}"),
            ("remove", f"article:{first.pk}"),
        ]
        ids = [event["id"] for event in missed]
        assert ids == sorted(ids)
        assert seen["id"] < ids[0]
        assert resumed.drain(wait=0.5) == []  # nothing twice

        editor.unpublish(second.pk)  # and it carries on live after the replay
        assert resumed.next(timeout=2)["key"] == f"article:{second.pk}"
        assert resumed.drain(wait=0.3) == []
        resumed.close()
