"""Production's background worker: with VESTNIK_TASKS=database, saving an article only queues its
analysis (the request never waits for the models); `manage.py db_worker` runs it afterwards."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from wagtail.rich_text import RichText

from vestnik.entities.models import ArticleEntity
from vestnik.news.tests import factories
from vestnik.related.models import ArticleVector

pytestmark = pytest.mark.django_db


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
    assert not ArticleVector.objects.filter(article=article).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    names = set(
        ArticleEntity.objects.filter(article=article).values_list("entity__name", flat=True)
    )
    assert "Дмитрий Песков" in names
    assert ArticleVector.objects.filter(article=article).exists()
