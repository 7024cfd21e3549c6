"""An article in review and the editor's form as the browser sends it, for the workflow tests."""

import json

import lxml.html
from django.apps import apps
from wagtail.models import PageLogEntry, Revision, WorkflowState

from vestnik.news.models import ArticlePage

TITLE = "Проверка согласования"
SLUG = "proverka-soglasovaniia"


def article_in_review(rubric, author) -> ArticlePage:
    """A draft written by `author` and submitted to «Редакторская проверка», as the author would."""
    article = ArticlePage(title=TITLE, slug=SLUG, lead="Лид статьи", live=False, owner=author)
    rubric.add_child(instance=article)
    article.save_revision(user=author)
    article.get_workflow().start(article, author)
    return article


def form_fields(html: str) -> list[tuple[str, str]]:
    """The edit form's fields as the browser would post them (no submit button yet)."""
    document = lxml.html.fromstring(html)
    (form,) = document.xpath('//form[@id="page-edit-form"]')
    fields = list(form.form_values())
    # The body's block inputs are made by the admin's JavaScript; these articles have no blocks.
    if not any(name == "body-count" for name, _ in fields):
        fields.append(("body-count", "0"))
    return fields


APPROVE = [
    ("action-workflow-action", "true"),
    ("workflow-action-name", "approve"),
    ("workflow-action-extra-data", "{}"),
]
# Wagtail's autosave: the same form (with the fields the click added) sent by fetch().
AUTOSAVE_HEADERS = {"Accept": "application/json"}

STATE = """
import json, sys
from django.apps import apps
from wagtail.models import PageLogEntry, Revision, WorkflowState
from vestnik.news.models import ArticlePage
from vestnik.news.tests.workflow import state
print(json.dumps(state(ArticlePage.objects.get(slug=sys.argv[1]))))
"""


def state(article: ArticlePage) -> dict:
    """What the newsroom and the readers see of `article`, as plain data."""
    article = ArticlePage.objects.get(pk=article.pk)
    workflow = WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(article.pk)
    ).order_by("-created_at")
    feed_entry = apps.get_model("feed", "FeedEntry")
    return json.loads(
        json.dumps(
            {
                "live": article.live,
                "revisions": Revision.objects.filter(
                    base_content_type__model="page", object_id=str(article.pk)
                ).count(),
                "latest_is_live": article.latest_revision_id == article.live_revision_id,
                "has_unpublished_changes": article.has_unpublished_changes,
                "workflow": [w.status for w in workflow],
                "publishes_logged": PageLogEntry.objects.filter(
                    page=article, action="wagtail.publish"
                ).count(),
                "approvals_logged": PageLogEntry.objects.filter(
                    page=article, action="wagtail.workflow.approve"
                ).count(),
                "feed_lines": feed_entry.objects.filter(key=f"article:{article.pk}").count(),
            }
        )
    )


PUBLISHED_ONCE = {
    "live": True,
    "latest_is_live": True,
    "has_unpublished_changes": False,
    "workflow": [WorkflowState.STATUS_APPROVED],
    "publishes_logged": 1,
    "approvals_logged": 1,
    "feed_lines": 1,
}
STILL_IN_REVIEW = {
    "live": False,
    "latest_is_live": False,
    "has_unpublished_changes": True,
    "workflow": [WorkflowState.STATUS_IN_PROGRESS],
    "publishes_logged": 0,
    "approvals_logged": 0,
    "feed_lines": 0,
}


def without_revisions(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "revisions"}
