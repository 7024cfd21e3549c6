"""The demo article in a real browser (Debian's chromium through Playwright)."""

from pathlib import Path

import pytest

from vestnik.demo import content
from vestnik.demo.services import demo_seed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.embedded_only,
]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


@pytest.fixture
def demo_url(wagtail_root, live_server):
    assert demo_seed(filler_per_rubric=2)
    return live_server.url + "/politika/" + content.ARTICLE_SLUG + "/"


def _text(page) -> str:
    return " ".join(page.inner_text("body").split()).replace("\xa0", " ")


def test_every_seed_element_of_the_demo_article_is_visible(browser, demo_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(demo_url)
    page.get_by_role(
        "heading", level=1, name=content.ARTICLE_TITLE.replace(" о ", " о\xa0")
    ).wait_for()
    visible = [
        page.get_by_role("link", name="Саммит Путина и Байдена", exact=True),
        page.locator(".article__comments").first,
        page.locator(".article__photo img"),
        page.locator(".article__photo figcaption"),
        page.locator(".related-card").nth(0),
        page.locator(".related-card").nth(1),
        page.get_by_role("heading", name="Теги"),
        page.locator(".article__video"),
        page.get_by_role("heading", name="Лента новостей"),
    ]
    for locator in visible:
        assert locator.is_visible(), locator
    # the seed's order: tags, then the video block
    assert page.evaluate(
        """() => !!(document.querySelector('.article__tags').compareDocumentPosition(
                 document.querySelector('.article__video')) & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    assert page.evaluate(
        """() => !document.querySelector('.read-also') || !!(document.querySelector('.article__video')
                 .compareDocumentPosition(document.querySelector('.read-also')) & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    photo_loaded = page.eval_on_selector(
        ".article__photo img", "img => img.complete && img.naturalWidth > 0"
    )
    assert photo_loaded
    text = _text(page)
    assert "Владимир Путин и Джо Байден (Фото: Александр Земляниченко / AP)" in text
    assert (
        "Путин и Байден обсудили возможность еще одной встречи Политика Встреча Джо Байдена" in text
    )
    for title, _rubric, _ in content.FEED[:10]:
        line = page.locator(".feed__item", has_text=title.split()[0]).first
        assert line.is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "article-desktop.png", full_page=True)
    page.close()


def test_skip_link_moves_focus_to_the_main_content(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к основному контенту")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


def test_a_phone_sized_viewport_has_no_horizontal_scroll(browser, demo_url):
    page = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page.goto(demo_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "article-375.png", full_page=True)
    page.close()


@pytest.mark.parametrize(
    "path", ["article", "/", "/politika/", "/story/", "/net-takoi-stranitsy/", "/rates/usd/"]
)
def test_pages_pass_axe_accessibility_checks(browser, demo_url, live_server, path):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.goto(demo_url if path == "article" else live_server.url + path)
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]}
        },
    )
    assert results.violations_count == 0, results.generate_report()
    page.close()
