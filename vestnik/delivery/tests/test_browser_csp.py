"""The Content-Security-Policy in a real browser (Debian's chromium through Playwright): the reader
pages and the admin's edit screen raise no violation, and what runs on them still works under it
(comment token and posting, the lead form, the skip link, the live feed)."""

import pytest
from django.contrib.auth import get_user_model

from vestnik.comments.models import POST
from vestnik.comments.tests.factories import moderation_set
from vestnik.demo import content
from vestnik.demo.services import demo_seed
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories
from vestnik.promos.models import Lead

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.embedded_only,
]

PASSWORD = "pass-for-tests-1"
# Before any script of the page runs, in every document: violations are DOM events.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    [e.effectiveDirective, e.blockedURI, e.documentURI, e.sourceFile, e.lineNumber, e.sample]
      .join(" ")
  );
});
"""


class Watched:
    """A browser context that records CSP violations (DOM events and console errors)."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.context.add_init_script(LISTEN)
        self.console: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", self._console)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        events = self.page.evaluate("window.__cspViolations || []")
        return events + self.console

    def open(self, url: str):
        response = self.page.goto(url, wait_until="networkidle")
        assert response.status == 200, url
        return response


@pytest.fixture
def site(wagtail_root, live_server, settings):
    settings.VESTNIK_PAGE_CACHE = True  # the copies every reader shares, as in production
    assert demo_seed(filler_per_rubric=2)
    return live_server.url


def _article_url(site):
    return site + "/politika/" + content.ARTICLE_SLUG + "/"


READER_PAGES = ["article", "/", "/politika/", "/search/?q=Путин", "/news/", "article?lite=1"]


def test_reader_pages_raise_no_violation_fresh_and_from_the_cache(browser, site):
    watched = Watched(browser)
    for path in READER_PAGES:
        url = _article_url(site) + path[7:] if path.startswith("article") else site + path
        for _ in range(2):  # rendered, then the shared copy (the page cache answers the second)
            response = watched.open(url)
            policy = response.headers["content-security-policy"]
            assert "'unsafe-inline'" not in policy
            assert "'unsafe-eval'" not in policy
            watched.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            watched.page.wait_for_load_state("networkidle")  # lazy images, the promo beacon
            assert watched.violations() == [], url
    watched.context.close()


def test_the_404_page_raises_none_and_a_real_violation_is_caught(browser, site):
    watched = Watched(browser)
    assert watched.page.goto(site + "/net-takoi-stranitsy/").status == 404
    assert watched.violations() == []
    # The listener does see what the policy refuses: an inline script and an inline style.
    watched.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.appendChild(script);
          document.body.setAttribute("style", "color: red");
        }"""
    )
    watched.page.wait_for_function("window.__cspViolations.length >= 2")
    assert watched.page.evaluate("window.__ran === undefined")
    directives = [line.split()[0] for line in watched.violations()]
    assert "script-src-elem" in directives
    assert "style-src-attr" in directives
    watched.context.close()


def test_the_admin_edit_screen_works_under_its_policy(browser, site):
    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    article = ArticlePage.objects.get(slug=content.ARTICLE_SLUG)
    watched = Watched(browser)
    watched.page.goto(site + "/admin/login/")
    watched.page.fill("#id_username", "boss")
    watched.page.fill("#id_password", PASSWORD)
    watched.page.locator("form button[type=submit]").click()
    watched.page.wait_for_url("**/admin/")
    response = watched.open(f"{site}/admin/pages/{article.pk}/edit/")
    assert "content-security-policy" in response.headers
    # The editor's scripts ran: the title field is there and the StreamField body was built.
    watched.page.locator("#id_title").wait_for()
    watched.page.locator("[data-streamfield-stream-container]").first.wait_for()
    # and the preview panel (an iframe of the page, same origin) renders
    watched.page.get_by_role("button", name="Предварительный просмотр").first.click()
    preview = watched.page.frame_locator("iframe#w-preview-iframe")
    preview.locator("h1").first.wait_for(state="attached")
    watched.page.wait_for_load_state("networkidle")
    assert watched.violations() == []
    watched.open(f"{site}/admin/images/")
    watched.page.locator("img").first.wait_for(state="attached")
    assert watched.violations() == []
    watched.context.close()


def test_comments_post_in_one_click_on_the_cached_page(browser, site):
    moderation_set(POST)
    watched = Watched(browser)
    watched.open(_article_url(site))
    assert watched.open(_article_url(site)).headers["x-cache"] == "HIT"
    form = watched.page.locator("#comment-form-new")
    with watched.page.expect_response("**/comments/token/") as token:
        form.get_by_label("Имя").fill("Вера")  # focus fetches the token (comments.js)
    assert token.value.ok
    form.get_by_label("Комментарий").fill("Под политикой безопасности")
    form.get_by_role("button", name="Отправить").click()
    watched.page.wait_for_url("**?comment=published*")
    comment = watched.page.locator(".comment").filter(has_text="Под политикой безопасности")
    assert comment.is_visible()
    assert watched.violations() == []
    watched.context.close()


def test_the_lead_form_and_the_skip_link_work(browser, site):
    watched = Watched(browser)
    watched.open(_article_url(site))
    watched.page.keyboard.press("Tab")
    watched.page.keyboard.press("Enter")
    assert watched.page.evaluate("document.activeElement.id") == "main"

    watched.page.locator(".feed__item--promo .promo__cta").click()
    watched.page.get_by_label("Ваше имя").fill("Анна")
    watched.page.get_by_label("Телефон").fill("+7 900 123-45-67")
    watched.page.get_by_label("Я согласен").check()
    watched.page.get_by_role("button", name=content.PROMO_CTA).click()
    watched.page.get_by_role("heading", name="Спасибо, заявка отправлена").wait_for()
    assert Lead.objects.get().name == "Анна"
    assert watched.violations() == []
    watched.context.close()


def test_the_live_feed_updates_under_the_policy(browser, rubric, editor_user, tmp_path):
    # Real granian processes (the stream is an ASGI app in front of Django): see feed/tests.
    from vestnik.feed.tests.servers import EditorSession, app_processes, database_url
    from vestnik.feed.tests.test_live import _draft

    factories.article(rubric, title="Вчерашняя новость")
    draft = _draft(rubric, "Срочная новость")
    with app_processes(database_url(tmp_path)) as (process_a, process_b):
        watched = Watched(browser)
        response = watched.page.goto(process_b + "/politika/")
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        watched.page.locator("aside ol[data-feed-state=open]").wait_for(state="attached")
        EditorSession(process_a, "editor", PASSWORD).publish(draft.pk)
        watched.page.locator("aside .feed__item").first.filter(has_text="Срочная новость").wait_for(
            timeout=5000
        )
        assert watched.violations() == []
        watched.context.close()
