"""Fixtures shared by every app's tests: the newsroom, rubrics, articles, users."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Collection, Locale, Page

from vestnik.news import services as news_services
from vestnik.news.tests import factories


def pytest_collection_modifyitems(config, items):
    """`embedded_only` tests check what does not depend on the database (a browser under the
    Content-Security-Policy, a script against a page it serves itself, the Dzen feed's markup,
    files served from disk): `make test` runs them, `make test-prod` (PostgreSQL) does not repeat
    them, which keeps CI under 20 minutes."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="database-independent: runs once, under make test")
    for item in items:
        if item.get_closest_marker("embedded_only"):
            item.add_marker(skip)


@pytest.fixture
def wagtail_root(db):
    """The tree root, root collection and default locale; transactional tests wipe them, so recreate."""
    return ensure_wagtail_root()


def ensure_wagtail_root():
    """What the `wagtail_root` fixture provides, for module-scoped fixtures that can't use it."""
    Locale.objects.get_or_create(language_code="ru")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(title="Root", slug="root", locale=Locale.objects.first())
        )
    return root


@pytest.fixture
def home(wagtail_root):
    return news_services.newsroom_setup(hostname="testserver", port=80)


@pytest.fixture
def rubric(home):
    return factories.rubric(home, "Политика", "politika")


@pytest.fixture
def other_rubric(home):
    return factories.rubric(home, "Бизнес", "biznes")


@pytest.fixture
def story(home):
    return factories.story(home, "Саммит Путина и Байдена")


def _user(username: str, group: str | None, superuser: bool = False):
    user = get_user_model().objects.create_user(username=username, password="pass-for-tests-1")
    if superuser:
        user.is_staff = user.is_superuser = True
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def author_user(home):
    return _user("author", news_services.AUTHORS)


@pytest.fixture
def editor_user(home):
    return _user("editor", news_services.EDITORS)


@pytest.fixture
def admin_user_(home):
    return _user("boss", news_services.ADMINS, superuser=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright, for tests marked `browser`."""
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are
    # made from the test thread between page actions, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Cached pages, fragments and renditions live outside the test database: start every test
    without them (Wagtail keys renditions by image id, and a rolled-back test's ids come round
    again: an image could otherwise get an earlier test's rendition)."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["renditions"].clear()
