"""The banner's script in a real browser (Debian's chromium): a cached page that was rendered
before a «молния» shows it at once, hides it when it is withdrawn, and at its end by itself."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.embedded_only,
]

HEADLINE = "Землетрясение в Сочи"


@pytest.fixture
def site(rubric, other_rubric, live_server, settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_FRAGMENT_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0
    settings.VESTNIK_BREAKING_MINUTES = 30
    settings.VESTNIK_BREAKING_PAGE_MAX_AGE = 60
    return live_server.url


def _article(rubric, title, **fields):
    return factories.article(rubric, title=title, comments_enabled=False, **fields)


def test_a_cached_page_gets_a_new_one_from_the_script_and_loses_it_when_withdrawn(
    browser, site, rubric, other_rubric
):
    url = site + _article(other_rubric, "Газ в Европе").url
    page = browser.new_page()
    page.goto(url)
    news = _article(rubric, HEADLINE, breaking=True, published_at=timezone.now())
    response = page.goto(url)
    assert response.headers["x-cache"] == "HIT"  # rendered before the «молния», within its lag
    assert HEADLINE not in response.text()
    banner = page.locator("#breaking")
    expect(banner).to_be_visible()
    expect(banner.locator(".breaking__label")).to_have_text("Молния")
    expect(banner.locator(".breaking__link")).to_have_text(HEADLINE)
    expect(banner.locator(".breaking__link")).to_have_attribute("href", news.url)

    ArticlePage.objects.get(pk=news.pk).unpublish()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the reader comes back
    expect(banner).to_be_hidden()
    page.close()


def test_the_banner_hides_itself_at_its_end_on_an_open_page(browser, site, rubric):
    ends_in = timedelta(seconds=6)
    _article(
        rubric,
        HEADLINE,
        breaking=True,
        published_at=timezone.now() - timedelta(minutes=30) + ends_in,
    )
    page = browser.new_page()
    page.goto(site + "/")
    banner = page.locator("#breaking")
    expect(banner).to_be_visible()
    expect(banner).to_be_hidden(timeout=15_000)  # no request: the script's timer
    page.close()
