"""«Одобрить и опубликовать» has one effect, or none (news/admin_views.py, docs/newsroom.md).

The editor's POSTs are sent one after the other here, as a slow browser or a double click sends
them; test_workflow_race.py sends them at once to two server processes. Transactional, so the
after-commit work (feed line, e-mails) runs as in production.
"""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.signals import page_published, workflow_approved

from vestnik.news.models import ArticlePage

from .workflow import (
    APPROVE,
    AUTOSAVE_HEADERS,
    PUBLISHED_ONCE,
    STILL_IN_REVIEW,
    article_in_review,
    form_fields,
    state,
    without_revisions,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_review(rubric, author_user, editor_user):
    author_user.email = "author@example.org"
    author_user.save()
    editor_user.email = "editor@example.org"
    editor_user.save()
    article = article_in_review(rubric, author_user)
    mail.outbox.clear()
    return article


def _edit(client, article):
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    return url, form_fields(client.get(url).content.decode())


def _approved_mails():
    return [m for m in mail.outbox if m.to == ["author@example.org"]]


@pytest.mark.parametrize("second", ["autosave", "double click"])
def test_a_second_approve_post_has_no_effect(client, in_review, editor_user, second):
    client.force_login(editor_user)
    url, fields = _edit(client, in_review)
    revisions = state(in_review)["revisions"]

    first = client.post(url, dict(fields + APPROVE))
    assert first.status_code == 302
    headers = AUTOSAVE_HEADERS if second == "autosave" else {}
    again = client.post(url, dict(fields + APPROVE), headers=headers)

    if second == "autosave":
        assert again.status_code == 400
        assert again.json()["success"] is False
    else:
        assert again.status_code == 200
        assert "больше не ожидает этой проверки" in again.content.decode()
    after = state(in_review)
    # No draft on top of the publication («ОПУБЛИКОВАНО + ЧЕРНОВИК»), one of everything.
    assert after["revisions"] == revisions
    assert without_revisions(after) == PUBLISHED_ONCE
    assert len(_approved_mails()) == 1


def test_autosave_never_acts(client, in_review, editor_user):
    client.force_login(editor_user)
    url, fields = _edit(client, in_review)
    response = client.post(url, dict(fields + APPROVE), headers=AUTOSAVE_HEADERS)
    assert response.json()["success"] is False
    assert without_revisions(state(in_review)) == STILL_IN_REVIEW
    assert _approved_mails() == []


def test_autosave_is_off_in_the_editor(client, in_review, editor_user):
    client.force_login(editor_user)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(in_review.pk,))).content.decode()
    assert "w-autosave" not in html.split('id="page-edit-form"')[1].split(">")[0]
    assert "js/admin-editor.js" in html


# Where the approval fails: inside the publish, or once the workflow is marked approved (the
# author's «утверждена» e-mail already queued by then).
CRASH_POINTS = {
    "publish": (page_published, ArticlePage),
    "approved": (workflow_approved, WorkflowState),
}


@pytest.mark.parametrize("where", CRASH_POINTS)
def test_a_failure_inside_the_approval_rolls_it_all_back(client, in_review, editor_user, where):
    def crash(**kwargs):
        raise RuntimeError("the approval failed halfway")

    client.force_login(editor_user)
    url, fields = _edit(client, in_review)
    before = state(in_review)
    fields = [(name, value) for name, value in fields if name != "title"]
    signal, sender = CRASH_POINTS[where]
    signal.connect(crash, sender=sender, dispatch_uid="crash-test")
    try:
        response = client.post(url, dict(fields + APPROVE + [("title", "Новый заголовок")]))
    finally:
        signal.disconnect(sender=sender, dispatch_uid="crash-test")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Действие не выполнено, ничего не изменено" in html
    assert "Новый заголовок" in html  # what the editor typed is shown back, not lost
    assert state(in_review) == before
    assert without_revisions(before) == STILL_IN_REVIEW
    assert ArticlePage.objects.get(pk=in_review.pk).title != "Новый заголовок"
    assert mail.outbox == []

    # Nothing was left half-done: the same approval works once the fault is gone.
    url, fields = _edit(client, in_review)
    assert client.post(url, dict(fields + APPROVE)).status_code == 302
    assert without_revisions(state(in_review)) == PUBLISHED_ONCE
    assert len(_approved_mails()) == 1


def test_request_changes_twice_rejects_once(client, in_review, editor_user):
    client.force_login(editor_user)
    url, fields = _edit(client, in_review)
    reject = [
        ("action-workflow-action", "true"),
        ("workflow-action-name", "reject"),
        ("workflow-action-extra-data", '{"comment": "Добавьте источник"}'),
    ]
    revisions = state(in_review)["revisions"]
    assert client.post(url, dict(fields + reject)).status_code == 302
    assert client.post(url, dict(fields + reject)).status_code == 200
    after = state(in_review)
    assert after["revisions"] == revisions
    assert after["workflow"] == ["needs_changes"]
    assert not after["live"]


def test_a_publish_from_an_outdated_form_is_refused_and_keeps_the_text(client, rubric, editor_user):
    client.force_login(editor_user)
    article = ArticlePage(title="Черновик", slug="chernovik", live=False)
    rubric.add_child(instance=article)
    article.save_revision(user=editor_user)
    url, fields = _edit(client, article)
    publish = [("action-publish", "action-publish")]
    assert client.post(url, dict(fields + publish)).status_code == 302
    # The same click again (double click): the form still shows the version before publishing.
    again = client.post(url, dict(fields + publish))
    assert again.status_code == 200
    assert "был изменён после того, как вы его открыли" in again.content.decode()
    article.refresh_from_db()
    assert article.live
    assert article.latest_revision_id == article.live_revision_id


def test_the_dashboard_approve_twice_publishes_once(client, in_review, editor_user):
    client.force_login(editor_user)
    task_state = in_review.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(in_review.pk, "approve", task_state.pk)
    )
    assert client.post(url, {"comment": ""}).status_code == 302
    again = client.post(url, {"comment": ""}, follow=True)
    assert again.status_code == 200
    assert "больше не ожидает этой проверки" in again.content.decode()
    assert without_revisions(state(in_review)) == PUBLISHED_ONCE
    assert len(_approved_mails()) == 1


def test_unpublish_confirmed_twice_unpublishes_once(client, rubric, editor_user):
    from wagtail.models import PageLogEntry

    from . import factories

    article = factories.article(rubric, title="Снимается")
    client.force_login(editor_user)
    url = reverse("wagtailadmin_pages:unpublish", args=(article.pk,))
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "уже снят с публикации" in again.content.decode()
    article.refresh_from_db()
    assert not article.live
    assert PageLogEntry.objects.filter(page=article, action="wagtail.unpublish").count() == 1


def test_two_unpublishes_of_one_loaded_page_unpublish_once(rubric):
    from wagtail.models import PageLogEntry

    from . import factories

    article = factories.article(rubric, title="Снимается дважды")
    first, second = ArticlePage.objects.get(pk=article.pk), ArticlePage.objects.get(pk=article.pk)
    first.unpublish()
    second.unpublish()  # loaded while live, as a concurrent request would have it
    assert PageLogEntry.objects.filter(page=article, action="wagtail.unpublish").count() == 1
