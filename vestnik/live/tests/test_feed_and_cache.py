"""The broadcast's one line in «Лента новостей» («Онлайн» while it runs, the newest post's time)
and the page cache: a post purges this broadcast's page only."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from vestnik.feed.models import FeedEntry
from vestnik.live import services
from vestnik.news.tests import factories

from .helpers import broadcast, post

pytestmark = pytest.mark.django_db


def _line(page):
    return FeedEntry.objects.filter(key=f"live:{page.pk}").first()


def test_a_published_broadcast_has_one_online_line(client, rubric):
    page = broadcast(rubric, title="Саммит в Женеве: онлайн")
    line = _line(page)
    assert line.online
    assert not line.breaking
    assert line.url == page.url
    assert line.rubric_title == rubric.title
    assert line.published_at == page.first_published_at
    html = client.get("/news/").content.decode()
    item = html.split(f'data-key="live:{page.pk}"', 1)[1].split("</li>", 1)[0]
    assert "feed__badge--online" in item
    assert "Женеве: онлайн" in item


def test_the_line_takes_the_newest_published_posts_time(rubric, editor_user):
    page = broadcast(rubric)
    earlier = timezone.now() - timedelta(minutes=30)
    post(page, editor_user, posted_at=earlier)
    assert _line(page).published_at == earlier
    post(page, editor_user, "<p>Черновик.</p>", publish=False, posted_at=timezone.now())
    assert _line(page).published_at == earlier  # drafts do not move it
    newest = post(page, editor_user, "<p>Новое.</p>")
    assert _line(page).published_at == newest.posted_at
    assert FeedEntry.objects.filter(key__startswith="live:").count() == 1


def test_a_breaking_post_marks_the_line_until_a_newer_post(rubric, editor_user):
    page = broadcast(rubric)
    post(page, editor_user, "<p>Срочно: договорились.</p>", breaking=True)
    assert _line(page).breaking
    post(page, editor_user, "<p>Подробности.</p>")
    assert not _line(page).breaking


def test_finished_keeps_the_line_without_the_online_marker(rubric, editor_user):
    page = broadcast(rubric)
    last = post(page, editor_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.broadcast_finish(page, editor_user)
    line = _line(page)
    assert not line.online
    assert line.published_at == last.posted_at


def test_authors_cannot_finish_a_broadcast(rubric, author_user):
    page = broadcast(rubric)
    with pytest.raises(services.PostRefused):
        services.broadcast_finish(page, author_user)
    assert _line(page).online


def test_unpublishing_the_page_withdraws_the_line(client, rubric, editor_user):
    page = broadcast(rubric)
    post(page, editor_user, "<p>Пост.</p>")
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.unpublish()
    assert _line(page) is None
    assert client.get(page.url).status_code == 404


@pytest.fixture
def page_cache(settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_FRAGMENT_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0
    settings.VESTNIK_FEED_SIDEBAR_MAX_AGE = 120


def test_a_post_purges_its_broadcast_and_not_an_unrelated_article(
    client, rubric, editor_user, page_cache
):
    page = broadcast(rubric)
    other = broadcast(rubric, title="Другая трансляция")
    article = factories.article(rubric, title="Нефть дешевеет", comments_enabled=False)
    for url in (page.url, other.url, article.url):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url
    post(page, editor_user, "<p>Новый пост трансляции.</p>")
    response = client.get(page.url)
    assert response["X-Cache"] == "MISS"
    assert "Новый пост трансляции" in response.content.decode()
    assert client.get(article.url)["X-Cache"] == "HIT"
    assert client.get(other.url)["X-Cache"] == "HIT"


def test_a_draft_purges_nothing(client, rubric, editor_user, page_cache):
    page = broadcast(rubric)
    client.get(page.url)
    post(page, editor_user, "<p>Черновик.</p>", publish=False)
    assert client.get(page.url)["X-Cache"] == "HIT"


def test_deleting_the_page_withdraws_the_line_and_its_posts(rubric, editor_user):
    from vestnik.live.models import LivePost

    page = broadcast(rubric)
    post(page, editor_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.delete()
    assert _line(page) is None
    assert not LivePost.objects.exists()
