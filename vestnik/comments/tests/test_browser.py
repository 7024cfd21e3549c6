"""A reader comments in a real browser (Debian's chromium through Playwright), without JavaScript
(the page carries no CSRF token, so the server asks once to confirm) and with it (one click, on a
page served from the page cache)."""

from pathlib import Path

import pytest

from vestnik.comments.models import POST, PRE
from vestnik.comments.tests.factories import moderation_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1000, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


def _confirm(page) -> None:
    """Without JavaScript the cached page had no token: the server shows the comment back once."""
    assert page.get_by_role("heading", name="Подтвердите комментарий").is_visible()
    page.locator("form.comment-form").get_by_role("button", name="Отправить").click()
    page.wait_for_load_state()


def _send(page, url: str, name: str, text: str) -> None:
    page.goto(url)
    form = page.locator("#comment-form-new")
    form.get_by_label("Имя").fill(name)
    form.get_by_label("Комментарий").fill(text)
    form.get_by_role("button", name="Отправить").click()
    page.wait_for_load_state()
    _confirm(page)


def test_post_moderation_comment_appears_at_once_without_js(no_js_page, article, live_server):
    moderation_set(POST)
    url = live_server.url + article.url
    _send(no_js_page, url, "Мария", "Проверка без JavaScript https://example.org")
    comment = no_js_page.locator(".comment").filter(has_text="Проверка без JavaScript")
    assert comment.is_visible()
    assert comment.get_by_role("link", name="https://example.org").get_attribute("rel") == (
        "nofollow ugc"
    )
    assert no_js_page.locator(".comments__notice").inner_text().startswith("Спасибо!")
    assert no_js_page.locator(".article__comments").first.inner_text().strip() == "1"

    # A reply through the <details> form, still without JavaScript.
    comment.locator("summary").click()
    reply_form = comment.locator("form")
    reply_form.get_by_label("Имя").fill("Олег")
    reply_form.get_by_label("Комментарий").fill("Ответ Марии")
    reply_form.get_by_role("button", name="Отправить").click()
    no_js_page.wait_for_load_state()
    assert no_js_page.locator("form.comment-form").get_by_label("Комментарий").input_value() == (
        "Ответ Марии"
    )
    _confirm(no_js_page)
    assert no_js_page.locator(".comments__replies").filter(has_text="Ответ Марии").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    no_js_page.screenshot(path=SCREENSHOTS / "comments-post-moderation.png", full_page=True)


def test_pre_moderation_shows_the_notice_not_the_comment(no_js_page, article, live_server):
    moderation_set(PRE)
    _send(no_js_page, live_server.url + article.url, "Павел", "Ждёт проверки")
    notice = no_js_page.locator(".comments__notice")
    assert "на модерации" in notice.inner_text()
    assert no_js_page.locator(".comment").filter(has_text="Ждёт проверки").count() == 0


def test_an_error_keeps_what_was_typed(no_js_page, article, live_server):
    no_js_page.goto(live_server.url + article.url)
    form = no_js_page.locator("#comment-form-new")
    form.get_by_label("Имя").fill("Ира")
    # One letter passes the browser's `required` but not the server's minimum length.
    form.get_by_label("Комментарий").fill("я")
    form.get_by_role("button", name="Отправить").click()
    no_js_page.wait_for_load_state()
    form = no_js_page.locator("#comment-form-new")
    assert "слишком короткий" in form.inner_text()  # already on the confirmation
    assert form.get_by_label("Имя").input_value() == "Ира"
    assert form.get_by_label("Комментарий").input_value() == "я"


def test_with_javascript_a_cached_page_takes_a_comment_in_one_click(
    browser, article, live_server, settings
):
    settings.VESTNIK_PAGE_CACHE = True
    moderation_set(POST)
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    url = live_server.url + article.url
    page.goto(url)
    assert page.goto(url).headers["x-cache"] == "HIT"  # the same copy every reader gets
    form = page.locator("#comment-form-new")
    form.get_by_label("Имя").fill("Вера")
    form.get_by_label("Комментарий").fill("С JavaScript одним нажатием")
    form.get_by_role("button", name="Отправить").click()
    page.wait_for_url("**?comment=published*")
    assert page.locator(".comment").filter(has_text="С JavaScript одним нажатием").is_visible()
    context.close()
