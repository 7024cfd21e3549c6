"""The page editor in a real browser (Debian's chromium through Playwright): one click, one effect;
what is on screen when the editor saves is what is stored (docs/newsroom.md).
"""

import pytest
from django.urls import reverse
from wagtail.admin.models import EditingSession

from vestnik.news.models import ArticlePage

from .admin_ui import add_paragraph
from .workflow import PUBLISHED_ONCE, article_in_review, state, without_revisions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(browser, live_server, client, editor_user):
    """A browser tab signed in as an editor of the newsroom."""
    client.force_login(editor_user)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    # Leaving the editor sends Wagtail's "no longer editing" release: wait until the server has
    # handled it, so it does not reach the database while the test flushes it.
    page.goto("about:blank")
    for _ in range(100):
        if not EditingSession.objects.exists():
            break
        page.wait_for_timeout(100)
    context.close()


def _open(page, live_server, url: str) -> None:
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")


def test_approve_and_publish_from_more_actions_publishes_once(
    editor_page, live_server, rubric, author_user
):
    article = article_in_review(rubric, author_user)
    revisions = state(article)["revisions"]
    _open(editor_page, live_server, reverse("wagtailadmin_pages:edit", args=(article.pk,)))

    editor_page.get_by_role("button", name="Больше действий").click()
    editor_page.get_by_role("button", name="Одобрить и Опубликовать").click()
    editor_page.wait_for_load_state("networkidle")
    assert "опубликован" in editor_page.content().lower() or editor_page.url != live_server.url
    # Long enough for anything the editor page still had queued (Wagtail's autosave: 0.5 s).
    editor_page.wait_for_timeout(3000)

    after = state(article)
    assert after["revisions"] == revisions
    assert without_revisions(after) == PUBLISHED_ONCE
    assert editor_page.js_errors == []


def _save(page, how: str) -> None:
    """Save (or publish) at once: no pause after the last keystroke (the rich text is unsynced)."""
    with page.expect_navigation():
        if how == "button":
            page.get_by_role("button", name="Сохранить черновик").click()
        elif how == "publish":
            page.get_by_role("button", name="Больше действий").click()
            page.get_by_role("button", name="Опубликовать", exact=True).click()
        else:
            page.keyboard.press("Control+s")
    page.wait_for_load_state("networkidle")


def _stored(article_pk: int) -> tuple[str, list[str]]:
    latest = ArticlePage.objects.get(pk=article_pk).get_latest_revision_as_object()
    return latest.title, [str(block.value.source) for block in latest.body]


@pytest.mark.parametrize("save", ["button", "ctrl+s"])
def test_new_article_saved_at_once_keeps_every_typed_character(
    editor_page, live_server, rubric, save
):
    _open(
        editor_page,
        live_server,
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk)),
    )
    editor_page.locator("#id_title").fill("Молния")
    editor_page.locator("#id_title").type(": пожар на складе")
    add_paragraph(editor_page, "Первый абзац, набранный за секунду до сохранения.")
    _save(editor_page, save)

    (article,) = ArticlePage.objects.filter(title__startswith="Молния")
    title, paragraphs = _stored(article.pk)
    assert title == "Молния: пожар на складе"
    assert len(paragraphs) == 1
    assert "Первый абзац, набранный за секунду до сохранения." in paragraphs[0]
    assert editor_page.js_errors == []


@pytest.mark.parametrize("save", ["button", "ctrl+s", "publish"])
def test_existing_draft_saved_at_once_keeps_every_typed_character(
    editor_page, live_server, rubric, editor_user, save
):
    article = ArticlePage(
        title="Черновик",
        slug="chernovik",
        live=False,
        body=[("paragraph", "<p>Старый абзац.</p>")],
    )
    rubric.add_child(instance=article)
    article.save_revision(user=editor_user)
    _open(editor_page, live_server, reverse("wagtailadmin_pages:edit", args=(article.pk,)))

    editor_page.locator("#id_title").press("End")
    editor_page.locator("#id_title").type(" дополнен")
    editor = editor_page.locator(".DraftEditor-root [contenteditable=true]").first
    editor.click()
    editor.press("End")
    editor.type(" Новое предложение")
    _save(editor_page, save)

    title, paragraphs = _stored(article.pk)
    assert title == "Черновик дополнен"
    assert paragraphs == ["<p>Старый абзац. Новое предложение</p>"]
    article.refresh_from_db()
    assert article.live == (save == "publish")
    assert editor_page.js_errors == []
