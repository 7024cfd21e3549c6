"""Every public URL answers hostile numbers, dates and cursors with a Russian 4xx, never a 5xx.

The routes come from Django's resolver (everything outside the newsroom) plus Wagtail's page
routes; each gets every hostile value in each path segment and each query parameter, by GET
and by POST.
"""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = [
    str(2**63),
    str(2**64),
    "-1",
    "abc",
    "1e5",
    "0x10",
    "%00",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "9" * 40,
    "9" * 30 + "-1",
    "1-" + "9" * 30,
    "1-2-3",
    "0",
]
# On PostgreSQL (`make test-prod`) the values that reach the database differently from SQLite:
# out-of-range numbers, impossible dates and cursors. Parsing alone (`abc`, `0x10`, `1e5`…)
# does not depend on the database, and `make test` tries every value.
POSTGRES_HOSTILE = [
    str(2**63),
    "-1",
    "9" * 40,
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "9" * 30 + "-1",
    "1-" + "9" * 30,
    "0",
]
PARAMS = [
    "since",
    "before",
    "last_id",
    "rubric",
    "story",
    "date_from",
    "date_to",
    "page",
    "id",
    "from",
]
SKIP = ("admin/", "documents/", "media/", "static/")
CYRILLIC = re.compile("[А-Яа-яЁё]")


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            if route.startswith(SKIP) or "wagtail" in getattr(entry.urlconf_name, "__name__", ""):
                continue
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and not route.startswith(SKIP):
            yield route.rstrip("$")


def _fill(route: str, values: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


@pytest.fixture
def site(home, rubric, story):
    from vestnik.entities.models import Entity
    from vestnik.promos.tests.factories import promo

    article = factories.article(rubric, story=story, tags=["выборы"])
    entity = Entity.objects.create(kind=Entity.PERSON, name="Иван Петров", slug="ivan-petrov")
    return {
        "article": article,
        "values": {
            "article_id": article.pk,
            "promo_id": promo().pk,
            "slug": rubric.slug,
            "code": "USD",
        },
        "slugs": {"entities/": entity.slug, "tags/": "vybory", "rss/story/": story.slug},
        "pages": ["/", "/politika/", article.url, story.url, "/story/"],
    }


class _ReadParams:
    """Records which query parameters a request's code reads (forms and views call `get`)."""

    def __init__(self, monkeypatch):
        self.names: set[str] = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._recording(original))

    def _recording(self, original):
        def method(query, key, *args, **kwargs):
            self.names.add(key)
            return original(query, key, *args, **kwargs)

        return method


def _urls(site, client, reads):
    """URL templates ({} for the hostile value) for every route's segments and the query
    parameters its code reads (each alone: a bad one must not hide another); the rest at once."""
    routes = sorted(set(_routes(get_resolver().url_patterns)))
    valid_paths = list(site["pages"])
    for route in routes:
        values = dict(site["values"])
        for prefix, slug in site["slugs"].items():
            if route.startswith(prefix):
                values["slug"] = slug
        valid_paths.append(_fill(route, values))
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            yield _fill(route, {**values, name: "{}"})
    yield from ["/politika/{}/", "/story/{}/", "/{}/", site["article"].url + "{}/"]
    for path in valid_paths:
        reads.names.clear()
        client.get(path, dict.fromkeys(PARAMS, "1"))
        read = [name for name in PARAMS if name in reads.names]
        for name in read:
            yield f"{path}?q=путин&{name}={{}}"
        yield f"{path}?q=путин&" + "&".join(f"{name}={{}}" for name in PARAMS if name not in read)


def _is_path_template(template: str) -> bool:
    return "?" not in template


def _check(response, url, failures):
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {url}")
    elif 400 <= response.status_code < 500 and response.request["REQUEST_METHOD"] != "HEAD":
        body = response.content.decode(errors="replace")
        if not CYRILLIC.search(body):
            failures.append(f"{response.status_code} without a Russian body: {url}")


def test_no_hostile_input_gets_a_server_error(site, monkeypatch, capsys):
    client = Client(raise_request_exception=False)
    strict = Client(raise_request_exception=False, enforce_csrf_checks=True)
    reads = _ReadParams(monkeypatch)
    failures, tried = [], 0
    for template in list(_urls(site, client, reads)):
        for value in POSTGRES_HOSTILE if connection.vendor == "postgresql" else HOSTILE:
            url = template.replace("{}", value)
            _check(client.get(url), url, failures)
            tried += 1
            if not _is_path_template(template):
                continue
            form = {"name": value, "text": value, "parent": value, "link": value, "id": value}
            for poster in (client, strict):
                _check(poster.post(url, form), "POST " + url, failures)
                tried += 1
    with capsys.disabled():  # the count is part of the report
        print(f"\nhostile inputs: {tried} requests, {len(failures)} failures")  # noqa: T201
    failures.sort(key=lambda line: not line.startswith("5"))  # server errors first
    assert not failures, "\n".join(failures[:60])
