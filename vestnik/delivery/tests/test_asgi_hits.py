"""Fresh page-cache hits answered in front of Django (vestnik/delivery/asgi.py): the same bytes
and headers Django sends, and everything it cannot decide alone left to Django."""

import asyncio
from urllib.parse import urlsplit

import pytest
from django.test.utils import CaptureQueriesContext

from vestnik.core import tags
from vestnik.core.events import content_changed_send
from vestnik.delivery import asgi
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db

VOLATILE = {"date", "age"}


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 60  # purge times read a moment ago are reused


@pytest.fixture
def article(rubric):
    return factories.article(rubric, title="Песков рассказал о разногласиях")


def _scope(url, method="GET", **headers):
    parts = urlsplit(url)
    headers.setdefault("host", "testserver")
    return {
        "type": "http",
        "method": method,
        "scheme": "http",
        "path": parts.path,
        "root_path": "",
        "query_string": parts.query.encode(),
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }


def _warm(client, url, **headers):
    client.get(url, headers=headers)  # MISS: rendered and stored
    response = client.get(url, headers=headers)  # HIT: reads the purge times
    assert response["X-Cache"] == "HIT"
    return response


def test_a_hit_has_the_bytes_and_headers_django_sends(client, article):
    django_hit = _warm(client, article.url, accept_encoding="br, gzip")
    status, headers, body = asgi._hit(_scope(article.url, accept_encoding="br, gzip"))
    assert status == 200
    assert body == django_hit.content
    expected = {k.lower(): v for k, v in django_hit.items() if k.lower() not in VOLATILE}
    got = {k.lower(): v for k, v in headers.items() if k.lower() not in VOLATILE}
    assert got == expected
    assert got["content-encoding"] == "br"


def test_the_key_matches_django_for_escaped_and_cyrillic_query_strings(client, rubric):
    url = rubric.url + "?q=%D0%9F%D0%B5%D1%81%D0%BA%D0%BE%D0%B2&x=a+b"
    _warm(client, url)
    assert asgi._hit(_scope(url)) is not None


def test_conditional_requests_get_a_304(client, article):
    etag = _warm(client, article.url)["ETag"]
    status, headers, body = asgi._hit(_scope(article.url, if_none_match=etag))
    assert status == 304
    assert body == b""
    assert headers["ETag"] == etag


@pytest.mark.parametrize(
    ("method", "path_suffix", "headers"),
    [
        ("POST", "", {}),
        ("GET", "?lite=1", {}),
        ("GET", "", {"cookie": "sessionid=abc"}),
    ],
)
def test_requests_django_must_decide_go_to_django(client, article, method, path_suffix, headers):
    _warm(client, article.url)
    assert asgi._hit(_scope(article.url + path_suffix, method=method, **headers)) is None


def test_a_zero_rated_header_goes_to_django(client, article, settings):
    settings.VESTNIK_LITE_HEADER = "X-Zero-Rated"
    _warm(client, article.url)
    assert asgi._hit(_scope(article.url)) is not None
    assert asgi._hit(_scope(article.url, x_zero_rated="1")) is None


def test_a_purged_page_goes_to_django_at_once(client, article, django_capture_on_commit_callbacks):
    _warm(client, article.url)
    with django_capture_on_commit_callbacks(execute=True):
        content_changed_send({tags.article(article.pk)})
    assert asgi._hit(_scope(article.url)) is None
    assert client.get(article.url)["X-Cache"] == "MISS"


def test_hits_never_reach_django_and_misses_do(client, article, django_assert_num_queries):
    _warm(client, article.url)
    reached = []

    async def django_app(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def call(path):
        sent = []

        async def send(message):
            sent.append(message)

        await asgi.cached_pages(django_app)(_scope(path), None, send)
        return sent

    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        sent = asyncio.run(call(article.url))
    assert len(queries) == 0
    assert sent[0]["status"] == 200
    assert b"x-cache" in dict(sent[0]["headers"])
    assert "Песков" in sent[1]["body"].decode()
    assert reached == []
    asyncio.run(call("/no-such-page/"))
    assert reached == ["/no-such-page/"]
