"""The demo article in both delivery modes, measured in a real browser (network responses)."""

import pytest

from vestnik.demo import content
from vestnik.promos.models import Lead

from .test_browser import SCREENSHOTS, demo_url  # noqa: F401  (shared fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.embedded_only,
]

NOTICE = "Видео недоступно при нулевом балансе"
LITE_BUDGET = 150 * 1024  # bytes of HTML + CSS + images, the zero-rated page's budget
COUNTED = {"document", "stylesheet", "image"}


def _load(browser, url):
    """Open `url`, scroll to the end so lazy images load too, return the page and bytes per type."""
    page = browser.new_page(viewport={"width": 375, "height": 740})
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    weight, hosts = {}, set()
    for response in responses:
        kind = response.request.resource_type
        hosts.add(response.url.split("/")[2])
        if kind in COUNTED:
            weight[kind] = weight.get(kind, 0) + len(response.body())
    return page, weight, hosts


def _note(mode, weight):
    """Keep the measured weight beside the screenshots, for docs/features.md and reviews."""
    SCREENSHOTS.mkdir(exist_ok=True)
    with open(SCREENSHOTS / "page-weight.txt", "a", encoding="utf-8") as out:
        out.write(f"{mode}: {sum(weight.values())} bytes {weight}\n")


def test_lite_mode_shows_the_notice_and_stays_under_150_kb(browser, demo_url):  # noqa: F811
    page, weight, hosts = _load(browser, demo_url + "?lite=1")
    total = sum(weight.values())
    _note("lite", weight)
    assert page.get_by_text(NOTICE).first.is_visible()
    assert page.locator("video, iframe").count() == 0
    assert page.locator("[autoplay]").count() == 0
    assert total < LITE_BUDGET, weight
    assert len(hosts) == 1  # nothing from other sites
    photo_width = page.eval_on_selector(".article__photo img", "img => img.naturalWidth")
    assert photo_width == 480
    # The seed's promo still shows, inside the feed after the 7th line.
    promo = page.locator(".feed__item--promo")
    assert content.PROMO_TITLE in promo.inner_text().replace("\xa0", " ")
    assert page.locator(".feed__list > li").nth(7).get_attribute("class").endswith("--promo")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "article-lite.png", full_page=True)
    page.close()


def test_normal_mode_keeps_the_full_page(browser, demo_url):  # noqa: F811
    page, weight, _hosts = _load(browser, demo_url)
    lite_page, lite_weight, _ = _load(browser, demo_url + "?lite=1")
    _note("full", weight)
    assert page.get_by_text(NOTICE).count() == 0
    assert page.locator(".article__video figure.video").is_visible()
    assert page.eval_on_selector(".article__photo img", "img => img.naturalWidth") == 1200
    assert sum(weight.values()) > sum(lite_weight.values())
    page.close()
    lite_page.close()


def test_the_lead_form_works_without_javascript(browser, demo_url):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url)
    page.locator(".feed__item--promo .promo__cta").click()
    page.get_by_label("Ваше имя").fill("Анна")
    page.get_by_role("button", name=content.PROMO_CTA).click()
    assert page.get_by_text("Укажите e-mail или телефон").is_visible()
    assert page.get_by_label("Ваше имя").input_value() == "Анна"
    page.get_by_label("Телефон").fill("+7 900 123-45-67")
    page.get_by_label("Я согласен").check()
    page.get_by_role("button", name=content.PROMO_CTA).click()
    page.get_by_role("heading", name="Спасибо, заявка отправлена").wait_for()
    lead = Lead.objects.get()
    assert (lead.name, lead.phone, lead.promo.title) == (
        "Анна",
        "+7 900 123-45-67",
        content.PROMO_TITLE,
    )
    assert lead.page_url == "/politika/" + content.ARTICLE_SLUG + "/"
    context.close()
