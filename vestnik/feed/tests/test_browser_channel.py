"""A live broadcast's posts in a real browser (static/js/live_channel.js): a new post, an edit and a
removal arrive on the open page without a reload, in the right places, under the site's CSP.

The broadcast page itself belongs to the live app; here a minimal page of the same shape is
served on the app process's own origin (so the stream is same-origin) with the app's real
Content-Security-Policy header, and the posts are written by another process through
`services.channel_event`, as the live app will."""

import httpx
import pytest

from .servers import Writer, app_processes, database_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.embedded_only,
]


def _post(key: str, text: str, ts: int, pinned: bool = False) -> str:
    return (
        f'<li class="post" data-key="{key}" data-ts="{ts}" data-pinned="{int(pinned)}">'
        f"<p>{text}</p></li>"
    )


def _page(last: int, posts: list[str]) -> str:
    return (
        '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Трансляция</title>'
        '<link rel="stylesheet" href="/static/css/site.css"></head><body>'
        f'<ol class="posts" data-channel="live-7" data-channel-last="{last}">{"".join(posts)}</ol>'
        '<script src="/static/js/live_channel.js" defer></script></body></html>'
    )


def test_a_new_post_an_edit_and_a_removal_arrive_without_a_reload(browser, tmp_path):
    url = database_url(tmp_path)
    with app_processes(url, count=1) as (process,), Writer(url) as writer:
        pinned = _post("post:pinned", "Главное о событии", 100, pinned=True)
        first = _post("post:1", "Трансляция началась", 200)
        # The page renders the channel's cursor with the posts it shows.
        last = writer.channel_event("live-7", "upsert", "post:1", first)
        csp = httpx.get(process + "/news/").headers["content-security-policy"]
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]

        page = browser.new_page()
        page.route(
            process + "/live/7/",
            lambda route: route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": csp},
                body=_page(last, [pinned, first]),
            ),
        )
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(process + "/live/7/")
        page.locator("ol[data-channel-state=open]").wait_for(state="attached")
        page.evaluate("window.__sameDocument = true")  # gone if the page reloads
        posts = page.locator("ol.posts > li")

        # A new post: under the pinned one, above the older post, highlighted.
        writer.channel_event("live-7", "upsert", "post:2", _post("post:2", "Второй пост", 300))
        page.locator("ol.posts > li[data-key='post:2']").wait_for(timeout=2000)
        assert posts.evaluate_all("items => items.map(item => item.dataset.key)") == [
            "post:pinned",
            "post:2",
            "post:1",
        ]
        assert "live-channel__item--new" in posts.nth(1).get_attribute("class")

        # An edit: replaced where it is; another broadcast's post never shows here.
        writer.channel_event("live-8", "upsert", "post:x", _post("post:x", "Чужая", 400))
        writer.channel_event(
            "live-7", "upsert", "post:1", _post("post:1", "Трансляция началась в 10:00", 200)
        )
        page.locator("ol.posts > li", has_text="в 10:00").wait_for(timeout=2000)
        assert posts.evaluate_all("items => items.map(item => item.dataset.key)") == [
            "post:pinned",
            "post:2",
            "post:1",
        ]
        assert posts.count() == 3

        # A removal.
        writer.channel_event("live-7", "remove", "post:2")
        page.locator("ol.posts > li[data-key='post:2']").wait_for(state="detached", timeout=2000)
        assert posts.evaluate_all("items => items.map(item => item.dataset.key)") == [
            "post:pinned",
            "post:1",
        ]
        assert page.locator("text=Чужая").count() == 0
        assert page.evaluate("window.__sameDocument") is True
        assert errors == []  # no CSP refusal, no script error
        page.close()


def test_a_stream_that_failed_is_reopened_and_replays_what_the_page_missed(browser, tmp_path):
    url = database_url(tmp_path)
    with app_processes(url, count=1) as (process,), Writer(url) as writer:
        first = _post("post:1", "Трансляция началась", 200)
        last = writer.channel_event("live-7", "upsert", "post:1", first)
        page = browser.new_page()
        page.route(
            process + "/live/7/",
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=_page(last, [first])
            ),
        )
        attempts = []

        def stream(route):  # the first connection fails (a deploy, a proxy error); then the app
            attempts.append(route.request.url)
            if len(attempts) == 1:
                route.fulfill(status=503, body="temporarily unavailable")
            else:
                route.continue_()

        page.route("**/news/stream/**", stream)
        page.goto(process + "/live/7/")
        # Written while the page has no stream:
        writer.channel_event("live-7", "upsert", "post:2", _post("post:2", "Второй пост", 300))
        writer.channel_event("live-7", "remove", "post:1")
        page.locator("ol.posts > li[data-key='post:2']").wait_for(timeout=10000)
        page.locator("ol.posts > li[data-key='post:1']").wait_for(state="detached", timeout=2000)
        assert page.locator("ol[data-channel-state=open]").count() == 1
        assert len(attempts) == 2
        assert attempts[0].endswith(f"channel=live-7&last_id={last}")
        assert attempts[1].endswith(f"channel=live-7&last_id={last}")  # nothing applied yet

        writer.channel_event("live-7", "upsert", "post:3", _post("post:3", "Третий пост", 400))
        page.locator("ol.posts > li[data-key='post:3']").wait_for(timeout=2000)
        keys = page.locator("ol.posts > li").evaluate_all("items => items.map(i => i.dataset.key)")
        assert keys == ["post:3", "post:2"]
        page.close()
