"""The domain event: one per change, sent only after the transaction commits."""

import pytest
from django.db import transaction

from vestnik.core import events
from vestnik.news import services
from vestnik.news.models import ArticlePage

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    got = []

    def listener(sender, event, **kwargs):
        got.append(event)

    events.article_changed.connect(listener)
    yield got
    events.article_changed.disconnect(listener)


def test_publish_change_and_unpublish_each_send_one_event_after_commit(
    rubric, story, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_publish(rubric, title="Событие", story=story, tags=["Нефть"])
        assert received == [], "sent before the transaction committed"
    assert [e.kind for e in received] == [events.PUBLISHED]
    event = received[0]
    assert (event.article_id, event.rubric_id, event.story_id) == (article.pk, rubric.pk, story.pk)
    assert event.tag_slugs == ("нефть",)

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Новый заголовок"
        article.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert [e.kind for e in received] == [events.PUBLISHED, events.CHANGED, events.UNPUBLISHED]


def test_a_rolled_back_publish_sends_nothing(rubric, received, django_capture_on_commit_callbacks):
    def publish_then_crash():
        with transaction.atomic():
            services.article_publish(rubric, title="Откатится")
            raise RuntimeError("сбой посреди публикации")

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            publish_then_crash()
    assert received == []
    assert not ArticlePage.objects.filter(title="Откатится").exists()


def test_a_failing_subscriber_neither_stops_others_nor_undoes_the_publish(
    rubric, received, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, event, **kwargs):
        raise RuntimeError("поиск недоступен")

    events.article_changed.connect(broken)
    try:
        article = factories.article(rubric)  # runs its after-commit callbacks itself
    finally:
        events.article_changed.disconnect(broken)
    article.refresh_from_db()
    assert article.live
    assert len(received) == 1
    assert "поиск недоступен" in caplog.text
