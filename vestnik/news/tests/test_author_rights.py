"""Authors do not see other people's unpublished drafts anywhere in the admin; editors see them all
(news/permissions.py; docs/security.md, «Права авторов»)."""

import pytest

from vestnik.conftest import _user
from vestnik.news import services
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

SECRET = "Зоркий план редакции"  # author B's unpublished draft
RENAMED = "Переименован Зоркий"  # the pending new title of B's live article


@pytest.fixture
def author_b(home):
    return _user("author-b", services.AUTHORS)


@pytest.fixture
def drafts(rubric, author_b):
    draft = ArticlePage(title=SECRET, slug="zorkiy-plan", live=False, owner=author_b)
    rubric.add_child(instance=draft)
    draft.save_revision(user=author_b, log_action=True)
    live = factories.article(rubric, title="Открытый заголовок", owner=author_b)
    live = ArticlePage.objects.get(pk=live.pk)
    live.title = RENAMED
    live.save_revision(user=author_b, log_action=True)
    return draft, live


def _pages(client, rubric, drafts):
    """Every admin view that lists pages by title, as the logged-in user sees it."""
    draft, live = drafts
    ids = f"id={draft.pk}&id={live.pk}"
    urls = {
        "explorer": f"/admin/pages/{rubric.pk}/",
        "explorer search": f"/admin/pages/{rubric.pk}/?q=Зоркий",
        "admin search": "/admin/pages/search/?q=Зоркий",
        "admin search by live title": "/admin/pages/search/?q=Открытый",
        "chooser": f"/admin/choose-page/{rubric.pk}/",
        "chooser search": "/admin/choose-page/search/?q=Зоркий",
        "bulk publish": f"/admin/bulk/wagtailcore/page/publish/?{ids}",
        "bulk delete": f"/admin/bulk/wagtailcore/page/delete/?{ids}",
        "bulk all": f"/admin/bulk/wagtailcore/page/unpublish/?id=all&childOf={rubric.pk}",
        "site history": "/admin/reports/site-history/",
        "sidebar menu (admin API)": f"/admin/api/main/pages/?child_of={rubric.pk}&for_explorer=1",
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        # The chooser answers JSON with escaped Cyrillic: compare the decoded text.
        is_json = response["Content-Type"].startswith("application/json")
        pages[name] = str(response.json()) if is_json else response.content.decode()
    return pages


def test_author_a_sees_none_of_author_bs_draft_titles(client, rubric, author_user, drafts):
    own = ArticlePage(title="Мой черновик Зоркий", slug="moi", live=False, owner=author_user)
    rubric.add_child(instance=own)
    client.force_login(author_user)
    for name, html in _pages(client, rubric, drafts).items():
        assert SECRET not in html, name
        assert RENAMED not in html, name
    assert "Мой черновик Зоркий" in client.get(f"/admin/pages/{rubric.pk}/").content.decode()
    assert "Мой черновик Зоркий" in client.get("/admin/pages/search/?q=Зоркий").content.decode()


def test_author_a_cannot_open_or_copy_bs_draft(client, author_user, drafts):
    draft, _ = drafts
    client.force_login(author_user)
    for url in (f"/admin/pages/{draft.pk}/", f"/admin/choose-page/{draft.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "черновик другого автора" in response.content.decode()
        assert SECRET not in response.content.decode()
    # The page's own history, revisions and usage: Wagtail refuses them (only those who may edit).
    for view in ("history", "workflow_history", "usage", "copy"):
        response = client.get(f"/admin/pages/{draft.pk}/{view}/")
        assert response.status_code == 302, view
        assert response["Location"] == "/admin/", view
    # Copying would hand over the text: Wagtail refuses it (only those who may edit copy).
    copy = client.post(f"/admin/pages/{draft.pk}/copy/", {"new_title": "Копия", "new_slug": "k"})
    assert copy.status_code == 302
    assert copy["Location"] == "/admin/"
    assert not ArticlePage.objects.filter(title="Копия").exists()


def test_editors_see_every_draft(client, rubric, editor_user, drafts):
    client.force_login(editor_user)
    pages = _pages(client, rubric, drafts)
    for name in ("explorer", "explorer search", "admin search", "chooser", "chooser search"):
        assert SECRET in pages[name], name
    for name in ("explorer", "admin search by live title", "bulk publish", "site history"):
        assert RENAMED in pages[name], name
    assert SECRET in pages["bulk all"]
    assert SECRET in pages["sidebar menu (admin API)"]
    assert client.get(f"/admin/pages/{drafts[0].pk}/").status_code == 200


def test_page_types_report_is_for_editors(client, author_user, editor_user, drafts):
    # It names the last edited page of each type: here author B's renamed article.
    client.force_login(author_user)
    refused = client.get("/admin/reports/page-types-usage/")
    assert refused.status_code == 403
    assert RENAMED not in refused.content.decode()
    assert "/admin/reports/page-types-usage/" not in client.get("/admin/").content.decode()
    client.force_login(editor_user)
    assert RENAMED in client.get("/admin/reports/page-types-usage/").content.decode()
