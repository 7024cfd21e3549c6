"""Production's background worker: with VESTNIK_TASKS=database, saving an article only queues its
analysis (the request never waits for the models); `manage.py db_worker` runs it afterwards."""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult
from wagtail.rich_text import RichText

from vestnik.core.tests.ports import free_ports
from vestnik.entities.models import ArticleEntity
from vestnik.feed.tests.servers import _stop_group, database_url
from vestnik.news.tests import factories
from vestnik.related.models import ArticleVector

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_publish_queues_the_analysis_and_the_worker_runs_it(database_queue, rubric, monkeypatch):
    # A worker process closes stale connections between tasks; here it shares the test's own
    # connection, which holds the test's transaction (on PostgreSQL closing it ends the test).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    body = [("paragraph", RichText("<p>Дмитрий Песков ответил журналистам в Кремле.</p>"))]
    article = factories.article(rubric, title="Песков ответил журналистам", body=body)
    queued = DBTaskResult.objects.filter(status="READY")
    assert {task.task_path.rsplit(".", 1)[-1] for task in queued} >= {
        "analyse_article",
        "relate_article",
    }
    assert not ArticleEntity.objects.filter(article=article).exists()  # nothing ran inline
    # A retitle queues its search-index update after the first publish's analysis; the worker
    # (the queue's order) still takes it first: readers wait for search, nobody for the models.
    article.title = "Песков снова ответил журналистам"
    article.save_revision().publish()
    order = [task.task_path.rsplit(".", 1)[-1] for task in queued.all()]
    slow = [i for i, name in enumerate(order) if name in ("analyse_article", "relate_article")]
    assert slow == list(range(len(order) - len(slow), len(order))), order
    assert not ArticleVector.objects.filter(article=article).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    names = set(
        ArticleEntity.objects.filter(article=article).values_list("entity__name", flat=True)
    )
    assert "Дмитрий Песков" in names
    assert ArticleVector.objects.filter(article=article).exists()


# --- the embedded server: scripts/serve runs the worker beside granian --------------------------


def _served_rows(db_url: str, sql: str) -> list[tuple]:
    """Read what the served processes wrote (a SQLite copy, or the test's PostgreSQL database)."""
    if db_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(db_url.removeprefix("sqlite:///"))) as served:
            return served.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_scripts_serve_runs_the_queued_analysis_in_its_worker_and_stops_it(
    database_queue, rubric, tmp_path
):
    body = [("paragraph", RichText("<p>Дмитрий Песков ответил журналистам в Кремле.</p>"))]
    article = factories.article(rubric, title="Песков ответил журналистам", body=body)
    assert DBTaskResult.objects.filter(status="READY").count() >= 2  # queued, not run
    assert not ArticleEntity.objects.filter(article=article).exists()
    db_url = database_url(tmp_path)
    port = free_ports(1)[0]
    env = {
        **os.environ,
        "VESTNIK_VENV": str(Path(sys.executable).parents[1]),
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.test",
        "DATABASE_URL": db_url,
        "VESTNIK_VAR_DIR": str(tmp_path),
        "DJANGO_DEBUG": "false",
    }
    env.pop("VESTNIK_TASKS", None)  # the script's own default
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve"), "127.0.0.1", str(port), "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
    )  # fmt: skip
    try:
        tasks, links = DBTaskResult._meta.db_table, ArticleEntity._meta.db_table
        pending = f"SELECT count(*) FROM {tasks} WHERE status != 'SUCCESSFUL'"
        deadline = time.monotonic() + 180  # the worker loads the language models first
        while _served_rows(db_url, pending)[0][0] and time.monotonic() < deadline:
            assert process.poll() is None, log.seek(0) or log.read().decode()[-2000:]
            time.sleep(0.5)
        assert _served_rows(db_url, pending) == [(0,)], _served_rows(
            db_url, f"SELECT task_path, status, count(*) FROM {tasks} GROUP BY 1, 2"
        )
        assert _served_rows(
            db_url, f"SELECT count(*) FROM {links} WHERE article_id = {article.pk}"
        )[0][0]
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=30).status_code == 200

        # A TERM to the script alone (as a service manager sends it) stops granian, the scheduler
        # and the worker: nothing of the group is left.
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(process.pid)
    finally:
        if _group_alive(process.pid):
            _stop_group(process)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
