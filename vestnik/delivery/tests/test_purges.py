"""A publish purges exactly the cached pages that list the article (its tags, through
vestnik.core.tags); pages that only show it in the feed sidebar stay HITs for at most
VESTNIK_FEED_SIDEBAR_MAX_AGE seconds, and the sidebar's cursor replays what they miss."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from freezegun import freeze_time

from vestnik.core import tags
from vestnik.delivery import asgi, cache
from vestnik.feed import stream
from vestnik.news.tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

MOSCOW = ZoneInfo("Europe/Moscow")
HEADLINE = "Срочно: нефть подорожала"


@pytest.fixture
def page_cache(settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_FRAGMENT_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0  # every read reaches the tag store
    settings.VESTNIK_FEED_SIDEBAR_MAX_AGE = 120


def _article(rubric, title, **fields):
    # Comments closed: a page with a comment form carries a CSRF token and is never cached.
    return factories.article(rubric, title=title, comments_enabled=False, **fields)


def _tag_url(article) -> str:
    return reverse("news:tag", args=[article.tags.get().slug])


@pytest.fixture
def site(home, rubric, other_rubric, story):
    """Pages that list an article of `rubric` in `story` tagged «Нефть», and archive pages that
    do not: another rubric, its article, another topic tag."""
    oil = _article(rubric, "Нефть дешевеет", story=story, tags=["Нефть"])
    gas = _article(other_rubric, "Газ в Европе", tags=["Газ"])
    return {
        "listing": {
            "home": "/",
            "rubric": rubric.url,
            "story": story.url,
            "tag": _tag_url(oil),
            "feed page": reverse("feed:page"),
        },
        "archive": {
            "other rubric": other_rubric.url,
            "other rubric's article": gas.url,
            "other tag": _tag_url(gas),
            "same rubric's article": oil.url,  # shows the new article only in the sidebar
        },
    }


def _warm(client, urls):
    for name, url in urls.items():
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", name


def _publish(rubric, story):
    return _article(rubric, HEADLINE, story=story, tags=["Нефть"])


def test_each_listing_of_the_article_is_purged_at_once(client, site, rubric, story):
    _warm(client, site["listing"])
    _publish(rubric, story)
    for name, url in site["listing"].items():
        response = client.get(url)
        assert response["X-Cache"] == "MISS", name
        assert HEADLINE in response.content.decode(), name


def test_unrelated_archive_pages_stay_hits_after_a_publish(client, site, rubric, story):
    _warm(client, site["archive"])
    _publish(rubric, story)
    for name, url in site["archive"].items():
        assert client.get(url)["X-Cache"] == "HIT", name


def test_unrelated_archive_pages_stay_hits_through_the_asgi_hit_path(
    client, site, rubric, story, settings
):
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 60  # as in production: purge times read a moment ago
    urls = {**site["listing"], **site["archive"]}
    _warm(client, urls)
    _publish(rubric, story)  # this process's purge clears its memo: Django reads the times again
    for url in urls.values():
        client.get(url)
    for name, url in site["archive"].items():
        hit = asgi._hit(_scope(url))
        assert hit is not None, name
        assert hit[1]["X-Cache"] == "HIT"
    for name, url in site["listing"].items():
        assert HEADLINE in client.get(url).content.decode(), name  # re-rendered, now a HIT
        assert asgi._hit(_scope(url)) is not None, name


def _scope(url):
    return {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": unquote(url),  # ASGI servers decode the path
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
    }


def test_pages_register_what_they_list(client, site, rubric, story, home):
    """What each page is stored under (the purge side names the same tags)."""
    oil = site["archive"]["same rubric's article"]
    client.get(oil)
    stored = {}
    for name, url in {**site["listing"], **site["archive"]}.items():
        client.get(url)
        stored[name] = cache.entry_get(cache.page_key_for("full", "testserver", url))
    assert tags.HOME in stored["home"].tags
    assert tags.rubric(rubric.pk) in stored["rubric"].tags
    assert tags.story(story.pk) in stored["story"].tags
    assert tags.tag(unquote(site["listing"]["tag"]).strip("/").split("/")[-1]) in stored["tag"].tags
    assert tags.FEED in stored["feed page"].tags  # the whole feed: purged at once
    for name, entry in stored.items():
        if name != "feed page":
            assert tags.FEED not in entry.tags, name
            assert dict(entry.lagging)[tags.FEED] == 120, name  # the sidebar may lag


def test_the_sidebar_catches_up_within_its_max_age(client, site, rubric, story):
    url = site["archive"]["other rubric's article"]
    with freeze_time(datetime.now(UTC), tick=True) as clock:
        _warm(client, {"page": url})
        _publish(rubric, story)
        held = client.get(url)
        assert held["X-Cache"] == "HIT"
        assert HEADLINE not in held.content.decode()
        # An open page is current at once: its live script resumes from the sidebar's cursor.
        cursor = int(re.search(r'data-feed-last="(\d+)"', held.content.decode())[1])
        _, missed = stream.replay(cursor)
        assert any(HEADLINE in message.sse.decode() for message in missed)
        clock.tick(timedelta(seconds=121))
        fresh = client.get(url)
        assert fresh["X-Cache"] == "MISS"
        assert HEADLINE in fresh.content.decode()


def test_without_a_feed_change_the_sidebar_page_lives_its_full_ttl(client, site):
    url = site["archive"]["other rubric's article"]
    with freeze_time(datetime.now(UTC), tick=True) as clock:
        _warm(client, {"page": url})
        clock.tick(timedelta(seconds=200))
        assert client.get(url)["X-Cache"] == "HIT"


def test_a_cached_sidebar_says_the_day_once_the_day_is_over(client, rubric, other_rubric):
    with freeze_time(datetime(2024, 10, 5, 23, 50, tzinfo=MOSCOW), tick=True) as clock:
        _article(rubric, "Поздняя новость", published_at=datetime.now(UTC))
        page = _article(other_rubric, "Архивная статья")
        clock.move_to(datetime(2024, 10, 5, 23, 58, tzinfo=MOSCOW))
        assert ">23:50</time>" in client.get(page.url).content.decode()
        assert client.get(page.url)["X-Cache"] == "HIT"
        # Four minutes on, well within the page's TTL, but another day in Moscow.
        clock.tick(timedelta(minutes=4))
        response = client.get(page.url)
        assert response["X-Cache"] == "MISS"
        assert ">05 окт, 23:50</time>" in response.content.decode()
