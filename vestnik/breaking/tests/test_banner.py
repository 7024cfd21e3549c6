"""The site-wide «Молния» banner: on every reader page, cached ones included; gone by itself at its
end and at once when withdrawn; a new one reaches cached archive pages within their lag."""

import re
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone
from freezegun import freeze_time

from vestnik.breaking.models import BreakingItem
from vestnik.core import events
from vestnik.delivery import asgi
from vestnik.feed.models import FeedEntry
from vestnik.news.tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HEADLINE = "Землетрясение в Сочи"
BANNER = re.compile(r'<div class="breaking" id="breaking"[^>]*>.*?</div>', re.S)


@pytest.fixture
def page_cache(settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_FRAGMENT_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0
    settings.VESTNIK_FEED_SIDEBAR_MAX_AGE = 120
    settings.VESTNIK_BREAKING_MINUTES = 30
    settings.VESTNIK_BREAKING_PAGE_MAX_AGE = 60


def _article(rubric, title, published_at=None, **fields):
    # Comments closed: a page with a comment form carries a CSRF token and is never cached.
    return factories.article(
        rubric,
        title=title,
        comments_enabled=False,
        published_at=published_at or timezone.now(),
        **fields,
    )


def _banner(response) -> str | None:
    """The banner as a reader without JavaScript sees it: its text, or None when hidden."""
    found = BANNER.search(response.content.decode())
    assert found, "every reader page has the banner's place"
    html = found.group(0)
    if re.search(r"\shidden[\s>]", html.split(">", 1)[0] + ">"):
        return None
    return re.sub(r"<[^>]+>", "", html).replace("\xa0", " ").split()


def _shows(response, title=HEADLINE) -> bool:
    words = _banner(response)
    return words is not None and "Молния" in words and " ".join(words).endswith(title)


@pytest.fixture
def pages(rubric, other_rubric):
    old = _article(other_rubric, "Газ в Европе")
    return {"home": "/", "rubric": rubric.url, "article": old.url, "other rubric": other_rubric.url}


def _warm(client, urls):
    for name, url in urls.items():
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", name


def _withdraw(article):
    with TestCase.captureOnCommitCallbacks(execute=True):
        article.unpublish()


def test_a_breaking_article_shows_on_every_page_cached_or_not(client, pages, rubric):
    _warm(client, pages)  # cached before the «молния»: the archive ones stay HITs for their lag
    with freeze_time(timezone.now() + timedelta(seconds=61), tick=True):
        news = _article(rubric, HEADLINE, breaking=True)
        for name, url in {**pages, "the article itself": news.url}.items():
            first = client.get(url)
            assert _shows(first), name
            assert f'href="{news.url}"' in BANNER.search(first.content.decode()).group(0)
            again = client.get(url)
            assert again["X-Cache"] == "HIT", name
            assert _shows(again), name
        assert client.get("/breaking/").json()["item"]["title"] == HEADLINE
    # Its feed line carries the marker.
    assert FeedEntry.objects.get(key=f"article:{news.pk}").breaking is True


def test_cached_archive_pages_get_a_new_one_within_their_lag_not_by_a_purge(
    client, pages, other_rubric, rubric
):
    archive = {"other rubric": pages["other rubric"], "article": pages["article"]}
    _warm(client, archive)
    _article(rubric, HEADLINE, breaking=True)
    for name, url in archive.items():
        response = client.get(url)
        assert response["X-Cache"] == "HIT", name  # nothing purged every page…
        assert not _shows(response), name
    # …the script asks /breaking/ at once, and readers without it get it after the lag.
    assert client.get("/breaking/").json()["item"]["title"] == HEADLINE
    with freeze_time(timezone.now() + timedelta(seconds=61), tick=True):
        for name, url in archive.items():
            assert _shows(client.get(url)), name


def test_the_banner_goes_by_itself_after_its_minutes(client, pages, rubric):
    published = timezone.now() - timedelta(minutes=29)
    _article(rubric, HEADLINE, breaking=True, published_at=published)
    _warm(client, {**pages, "json": "/breaking/"})
    for url in pages.values():
        assert _shows(client.get(url))
    with freeze_time(published + timedelta(minutes=30, seconds=1), tick=True):
        for name, url in pages.items():
            response = client.get(url)
            assert response["X-Cache"] == "MISS", name  # the copy ended with its banner
            assert _banner(response) is None, name
            assert client.get(url)["X-Cache"] == "HIT", name  # and the new one is cached
        assert client.get("/breaking/").json()["item"] is None


def test_an_expired_copy_is_not_served_by_the_asgi_hit_path(client, pages, rubric, settings):
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 60
    published = timezone.now() - timedelta(minutes=29, seconds=50)
    _article(rubric, HEADLINE, breaking=True, published_at=published)
    _warm(client, {"other rubric": pages["other rubric"]})
    assert asgi._hit(_scope(pages["other rubric"])) is not None
    with freeze_time(published + timedelta(minutes=30, seconds=1), tick=True):
        assert asgi._hit(_scope(pages["other rubric"])) is None


def test_a_withdrawn_one_goes_at_once_from_every_page(client, pages, rubric):
    news = _article(rubric, HEADLINE, breaking=True)
    _warm(client, {**pages, "json": "/breaking/"})
    _withdraw(news)
    for name, url in {**pages, "json": "/breaking/"}.items():
        response = client.get(url)
        assert response["X-Cache"] == "MISS", name
        if name == "json":
            assert response.json()["item"] is None
        else:
            assert _banner(response) is None, name
    assert BreakingItem.objects.get(key=f"article:{news.pk}").withdrawn_at is not None


def test_clearing_the_flag_withdraws_it_and_the_feed_line_loses_the_marker(client, rubric):
    news = _article(rubric, HEADLINE, breaking=True)
    assert _shows(client.get("/"))
    news.breaking = False
    with TestCase.captureOnCommitCallbacks(execute=True):
        news.save_revision().publish()
    assert _banner(client.get("/")) is None
    assert FeedEntry.objects.get(key=f"article:{news.pk}").breaking is False


def test_a_correction_keeps_its_window_and_changes_the_banner_at_once(
    client, pages, rubric, breaking_sent
):
    news = _article(rubric, HEADLINE, breaking=True)
    _warm(client, pages)
    breaking_sent.clear()
    news = type(news).objects.get(pk=news.pk)
    news.title = "Землетрясение в Сочи: пострадавших нет"
    with TestCase.captureOnCommitCallbacks(execute=True):
        news.save_revision().publish()
    assert [event.kind for event in breaking_sent] == [events.CHANGED]
    for name, url in pages.items():
        assert _shows(client.get(url), "Землетрясение в Сочи: пострадавших нет"), name


def test_the_newest_one_wins_and_an_older_one_never_returns(client, rubric):
    first = _article(rubric, "Первая молния", breaking=True)
    second = _article(rubric, HEADLINE, breaking=True)
    assert _shows(client.get("/"))
    _withdraw(second)
    # The older one is still within its minutes: it shows again.
    assert _shows(client.get("/"), "Первая молния")
    _withdraw(first)
    assert _banner(client.get("/")) is None


def test_a_plain_article_sends_no_breaking_event(client, rubric, breaking_sent):
    news = _article(rubric, "Обычная новость")
    _withdraw(news)
    assert breaking_sent == []
    assert _banner(client.get("/")) is None


def test_events_say_published_changed_unpublished_with_the_article_key(rubric, breaking_sent):
    news = _article(rubric, HEADLINE, breaking=True)
    news = type(news).objects.get(pk=news.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        news.save_revision().publish()
    _withdraw(news)
    assert [(e.kind, e.key, e.title, e.url) for e in breaking_sent] == [
        (kind, f"article:{news.pk}", HEADLINE, news.url)
        for kind in (events.PUBLISHED, events.CHANGED, events.UNPUBLISHED)
    ]


@pytest.fixture
def breaking_sent():
    sent = []

    def record(sender, event, **kwargs):
        sent.append(event)

    events.breaking_changed.connect(record, weak=False)
    yield sent
    events.breaking_changed.disconnect(record)


def _scope(url):
    return {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": url,
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
    }
