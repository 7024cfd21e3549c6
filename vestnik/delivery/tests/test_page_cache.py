"""The page cache: hits, purges by tag across processes, variants, validators, compression, faults."""

import gzip
import time
from unittest import mock

import brotli
import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from vestnik.core import tags
from vestnik.core.events import content_changed_send
from vestnik.delivery import cache
from vestnik.delivery.models import CacheTag
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def page_cache(settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_FRAGMENT_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0  # every read reaches the store (see the memo test)


@pytest.fixture
def article(rubric, story):
    # Comments closed: an open comment form carries a CSRF token, and such pages are never cached
    # (docs/architecture.md, «The page cache»).
    return factories.article(
        rubric, title="Песков рассказал о разногласиях", story=story, comments_enabled=False
    )


def _tags_in_db() -> bool:
    return isinstance(cache.tag_store(), cache.DatabaseTagStore)


def _purge_elsewhere(tag):
    """What another process's purge leaves behind: a row (embedded default) or a Redis key."""
    if _tags_in_db():
        CacheTag.objects.update_or_create(tag=tag, defaults={"purged_at": time.time() + 1})
    else:
        cache.CacheTagStore().purge([tag], time.time() + 1)


def _get(client, url, **headers):
    return client.get(url, headers=headers)


def test_an_anonymous_reader_gets_the_cached_copy_with_one_query(client, article):
    first = client.get(article.url)
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    # At most the tag purge times are read (none when they live in Redis): no page, no feed.
    sqls = [q["sql"] for q in queries.captured_queries]
    assert len(sqls) == (1 if _tags_in_db() else 0), sqls
    assert all("delivery_cachetag" in sql for sql in sqls)
    control = second["Cache-Control"]
    assert "public" in control
    assert "stale-while-revalidate=" in control
    assert "stale-if-error=" in control


def test_publishing_an_article_purges_home_rubric_story_but_not_the_sidebar_of_other_pages(
    client, home, rubric, story, article
):
    other = factories.article(rubric, title="Другая новость", comments_enabled=False)
    for url in ("/", rubric.url, story.url, article.url, other.url):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url

    factories.article(rubric, title="Срочно: новая новость", story=story)
    for url in ("/", rubric.url, story.url):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Срочно" in response.content.decode(), url
    # Only its feed sidebar shows the new article: it may lag (test_purges.py).
    assert client.get(other.url)["X-Cache"] == "HIT"


def test_changing_an_article_shows_on_its_page_at_once(client, article):
    client.get(article.url)
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            article.title = "Заголовок исправлен"
            article.save_revision().publish()
    assert "Заголовок исправлен" in client.get(article.url).content.decode()


def test_unpublishing_an_article_removes_it_from_cached_pages(client, rubric, article):
    client.get(rubric.url)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).unpublish()
    assert client.get(article.url).status_code == 404
    assert "Песков рассказал" not in client.get(rubric.url).content.decode()


def test_content_changed_purges_pages_by_tag(client, article, django_capture_on_commit_callbacks):
    client.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        content_changed_send({tags.RATES})  # every page shows the rates widget
    assert client.get(article.url)["X-Cache"] == "MISS"


def test_a_purge_written_by_another_process_is_seen_through_the_shared_tag_table(client, article):
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "HIT"
    # Another granian worker purges: all it shares with this one is the tag store.
    _purge_elsewhere(tags.article(article.pk))
    assert client.get(article.url)["X-Cache"] == "MISS"


def test_logged_in_editors_are_never_served_or_stored_from_the_cache(client, article, editor_user):
    client.get(article.url)  # an anonymous copy exists
    client.force_login(editor_user)
    response = client.get(article.url)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    assert client.get(article.url)["X-Cache"] == "HIT"


def test_lite_and_full_pages_are_separate_variants():
    factory = RequestFactory()
    full, lite, bare = factory.get("/a/"), factory.get("/a/"), factory.get("/a/")
    full.lite_mode, lite.lite_mode = False, True
    assert cache.page_key(full) == cache.page_key(bare) != cache.page_key(lite)


def test_etag_and_last_modified_answer_304(client, article):
    first = client.get(article.url)
    again = _get(client, article.url, if_none_match=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = _get(client, article.url, if_modified_since=first["Last-Modified"])
    assert since.status_code == 304
    assert _get(client, article.url, if_none_match='"other"').status_code == 200


def test_text_is_sent_with_brotli_or_gzip_as_the_reader_accepts(client, article):
    plain = client.get(article.url).content
    br = _get(client, article.url, accept_encoding="gzip, br")
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(br.content) == plain
    gz = _get(client, article.url, accept_encoding="gzip")
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.content) == plain
    assert "Accept-Encoding" in gz["Vary"]


def test_event_streams_are_never_compressed():
    assert not cache.compressible("text/event-stream")
    assert cache.compressible("text/html; charset=utf-8")


def test_while_one_request_re_renders_a_purged_page_the_others_get_the_previous_copy(
    client, article
):
    client.get(article.url)
    cache.purge({tags.article(article.pk)})
    time.sleep(0.01)
    key = f"lock:{cache.page_key(RequestFactory().get(article.url, HTTP_HOST='testserver'))}"
    cache._page_cache().add(key, 1, timeout=10)  # someone is rendering it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response["X-Cache"] == "STALE"
    assert len(queries) == (1 if _tags_in_db() else 0)  # the tag read; no render
    cache._page_cache().delete(key)
    assert client.get(article.url)["X-Cache"] == "MISS"


def test_database_down_serves_the_stale_copy_and_a_russian_503_for_uncached_pages(
    client, rubric, article
):
    client.raise_request_exception = False
    client.get(article.url)
    cache.purge({tags.article(article.pk)})
    time.sleep(0.01)
    down = OperationalError("connection refused")
    with mock.patch.object(ArticlePage, "get_context", side_effect=down):
        stale = client.get(article.url)
        assert stale.status_code == 200
        assert stale["X-Cache"] == "STALE"
        assert "Песков рассказал" in stale.content.decode()
        other = factories.article(rubric, title="Не в кэше")
        unavailable = client.get(other.url)
    assert unavailable.status_code == 503
    assert unavailable["Retry-After"] == "30"
    assert "Сайт временно недоступен" in unavailable.content.decode()
    assert "Traceback" not in unavailable.content.decode()
    # Back by itself once the database answers again.
    assert client.get(other.url).status_code == 200


def test_a_shared_fragment_is_rendered_once_until_its_tag_is_purged(rf):
    from django.template import Context, Template

    renders = []
    template = Template(
        '{% load delivery_tags %}{% shared_fragment "menu" "pages" %}{{ count }}{% end_shared_fragment %}'
    )

    def render():
        renders.append(1)
        return template.render(Context({"count": len(renders), "request": rf.get("/")}))

    assert render() == "1"
    assert render() == "1"  # the second page reuses the first render
    cache.purge({tags.PAGES})
    time.sleep(0.01)
    assert render() == "3"


def test_a_publish_through_the_newsroom_service_purges_the_home_page(client, home, rubric):
    client.get("/")
    with mock.patch("vestnik.delivery.cache.purge", wraps=cache.purge) as purge:
        factories.article(rubric, title="Из планировщика")
    assert purge.called
    assert "планировщика" in client.get("/").content.decode()


def test_purge_times_are_memoised_briefly_per_process(client, article, settings):
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0.3
    client.get(article.url)
    client.get(article.url)  # reads and memoises the purge times
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url)["X-Cache"] == "HIT"
    assert len(queries) == 0
    _purge_elsewhere(tags.article(article.pk))
    time.sleep(0.35)
    assert client.get(article.url)["X-Cache"] == "MISS"


def test_behind_nginx_cached_answers_say_how_long_nginx_may_keep_them(
    client, article, editor_user, settings
):
    assert "X-Accel-Expires" not in client.get(article.url)  # the embedded default: no proxy
    settings.VESTNIK_PROXY_CACHE_SECONDS = 1
    assert client.get(article.url + "?x=1")["X-Accel-Expires"] == "1"  # MISS, stored
    assert client.get(article.url + "?x=1")["X-Accel-Expires"] == "1"  # HIT
    # Never on answers only one reader may see: a lite preview is private, an editor's page too.
    assert "X-Accel-Expires" not in client.get(article.url + "?lite=1")
    client.force_login(editor_user)
    assert "X-Accel-Expires" not in client.get(article.url)
