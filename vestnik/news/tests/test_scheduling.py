"""«Опубликовать в»: typed times are parsed (Russian and ISO) or refused in Russian, never turned
into «now»; the reader-visible time can't be set later than the article goes live."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from vestnik.news import jobs
from vestnik.news.forms import GoLiveInput
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 29, 17, 0, tzinfo=MSK)


def _publish(client, rubric, slug, **extra):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk))
    return client.post(
        url,
        factories.admin_article_form(
            "Запланированная", slug, **{"action-publish": "action-publish", **extra}
        ),
    )


@pytest.mark.parametrize("typed", ["29.11.2026 18:33", "2026-11-29 18:33", "2026-11-29T18:33"])
@freeze_time(NOW)
def test_a_typed_go_live_time_schedules_the_article_in_moscow_time(
    client, rubric, editor_user, typed
):
    client.force_login(editor_user)
    response = _publish(client, rubric, "plan", go_live_at=typed)
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="plan")
    assert not article.live
    go_live = datetime(2026, 11, 29, 18, 33, tzinfo=MSK)
    assert article.go_live_at == go_live
    assert article.get_latest_revision().approved_go_live_at == go_live

    with freeze_time(go_live - timedelta(seconds=1)):
        jobs.publish_scheduled()
    article.refresh_from_db()
    assert not article.live, "published before its time"
    with freeze_time(go_live + timedelta(seconds=1)):
        jobs.publish_scheduled()
    article.refresh_from_db()
    assert article.live
    assert article.published_at == go_live + timedelta(seconds=1)  # the time it went live


@pytest.mark.parametrize("typed", ["завтра в шесть", "31.11.2026 18:33", "2026-11-29 25:00"])
@freeze_time(NOW)
def test_an_unparseable_go_live_time_is_a_russian_error_and_nothing_is_published(
    client, rubric, editor_user, typed
):
    client.force_login(editor_user)
    response = _publish(client, rubric, "oshibka", go_live_at=typed)
    assert response.status_code == 200
    assert "Не удалось понять дату и время" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="oshibka").exists()


@freeze_time(NOW)
def test_a_future_reader_visible_time_without_scheduling_is_refused(client, rubric, editor_user):
    client.force_login(editor_user)
    response = _publish(client, rubric, "budushchee", published_at="29.11.2026 18:33")
    assert response.status_code == 200
    assert "Время на сайте не может быть позже выхода статьи" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="budushchee").exists()


@freeze_time(NOW)
def test_a_reader_visible_time_up_to_the_go_live_time_is_kept(client, rubric, editor_user):
    client.force_login(editor_user)
    _publish(
        client,
        rubric,
        "vmeste",
        go_live_at="29.11.2026 18:33",
        published_at="29.11.2026 18:30",
    )
    article = ArticlePage.objects.get(slug="vmeste")
    assert not article.live
    assert article.published_at == datetime(2026, 11, 29, 18, 30, tzinfo=MSK)

    # …but not past it
    response = _publish(
        client, rubric, "pozzhe", go_live_at="29.11.2026 18:33", published_at="29.11.2026 19:00"
    )
    assert "Время на сайте не может быть позже выхода статьи" in response.content.decode()


@freeze_time(NOW)
def test_a_past_reader_visible_time_publishes_at_once(client, rubric, editor_user):
    client.force_login(editor_user)
    _publish(client, rubric, "proshloe", published_at="2026-11-29 10:00")
    article = ArticlePage.objects.get(slug="proshloe")
    assert article.live
    assert article.published_at == datetime(2026, 11, 29, 10, 0, tzinfo=MSK)


def test_the_editor_names_the_control_and_keeps_typed_text(client, rubric, editor_user):
    client.force_login(editor_user)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk))
    html = client.get(url).content.decode()
    assert "Опубликовать в" in html
    assert "Время на сайте" in html
    assert "Дата/время публикации" not in html
    assert '"validateOnBlur": false' in html
    assert "js/admin/go-live-hint.js" in html
    assert GoLiveInput().get_config()["validateOnBlur"] is False
    assert timezone.get_current_timezone_name() == "Europe/Moscow"
