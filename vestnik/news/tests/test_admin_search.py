"""The admin page search looks at the newest matches only (news/admin_search.py), and still finds
drafts, a rare word in an old page, and nothing an author may not see."""

import re

import pytest
from lxml import html as lxml_html

from vestnik.conftest import _user
from vestnik.news import services
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db

LIMIT = 10


@pytest.fixture(autouse=True, params=[1, 8], ids=["window of limit", "window of 8 limits"])
def window(request, monkeypatch):
    """The newest WINDOW × limit pages are searched first: 1 × 10 pages is smaller than the
    archive here (both phases run), 8 × 10 is larger (one search of every page)."""
    from vestnik.news import admin_search

    monkeypatch.setattr(admin_search, "WINDOW", request.param)
    return request.param


@pytest.fixture
def archive(rubric, author_user, settings):
    """An old page with a rare word, then 14 pages with a common one (the newest has the
    highest id), one of them another author's draft."""
    settings.VESTNIK_ADMIN_SEARCH_LIMIT = LIMIT
    rare = factories.article(rubric, title="Редкостный тихоход найден")
    common = [factories.article(rubric, title=f"Архивная заметка {n:02}") for n in range(12)]
    other_author = _user("author-b", services.AUTHORS)
    draft = ArticlePage(
        title="Архивная тайна черновика", slug="taina", live=False, owner=other_author
    )
    rubric.add_child(instance=draft)
    draft.save_revision(user=other_author)
    own = ArticlePage(title="Архивная своя заготовка", slug="svoya", live=False, owner=author_user)
    rubric.add_child(instance=own)
    own.save_revision(user=author_user)
    return {"rare": rare, "common": common, "draft": draft, "own": own}


def _search(client, query, **params):
    response = client.get("/admin/pages/search/", {"q": query, **params})
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content.decode())
    titles = [
        " ".join(cell.text_content().split())
        for cell in document.xpath("//td[@data-listing-page-title]//*[contains(@id, '_title')]")
    ]
    alert = " ".join(" ".join(document.xpath("//h2[@role='alert']//text()")).split())
    return titles, alert, response.content.decode()


def test_a_rare_word_finds_its_one_old_page(client, editor_user, archive):
    client.force_login(editor_user)
    titles, alert, _ = _search(client, "тихоход")
    assert titles == ["Редкостный тихоход найден"]
    assert alert == "Существует одна совпадающая страница"


def test_a_common_word_shows_the_newest_matches_with_a_capped_count(client, editor_user, archive):
    client.force_login(editor_user)
    titles, alert, html = _search(client, "архивная")
    newest = ["Архивная своя заготовка", "Архивная тайна черновика"] + [
        f"Архивная заметка {n:02}" for n in (11, 10, 9, 8, 7, 6, 5, 4)
    ]
    assert sorted(titles) == sorted(newest)  # the 10 newest of 14, drafts included
    assert alert == f"Найдено больше {LIMIT} страниц; показаны {LIMIT} самых новых"
    assert "Архивная заметка 00" not in html
    assert re.search(r"Все \(&gt; 10\)", html)  # the facet's total is capped too


def test_under_the_limit_the_count_is_exact_and_the_type_filter_works(
    client, editor_user, archive, settings
):
    settings.VESTNIK_ADMIN_SEARCH_LIMIT = 1000
    client.force_login(editor_user)
    titles, alert, html = _search(client, "архивная")
    assert len(titles) == 14
    assert "14" in alert
    assert "больше" not in alert
    titles, _, _ = _search(client, "архивная", content_type="news.articlepage")
    assert len(titles) == 14
    titles, _, _ = _search(client, "архивная live:false")
    assert sorted(titles) == ["Архивная своя заготовка", "Архивная тайна черновика"]


def test_an_author_finds_their_own_draft_and_live_pages_but_not_anothers_draft(
    client, author_user, archive, settings
):
    settings.VESTNIK_ADMIN_SEARCH_LIMIT = 1000
    client.force_login(author_user)
    titles, _, html = _search(client, "архивная")
    assert "Архивная тайна черновика" not in html
    assert "Архивная своя заготовка" in titles
    assert len(titles) == 13
    titles, _, html = _search(client, "тайна")
    assert titles == []
    assert "Архивная тайна черновика" not in html


def test_matches_beyond_the_window_fill_up_the_newest(
    client, editor_user, archive, rubric, settings
):
    settings.VESTNIK_ADMIN_SEARCH_LIMIT = 5
    for n in range(3):  # the newest pages, without the word: the window holds only 2 matches
        factories.article(rubric, title=f"Свежая новость {n}")
    client.force_login(editor_user)
    titles, alert, _ = _search(client, "архивная")
    assert sorted(titles) == sorted(
        ["Архивная своя заготовка", "Архивная тайна черновика"]
        + [f"Архивная заметка {n:02}" for n in (11, 10, 9)]
    )
    assert alert == "Найдено больше 5 страниц; показаны 5 самых новых"
