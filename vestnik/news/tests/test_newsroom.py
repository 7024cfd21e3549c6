"""The newsroom's rules: who may publish, the review workflow, scheduled publishing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import WorkflowState

from vestnik.core import scheduler
from vestnik.news.models import ArticlePage

from . import factories

pytestmark = pytest.mark.django_db


def test_author_cannot_publish_even_by_posting_the_admin_form(client, rubric, author_user):
    client.force_login(author_user)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk))
    response = client.post(
        url,
        factories.admin_article_form(
            "Черновик автора", "chernovik-avtora", **{"action-publish": "action-publish"}
        ),
    )
    assert response.status_code in (200, 302)
    article = ArticlePage.objects.get(slug="chernovik-avtora")
    assert not article.live
    assert article.live_revision is None
    # …nor by editing the page afterwards with the publish action
    edit = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    client.post(
        edit,
        factories.admin_article_form(
            "Черновик автора", "chernovik-avtora", **{"action-publish": "action-publish"}
        ),
    )
    article.refresh_from_db()
    assert not article.live
    assert client.get(article.url).status_code == 404


def test_author_submits_for_review_and_an_editor_approves_and_publishes(
    client, rubric, author_user, editor_user
):
    client.force_login(author_user)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk))
    client.post(
        url,
        factories.admin_article_form(
            "На проверку", "na-proverku", **{"action-submit": "action-submit"}
        ),
    )
    article = ArticlePage.objects.get(slug="na-proverku")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not article.live

    client.force_login(editor_user)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk)
    )
    response = client.post(approve, {"comment": "Годится"})
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live
    assert client.get(article.url).status_code == 200


def test_editor_can_publish_directly(client, rubric, editor_user):
    client.force_login(editor_user)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk))
    client.post(
        url,
        factories.admin_article_form(
            "Редактор публикует", "redaktor-publikuet", **{"action-publish": "action-publish"}
        ),
    )
    article = ArticlePage.objects.get(slug="redaktor-publikuet")
    assert article.live
    assert article.rubric_id == rubric.pk
    assert article.published_at is not None


def test_scheduled_article_goes_live_at_its_time_on_the_site_and_in_the_feed(
    client, home, rubric, editor_user, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + timedelta(minutes=30)
    article = ArticlePage(
        title="Запланированная новость", slug="zaplanirovannaya", go_live_at=go_live
    )
    rubric.add_child(instance=article)
    article.save_revision(user=editor_user).publish(user=editor_user)
    article.refresh_from_db()
    assert not article.live
    assert "Запланированная новость" not in client.get("/").content.decode()

    jobs = scheduler.jobs_registered()
    scheduler.run_due(jobs, now=0)
    article.refresh_from_db()
    assert not article.live, "published before its time"

    with (
        freeze_time(go_live + timedelta(seconds=30)),  # the scheduler's next tick after the time
        django_capture_on_commit_callbacks(execute=True),
    ):
        scheduler.run_due(jobs, now=10_000)
    article.refresh_from_db()
    assert article.live
    assert client.get(article.url).status_code == 200
    assert "Запланированная новость" in client.get("/").content.decode()  # the sidebar feed


def test_scheduler_command_runs_every_job_once(capsys, home):
    call_command("run_scheduler", "--once")
    jobs = len(scheduler.jobs_registered())
    assert f"Выполнено задач: {jobs} из {jobs}." in capsys.readouterr().out


def test_a_failing_job_is_logged_and_does_not_stop_the_others(caplog):
    calls = []

    def broken():
        raise RuntimeError("нет связи")

    jobs = [scheduler.Job("broken", broken, 60), scheduler.Job("ok", lambda: calls.append(1), 60)]
    ran = scheduler.run_due(jobs, now=0)
    assert ran == ["ok"]
    assert calls == [1]
    assert "broken" in caplog.text


def test_admin_speaks_russian_and_says_times_are_moscow(client, rubric, editor_user):
    article = factories.article(rubric)
    client.force_login(editor_user)
    dashboard = client.get("/admin/").content.decode()
    assert 'lang="ru"' in dashboard
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    assert "Московское время" in edit
    assert "Опубликовать" in edit


def test_newsroom_setup_is_idempotent(home):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, Workflow

    from vestnik.news.services import newsroom_setup

    before = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count())
    assert newsroom_setup().pk == home.pk
    assert (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
    ) == before
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Авторы",
        "Редакторы",
        "Администраторы",
    }


def test_the_scheduler_loop_runs_each_job_again_on_every_due_time_and_survives_failures(caplog):
    """run_forever itself, on a clock the test moves: one tick of sleep is one second."""
    now = [1000.0]
    ran: list[tuple[str, float]] = []
    failures = []

    def flaky():
        failures.append(now[0])
        raise RuntimeError("нет связи с ЦБ")

    jobs = [
        scheduler.Job("publish", lambda: ran.append(("publish", now[0])), 15),
        scheduler.Job("rates", flaky, 30),
        scheduler.Job("flush", lambda: ran.append(("flush", now[0])), 60),
    ]

    def sleep(seconds):
        now[0] += seconds

    ticks = iter(range(125))  # 125 turns of the loop, then stop
    scheduler.run_forever(
        jobs, should_stop=lambda: next(ticks, None) is None, clock=lambda: now[0], sleep=sleep
    )

    assert [t for name, t in ran if name == "publish"] == [
        1000 + 15 * n
        for n in range(9)  # at start, then every 15 s: 0 … 120
    ]
    assert [t for name, t in ran if name == "flush"] == [1000, 1060, 1120]
    # The failing job is retried on each of its turns and never stops the loop or the others.
    assert failures == [1000, 1030, 1060, 1090, 1120]
    assert caplog.text.count("scheduled job rates failed") == 5
    assert now[0] == 1125
