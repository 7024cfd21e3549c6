from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import html as lxml_html

from vestnik.feed import selectors, services
from vestnik.feed.models import FeedEntry
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db


def _feed_lines(client, url="/") -> list[str]:
    doc = lxml_html.fromstring(client.get(url).content.decode())
    return [
        " ".join(li.text_content().split()).replace("\xa0", " ")
        for li in doc.xpath("//section[@class='feed']//li")
    ]


def test_a_published_article_gets_one_feed_line_with_rubric_and_time(client, rubric):
    article = factories.article(rubric, title="Новость для ленты")
    entry = FeedEntry.objects.get(key=f"article:{article.pk}")
    assert (entry.title, entry.url, entry.rubric_title) == (
        "Новость для ленты",
        article.url,
        "Политика",
    )
    assert entry.published_at == article.published_at
    article.title = "Исправленный заголовок"
    with factories.TestCase.captureOnCommitCallbacks(execute=True):
        article.save_revision().publish()
    assert FeedEntry.objects.get(key=f"article:{article.pk}").title == "Исправленный заголовок"
    assert FeedEntry.objects.count() == 1


def test_the_sidebar_lists_newest_first_with_pinned_notes_on_top(client, rubric):
    now = timezone.now()
    factories.article(rubric, title="Старая", published_at=now - timedelta(hours=3))
    factories.article(rubric, title="Новая", published_at=now - timedelta(minutes=1))
    services.entry_upsert(
        key="note:usd",
        title="Курс доллара на 5 октября",
        url="/rates/usd/",
        rubric_title="Инвестиции",
        published_at=now - timedelta(days=1),
        pinned=True,
    )
    lines = _feed_lines(client)
    assert lines[0].startswith("Курс доллара на 5 октября Инвестиции")
    assert lines[1].startswith("Новая Политика")
    assert lines[2].startswith("Старая Политика")


def test_feed_is_one_query_whatever_its_length(django_assert_num_queries, rubric):
    factories.articles(rubric, 30)
    with django_assert_num_queries(1):
        assert len(selectors.feed_latest(limit=20)) == 20


def test_unpinning_keeps_only_the_newest_notes_pinned(rubric):
    now = timezone.now()
    for key in ("rate:USD:2024-10-04", "rate:USD:2024-10-05"):
        services.entry_upsert(key=key, title=key, url="/", published_at=now, pinned=True)
    assert services.entries_unpin("rate:", keep=["rate:USD:2024-10-05"]) == 1
    assert list(FeedEntry.objects.filter(pinned=True).values_list("key", flat=True)) == [
        "rate:USD:2024-10-05"
    ]


def test_rebuild_feed_restores_article_lines_and_keeps_other_sources(rubric):
    factories.articles(rubric, 3)
    services.entry_upsert(key="note:x", title="Заметка", url="/", published_at=timezone.now())
    FeedEntry.objects.filter(key__startswith="article:").delete()
    call_command("rebuild_feed", stdout=open("/dev/null", "w"))
    assert FeedEntry.objects.filter(key__startswith="article:").count() == 3
    assert FeedEntry.objects.filter(key="note:x").exists()


def test_markers_reach_the_sidebar_and_the_stream_and_a_plain_line_has_none(client, rubric):
    from vestnik.feed import live
    from vestnik.feed.models import FeedEvent

    now = timezone.now()
    services.entry_upsert(
        key="live:1", title="Саммит: онлайн", url="/live/1/", published_at=now, online=True
    )
    services.entry_upsert(
        key="article:99", title="Срочно", url="/a/", published_at=now, breaking=True
    )
    services.entry_upsert(key="note:x", title="Обычная", url="/x/", published_at=now)
    lines = _feed_lines(client)
    assert [line.split(" ")[0] for line in lines[:3]] == ["Обычная", "Молния", "Онлайн"]
    html_by_key = {
        event.key: live.message_for(event).sse.decode() for event in FeedEvent.objects.all()
    }
    assert "feed__badge--online" in html_by_key["live:1"]
    assert "feed__badge--breaking" in html_by_key["article:99"]
    assert "feed__badge" not in html_by_key["note:x"]
    # Dropping a marker is a change readers get.
    services.entry_upsert(key="live:1", title="Саммит: онлайн", url="/live/1/", published_at=now)
    assert FeedEvent.objects.filter(key="live:1").count() == 2
