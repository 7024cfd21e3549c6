"""The broadcast screen in a real browser (Debian's chromium through Playwright): an editor types
a post and publishes it with the real buttons; a reader's tab already open shows it.

LEAD: until fix/channels lands (static/js/live_channel.js and the per-channel stream) the reader
tab sees the post after a reload; with it, drop the reload and wait for the `li` in place
(marked below).
"""

import pytest
from django.contrib.staticfiles import finders

from vestnik.live.models import LivePost

from .helpers import broadcast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(rubric):
    return broadcast(rubric, title="Саммит: онлайн")


def test_editor_publishes_a_post_and_the_open_reader_tab_shows_it(
    browser, live_server, client, editor_user, page
):
    reader = browser.new_context(locale="ru-RU").new_page()
    reader.goto(live_server.url + page.url)
    assert reader.locator("li.live__post").count() == 0

    client.force_login(editor_user)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    editor = context.new_page()
    errors = []
    editor.on("pageerror", lambda error: errors.append(str(error)))
    editor.goto(f"{live_server.url}/admin/live/{page.pk}/")
    editor.wait_for_load_state("networkidle")
    text = editor.locator(".DraftEditor-root [contenteditable=true]").first
    text.click()
    text.type("Президенты вышли к журналистам.")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Опубликовать", exact=True).first.click()
    editor.wait_for_load_state("networkidle")
    assert "Пост опубликован." in editor.content()
    stored = LivePost.objects.get()
    assert stored.status == LivePost.PUBLISHED
    assert "Президенты вышли к журналистам." in stored.text
    assert errors == []

    # With fix/channels merged (its static/js/live_channel.js present), the open tab must get the
    # post pushed, without a reload; before that the reload stands in (LEAD: drop it then).
    if finders.find("js/live_channel.js") is None:
        reader.reload()
    item = reader.locator(f"li#post-{stored.pk}")
    item.wait_for(timeout=15_000)
    assert "Президенты вышли к журналистам" in item.inner_text().replace("\xa0", " ")
    context.close()
