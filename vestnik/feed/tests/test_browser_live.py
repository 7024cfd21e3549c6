"""The live sidebar in a real browser: an item published by an editor appears without a reload."""

import os

import pytest

from .servers import EditorSession, app_processes, database_url
from .test_live import PASSWORD, _draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the fixtures' ORM calls come between.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def test_a_published_article_appears_on_top_of_the_open_sidebar_within_2_seconds(
    browser, rubric, editor_user, tmp_path
):
    from vestnik.news.tests import factories

    factories.article(rubric, title="Вчерашняя новость")
    draft = _draft(rubric, "Срочная новость")
    with app_processes(database_url(tmp_path)) as (process_a, process_b):
        page = browser.new_page()
        page.goto(process_b + "/politika/")
        items = page.locator("aside .feed__item")
        assert items.first.inner_text().startswith("Вчерашняя новость")
        page.locator("aside ol[data-feed-state=open]").wait_for(state="attached")
        page.evaluate("window.__sameDocument = true")  # gone if the page reloads

        editor = EditorSession(process_a, "editor", PASSWORD)
        editor.publish(draft.pk)
        page.locator("aside .feed__item").first.filter(has_text="Срочная новость").wait_for(
            timeout=2000
        )
        assert "feed__item--new" in items.first.get_attribute("class")
        assert items.nth(1).inner_text().startswith("Вчерашняя новость")

        editor.unpublish(draft.pk)
        page.locator("aside .feed__item", has_text="Срочная новость").wait_for(
            state="detached", timeout=2000
        )
        assert page.evaluate("window.__sameDocument") is True
        page.close()
