"""The live sidebar in a real browser: an item published by an editor appears without a reload."""

import pytest

from vestnik.news.tests import factories

from .servers import EditorSession, app_processes, database_url
from .test_live import PASSWORD, _draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_published_article_appears_on_top_of_the_open_sidebar_within_2_seconds(
    browser, rubric, editor_user, tmp_path
):
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
