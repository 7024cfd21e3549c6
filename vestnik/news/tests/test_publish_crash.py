"""A publish killed halfway (SIGKILL, a real process, a real database file) leaves the old version.

Each case copies a small site (built once: SQLite under a temporary var dir, and PostgreSQL when
the run has DATABASE_URL=postgres://…, in databases named after it), starts a process
that saves a new revision and publishes it, and kills it with SIGKILL from inside the publish:
while its new tag is written, once the page is stored and `page_published` is sent, or while the
publish is logged. Then, in fresh processes: the live page is the old version throughout
(database and rendered HTML), the new revision is kept, and publishing it again works.

Wagtail stores the page and its child rows (tags) in one transaction of its own, but commits the
rest of a publish (revision schedule, workflow, log) separately and sends `page_published`
between them: without news.models.AtomicPublishMixin a crash there leaves the new version live
with no publish logged and no domain event sent (feed, search and cache purge miss it) — the
`signal` and `log` cases fail. `article_publish` used to commit a live page before its revision.
"""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SLUG = "statia"

SETUP = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("setup_newsroom", verbosity=0)
from vestnik.news import services
from vestnik.news.models import HomePage
from vestnik.news.tests import factories
rubric = factories.rubric(HomePage.objects.get(), "Политика", "politika")
services.article_publish(
    rubric, title="Старый заголовок", slug="statia", lead="Старый лид", tags=["старая метка"]
)
"""

# Prints "revision <id>" once the new revision is saved, "inside" from within the publish, then
# sleeps until killed. `where`: tags (the page's row is written, its new tag being written),
# signal (page_published: the page stored) or log (the publish being logged).
CRASH_EDIT = """
import sys, time
from django.db.models.signals import post_save
from wagtail.models import PageLogEntry
from wagtail.signals import page_published
from vestnik.news.models import ArticlePage, ArticleTag

article = ArticlePage.objects.get(slug="statia")
article.title, article.lead = "Новый заголовок", "Новый лид"
article.tags.set(["новая метка"])
revision = article.save_revision()
print("revision", revision.pk, flush=True)

def crash_here(instance, **kwargs):
    print("inside", flush=True)
    time.sleep(300)

if sys.argv[1] == "tags":
    post_save.connect(crash_here, sender=ArticleTag, weak=False)
elif sys.argv[1] == "log":
    post_save.connect(crash_here, sender=PageLogEntry, weak=False)
else:
    page_published.connect(crash_here, sender=ArticlePage, weak=False)
revision.publish()
print("published", flush=True)
"""

CRASH_NEW = """
import time
from wagtail.signals import page_published
from vestnik.news import services
from vestnik.news.models import ArticlePage, RubricPage

def crash_here(instance, **kwargs):
    print("inside", flush=True)
    time.sleep(300)

page_published.connect(crash_here, sender=ArticlePage, weak=False)
services.article_publish(RubricPage.objects.get(slug="politika"), title="Новая молния")
print("published", flush=True)
"""

STATE = """
import json
from django.test import Client
from wagtail.models import PageLogEntry, Revision
from vestnik.news.models import ArticlePage

article = ArticlePage.objects.get(slug="statia")
response = Client().get("/politika/statia/")
html = response.content.decode()
words = ["Старый заголовок", "Новый заголовок", "Старый лид", "Новый лид", "старая метка", "новая метка"]
print(json.dumps({
    "status": response.status_code,
    "live": article.live,
    "title": article.title,
    "lead": article.lead,
    "tags": sorted(tag.name for tag in article.tags.all()),
    "live_revision": article.live_revision_id,
    "revisions": sorted(Revision.objects.filter(object_id=str(article.pk)).values_list("pk", flat=True)),
    "html": [word for word in words if word in html],
    "publishes_logged": PageLogEntry.objects.filter(page=article, action="wagtail.publish").count(),
    "new_article": list(ArticlePage.objects.filter(title="Новая молния").values_list("live", flat=True)),
}))
"""

PUBLISH_AGAIN = """
import sys
from wagtail.models import Revision
Revision.objects.get(pk=int(sys.argv[1])).publish()
"""

PUBLISH_NEW_AGAIN = """
from vestnik.news import services
from vestnik.news.models import RubricPage
services.article_publish(RubricPage.objects.get(slug="politika"), title="Новая молния")
"""


@dataclass
class Site:
    var_dir: Path
    database_url: str | None = None  # None: SQLite in var_dir


def _env(site: Site) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="vestnik.settings.test", VESTNIK_VAR_DIR=str(site.var_dir))
    if site.database_url:
        env["DATABASE_URL"] = site.database_url
    return env


def _django(code: str) -> str:
    return "import django; django.setup()\n" + code


def _run(site: Site, code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _django(code), *args],
        cwd=ROOT,
        env=_env(site),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _state(site: Site) -> dict:
    return json.loads(_run(site, STATE).strip().splitlines()[-1])


def _kill_inside(site: Site, code: str, *args: str) -> list[str]:
    """Run `code` until it prints "inside", then SIGKILL it; returns the lines it printed."""
    process = subprocess.Popen(
        [sys.executable, "-c", _django(code), *args],
        cwd=ROOT,
        env=_env(site),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines, deadline = [], time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 1)
            if ready:
                line = process.stdout.readline()
                if not line:
                    break  # it ended without reaching the publish
                lines.append(line.strip())
                if line.strip() == "inside":
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait(30)
                    return lines
        pytest.fail(f"never reached the publish: {lines} {process.stderr.read()}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _postgres(suffix: str) -> tuple[str, str] | None:
    """(URL of a database named after the run's with `suffix`, its name), or None without PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    name = dj_database_url.parse(url)["NAME"] + suffix
    return url.rsplit("/", 1)[0] + "/" + name, name


def _postgres_sql(statement: str) -> None:
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built_site(request, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("publish-crash-template")
    if request.param == "sqlite":
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.skip(
                "SQLite case: `make test` runs it; `make test-prod` runs the PostgreSQL one"
            )
        site = Site(var_dir)
        _run(site, SETUP)
        yield site
        return
    database = _postgres("_crash_template")
    if database is None:
        pytest.skip("PostgreSQL case: run with DATABASE_URL=postgres://…")
    url, name = database
    _postgres_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres_sql(f'CREATE DATABASE "{name}"')
    site = Site(var_dir, url)
    try:
        _run(site, SETUP)
        yield site
    finally:
        _postgres_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site(built_site, tmp_path):
    """A copy of the built site's database for one case (the template stays untouched)."""
    if built_site.database_url is None:
        for path in built_site.var_dir.glob("vestnik.sqlite3*"):
            shutil.copy(path, tmp_path / path.name)
        yield Site(tmp_path)
        return
    url, name = _postgres("_crash")
    template = dj_database_url.parse(built_site.database_url)["NAME"]
    _postgres_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield Site(tmp_path, url)
    finally:
        _postgres_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("where", ["tags", "signal", "log"])
def test_killed_publish_leaves_the_old_version_and_keeps_the_revision(site, where):
    before = _state(site)
    assert before["title"] == "Старый заголовок"
    assert before["status"] == 200

    lines = _kill_inside(site, CRASH_EDIT, where)
    new_revision = int(lines[0].split()[1])

    after = _state(site)
    assert after["status"] == 200
    assert after["live"]
    assert (after["title"], after["lead"], after["tags"]) == (
        "Старый заголовок",
        "Старый лид",
        ["старая метка"],
    )
    assert after["live_revision"] == before["live_revision"]
    assert after["html"] == ["Старый заголовок", "Старый лид", "старая метка"]
    assert after["revisions"] == [*before["revisions"], new_revision]  # nothing lost
    assert after["publishes_logged"] == before["publishes_logged"]

    _run(site, PUBLISH_AGAIN, str(new_revision))
    again = _state(site)
    assert (again["title"], again["lead"], again["tags"]) == (
        "Новый заголовок",
        "Новый лид",
        ["новая метка"],
    )
    assert again["live_revision"] == new_revision
    assert again["html"] == ["Новый заголовок", "Новый лид", "новая метка"]
    assert again["publishes_logged"] == before["publishes_logged"] + 1


def test_killed_publish_of_a_new_article_leaves_no_trace(site):
    _kill_inside(site, CRASH_NEW)

    assert _state(site)["new_article"] == []  # no page, live or half-made

    _run(site, PUBLISH_NEW_AGAIN)
    assert _state(site)["new_article"] == [True]
