"""«Опубликовать в» in a real browser (Debian's chromium through Playwright), with Wagtail's own
picker: a typed time stays as typed, the hint says what will happen, publishing schedules the
article, and the scheduler's publish_scheduled puts it live at that time."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from freezegun import freeze_time

from vestnik.news import jobs
from vestnik.news.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"
MSK = ZoneInfo("Europe/Moscow")
MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"


@pytest.fixture
def editor_page(browser, live_server, rubric, editor_user):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("pass-for-tests-1")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/pages/add/news/articlepage/{rubric.pk}/")
    page.locator("#id_title").fill("Запланированная в браузере")
    yield page
    context.close()


def _publish(page) -> None:
    page.locator(".w-dropdown-button button[aria-expanded]").first.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_load_state()


def _leave(page, field) -> None:
    """Tab out of the field (the picker's blur), then a mousedown aside closes its calendar."""
    field.press("Tab")
    page.locator("body").dispatch_event("mousedown")


def _settings_tab(page) -> None:
    page.get_by_role("tab", name="Настройки").click()


def _future(days: int = 2) -> datetime:
    return (timezone.now() + timedelta(days=days)).astimezone(MSK).replace(second=0, microsecond=0)


@pytest.mark.parametrize("fmt", ["%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
def test_a_typed_time_schedules_the_article_and_the_scheduler_publishes_it(editor_page, fmt):
    page = editor_page
    go_live = _future()
    typed = go_live.strftime(fmt)
    _settings_tab(page)
    field = page.get_by_label("Опубликовать в")
    field.click()
    field.fill(typed)
    _leave(page, field)
    assert field.input_value() == typed, "the picker replaced the typed time"
    hint = page.locator("[data-go-live-hint]")
    month = MONTHS.split()[go_live.month - 1]
    assert f"Будет опубликовано {go_live.day} {month}" in hint.inner_text()
    assert f"в {go_live:%H:%M} (МСК)" in hint.inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-go-live.png", full_page=True)

    _publish(page)
    article = ArticlePage.objects.get(title="Запланированная в браузере")
    assert not article.live
    assert article.go_live_at == go_live
    assert article.get_latest_revision().approved_go_live_at == go_live

    with freeze_time(go_live - timedelta(seconds=30)):
        jobs.publish_scheduled()
    article.refresh_from_db()
    assert not article.live, "published before its time"
    with freeze_time(go_live + timedelta(seconds=30)):
        jobs.publish_scheduled()
    article.refresh_from_db()
    assert article.live
    assert article.published_at == go_live + timedelta(seconds=30)


def test_an_unparseable_time_is_a_russian_error_and_stays_as_typed(editor_page):
    page = editor_page
    _settings_tab(page)
    field = page.get_by_label("Опубликовать в")
    field.fill("завтра в шесть")
    _leave(page, field)
    assert "Не удалось понять" in page.locator("[data-go-live-hint]").inner_text()
    _publish(page)
    assert not ArticlePage.objects.filter(title="Запланированная в браузере").exists()
    _settings_tab(page)
    assert "Не удалось понять дату и время" in page.inner_text("main")
    assert page.get_by_label("Опубликовать в").input_value() == "завтра в шесть"


def test_a_future_reader_visible_time_is_refused(editor_page):
    page = editor_page
    _settings_tab(page)
    shown = page.get_by_label("Время на сайте")
    shown.fill(_future().strftime("%d.%m.%Y %H:%M"))
    _leave(page, shown)
    _publish(page)
    assert not ArticlePage.objects.filter(title="Запланированная в браузере").exists()
    _settings_tab(page)
    assert "Время на сайте не может быть позже выхода статьи" in page.inner_text("main")
