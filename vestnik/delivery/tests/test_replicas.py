"""Read replicas: readers read a replica, the newsroom and every write the primary.

The PostgreSQL tests make a real second database (a copy of the test database, then changed so
its content is told apart) and register it as the replica; it never follows the primary, which
plays a replica lagging forever. On SQLite they skip; the router and middleware tests run anywhere.
"""

import pytest
from django.db import connection, connections, router, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from vestnik.core import tags
from vestnik.delivery import cache, replicas
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

ALIAS = "replica_test"
PRIMARY_TITLE = "Заголовок на основной базе"
REPLICA_TITLE = "Заголовок с реплики"


@pytest.fixture
def replica_settings(settings):
    settings.VESTNIK_DATABASE_REPLICAS = [ALIAS]
    settings.DATABASE_ROUTERS = ["vestnik.delivery.replicas.ReplicaRouter"]
    settings.MIDDLEWARE = ["vestnik.delivery.replicas.ReplicaMiddleware", *settings.MIDDLEWARE]
    return settings


def _through_middleware(request, view):
    """Run `view` inside ReplicaMiddleware; returns (response, what the view saw)."""
    seen = {}

    def get_response(request):
        seen.update(view() or {})
        return HttpResponse("ok")

    return replicas.ReplicaMiddleware(get_response)(request), seen


def _reads():
    return {"read": router.db_for_read(ArticlePage)}


# --- the router and the middleware (any database) ----------------------------------------------


def test_outside_a_request_everything_reads_the_primary(replica_settings):
    assert router.db_for_read(ArticlePage) == "default"  # commands, scheduler, feed follower


@pytest.mark.parametrize(
    ("method", "path", "cookies", "expected"),
    [
        ("get", "/politika/statia/", {}, ALIAS),
        ("head", "/", {}, ALIAS),
        ("post", "/politika/statia/", {}, "default"),
        ("get", "/admin/pages/", {}, "default"),
        ("get", "/news/stream/", {}, "default"),
        ("get", "/", {"sessionid": "x"}, "default"),
        ("get", "/", {replicas.PIN_COOKIE: "1"}, "default"),
    ],
)
def test_the_middleware_sends_readers_to_a_replica_and_the_newsroom_to_the_primary(
    replica_settings, method, path, cookies, expected
):
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies)
    _, seen = _through_middleware(request, _reads)
    assert seen["read"] == expected


def test_after_a_write_the_request_and_the_browser_read_the_primary(replica_settings):
    def view():
        before = router.db_for_read(ArticlePage)
        assert router.db_for_write(ArticlePage) == "default"
        return {"before": before, "after": router.db_for_read(ArticlePage)}

    response, seen = _through_middleware(RequestFactory().get("/"), view)
    assert seen == {"before": ALIAS, "after": "default"}
    pin = response.cookies[replicas.PIN_COOKIE]
    assert pin["max-age"] == replica_settings.VESTNIK_DATABASE_REPLICA_LAG
    # …and a reader who only read gets no cookie (the page stays cacheable).
    response, _ = _through_middleware(RequestFactory().get("/"), _reads)
    assert replicas.PIN_COOKIE not in response.cookies


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(replica_settings):
    def view():
        outside = router.db_for_read(ArticlePage)
        with transaction.atomic():
            return {"outside": outside, "inside": router.db_for_read(ArticlePage)}

    _, seen = _through_middleware(RequestFactory().get("/"), view)
    assert seen == {"outside": ALIAS, "inside": "default"}


def test_a_render_soon_after_a_purge_reads_the_primary(replica_settings):
    replica_settings.VESTNIK_DATABASE_REPLICA_LAG = 2

    def view(purged_ago):
        replicas.primary_after_purge({tags.FEED: 1000.0 - purged_ago, tags.RATES: 0.0}, now=1000.0)
        return _reads()

    assert _through_middleware(RequestFactory().get("/"), lambda: view(1.5))[1]["read"] == "default"
    assert _through_middleware(RequestFactory().get("/"), lambda: view(2.5))[1]["read"] == ALIAS


def test_migrations_never_run_on_a_replica(replica_settings):
    assert router.allow_migrate(ALIAS, "news") is False
    assert router.allow_migrate("default", "news") is True


# --- a real replica (PostgreSQL) ---------------------------------------------------------------


@pytest.fixture
def article(rubric):
    # Comments closed, so the page cache may store the page (docs/architecture.md).
    return factories.article(rubric, title=PRIMARY_TITLE, comments_enabled=False)


@pytest.fixture
def replica(article, replica_settings):
    """A second database, copied from the test database, whose article title differs."""
    if connection.vendor != "postgresql":
        pytest.skip("read replicas are a PostgreSQL set-up")
    name = connection.settings_dict["NAME"]
    replica_name = f"{name.removeprefix('test_')}_replica"
    connection.close()  # CREATE DATABASE … TEMPLATE needs the template without sessions
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{replica_name}"')
        cursor.execute(f'CREATE DATABASE "{replica_name}" TEMPLATE "{name}"')
    connections.settings[ALIAS] = {**connections.settings["default"], "NAME": replica_name}
    # Connected here: the test case's guard refuses to open connections to aliases it was not told
    # of, and this one appeared after it started.
    connections[ALIAS].connect()
    try:
        ArticlePage.objects.using(ALIAS).filter(pk=article.pk).update(title=REPLICA_TITLE)
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{replica_name}"')


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("redaktor", "r@example.com", "x")


@pytest.mark.django_db(transaction=True)
def test_readers_read_the_replica_while_the_newsroom_reads_and_writes_the_primary(
    replica, article, editor
):
    newsroom = Client()
    newsroom.force_login(editor)
    url = article.get_url()

    # Each read by a new browser: the first request writes (Wagtail creates missing site settings
    # on first use), and a browser that wrote reads the primary for a while (the pin cookie).
    page = Client().get(url).content.decode()
    assert REPLICA_TITLE in page
    assert PRIMARY_TITLE not in page
    assert PRIMARY_TITLE in newsroom.get(url).content.decode()  # logged in: the primary
    assert PRIMARY_TITLE in newsroom.get(f"/admin/pages/{article.pk}/edit/").content.decode()

    response = newsroom.post(f"/admin/pages/{article.pk}/unpublish/")
    assert response.status_code == 302
    assert not ArticlePage.objects.using("default").get(pk=article.pk).live  # written there
    assert ArticlePage.objects.using(ALIAS).get(pk=article.pk).live  # the replica untouched
    assert Client().get(url).status_code == 200  # readers see what the (lagging) replica has


@pytest.mark.django_db(transaction=True)
def test_a_page_purged_moments_ago_is_rendered_from_the_primary(replica, article, settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0
    cache._page_cache().clear()
    url = article.get_url()
    Client().get(url)  # creates the site settings (a write: that response is not stored)

    settings.VESTNIK_DATABASE_REPLICA_LAG = 0  # no purge counts as recent
    assert REPLICA_TITLE in Client().get(url).content.decode()
    assert Client().get(url)["X-Cache"] == "HIT"

    settings.VESTNIK_DATABASE_REPLICA_LAG = 60
    cache.purge({tags.article(article.pk)})
    response = Client().get(url)
    assert response["X-Cache"] == "MISS"
    assert PRIMARY_TITLE in response.content.decode()  # not the replica's older copy
