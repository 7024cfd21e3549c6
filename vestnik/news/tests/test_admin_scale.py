"""The explorer at a large archive (issue 13 §6, bench/README.md «Admin at 1,000,000 articles»):
for users who may explore everything under a page it lists the children without Wagtail's
`pk IN (explorable pages)` subquery, and still lists every page, sortable; authors keep the
filtered listing (test_author_rights.py covers what they see)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission, Page

from vestnik.conftest import _user
from vestnik.news import services
from vestnik.news.models import ArticlePage
from vestnik.news.permissions import explores_everything_under
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    """Article titles in listing order (a row may name its page more than once)."""
    return list(dict.fromkeys(re.findall(r"Статья №\d+", html)))


def test_who_explores_everything_under_a_rubric(
    rubric, other_rubric, author_user, editor_user, admin_user_
):
    assert explores_everything_under(editor_user, rubric)
    assert explores_everything_under(admin_user_, rubric)
    assert not explores_everything_under(author_user, rubric)  # narrowed to what they may see
    # Editing only one rubric: everything under it, nothing under its sibling.
    desk = _user("desk", None)
    desk.groups.add(group := desk.groups.model.objects.create(name="Деск"))
    GroupPagePermission.objects.create(group=group, page=rubric, permission_type="change")
    assert explores_everything_under(desk, rubric)
    assert not explores_everything_under(desk, other_rubric)
    assert not explores_everything_under(desk, Page.objects.get(depth=2))


def test_editors_explorer_lists_every_child_without_the_explorable_subquery(
    client, rubric, editor_user
):
    for number in range(3):
        factories.article(rubric, title=f"Статья №{number}")
    draft = ArticlePage(title="Статья №9", slug="statya-9", live=False)
    rubric.add_child(instance=draft)
    client.force_login(editor_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/pages/{rubric.pk}/?ordering=title")
    assert response.status_code == 200
    assert _titles(response.content.decode()) == [f"Статья №{n}" for n in (0, 1, 2, 9)]
    listing = [q["sql"] for q in queries if "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]]
    assert listing
    assert not any(" IN (SELECT" in sql for sql in listing)
    descending = client.get(f"/admin/pages/{rubric.pk}/?ordering=-title").content.decode()
    assert _titles(descending) == [f"Статья №{n}" for n in (9, 2, 1, 0)]
    assert client.get(f"/admin/pages/{rubric.pk}/results/?ordering=title").status_code == 200


def test_authors_explorer_keeps_wagtails_filter(client, rubric, author_user):
    other = _user("author-b", services.AUTHORS)
    factories.article(rubric, title="Статья №1")
    rubric.add_child(instance=ArticlePage(title="Статья №2", slug="s2", live=False, owner=other))
    client.force_login(author_user)
    response = client.get(f"/admin/pages/{rubric.pk}/")
    assert _titles(response.content.decode()) == ["Статья №1"]
