"""Only live content reaches readers: a tag only a draft uses has no page and is never suggested.

Drafts are made the way the newsroom makes them, through the admin's forms: Wagtail writes a
never-published article's tags to its rows on every draft save, and keeps a live article's rows
at its live version while a newer draft waits.
"""

import pytest
from django.urls import reverse
from taggit.models import Tag

from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db

SUGGESTIONS = "Попробуйте:"


def _draft(client, rubric, user, tags: str) -> ArticlePage:
    client.force_login(user)
    client.post(
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk)),
        factories.admin_article_form("Черновик редакции", "chernovik-s-tegom", tags=tags),
    )
    client.logout()
    return ArticlePage.objects.get(slug="chernovik-s-tegom")


def _suggestions(client, query: str) -> str:
    html = client.get("/search/", {"q": query}).content.decode()
    assert "Ничего не найдено" in html
    return html[html.index(SUGGESTIONS) :] if SUGGESTIONS in html else ""


def test_a_tag_only_a_draft_uses_has_no_page_and_is_not_suggested(client, rubric, author_user):
    factories.article(rubric, title="Саммит", tags=["Саммит"])
    draft = _draft(client, rubric, author_user, "Эксклюзив")
    assert not draft.live
    assert list(draft.tags.names()) == ["Эксклюзив"]  # the rows hold the draft's tag

    assert client.get(f"/tags/{draft.tags.get().slug}/").status_code == 404
    # Neither as a close match to the reader's words nor among the popular tags.
    assert "Эксклюзив</a>" not in _suggestions(client, "эксклюзив ураган")
    assert "Эксклюзив</a>" not in _suggestions(client, "ураган")
    assert "Саммит</a>" in _suggestions(client, "ураган")


def test_once_published_the_tag_has_its_page_and_is_suggested(
    client, rubric, author_user, editor_user
):
    draft = _draft(client, rubric, author_user, "Эксклюзив")
    slug = draft.tags.get().slug
    assert client.get(f"/tags/{slug}/").status_code == 404

    draft.get_latest_revision().publish(user=editor_user)
    page = client.get(f"/tags/{slug}/")
    assert page.status_code == 200
    assert "Черновик редакции" in page.content.decode()
    assert "Эксклюзив</a>" in _suggestions(client, "эксклюзив ураган")


def test_a_tag_added_in_a_live_articles_new_draft_stays_hidden_until_published(
    client, rubric, editor_user
):
    article = factories.article(rubric, title="Живая статья", slug="zhivaia", tags=["Саммит"])
    client.force_login(editor_user)
    client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        factories.admin_article_form("Живая статья", "zhivaia", tags="Саммит, Эксклюзив"),
    )
    client.logout()
    article.refresh_from_db()
    assert article.live
    assert article.has_unpublished_changes
    latest = article.get_latest_revision_as_object()
    assert sorted(latest.tags.names()) == ["Саммит", "Эксклюзив"]

    assert "Эксклюзив</a>" not in _suggestions(client, "эксклюзив ураган")
    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert client.get(f"/tags/{slugs['Эксклюзив']}/").status_code == 404
    assert client.get(f"/tags/{slugs['Саммит']}/").status_code == 200
