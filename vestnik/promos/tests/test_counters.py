import pytest
from django.core.cache import cache
from django.urls import reverse

from vestnik.core import scheduler
from vestnik.promos import services
from vestnik.promos.models import Promo

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _counted_in_the_cache_only(settings):
    # A long period: the in-process flush of the locmem cache stays out of these tests.
    settings.VESTNIK_PROMO_FLUSH_SECONDS = 10**6
    services._last_local_flush = 10**9
    cache.clear()


def test_a_view_is_counted_without_writing_to_the_database(client, home, django_assert_num_queries):
    promo = factories.promo()
    client.get(reverse("promos:seen", args=[promo.pk]))  # warms the candidates cache
    with django_assert_num_queries(0):
        response = client.get(reverse("promos:seen", args=[promo.pk]))
    assert response["Content-Type"] == "image/gif"
    assert response["Cache-Control"] == "no-store"
    promo.refresh_from_db()
    assert promo.views == 0
    assert services.promo_counters_flush() == "промо: записано событий 2"
    promo.refresh_from_db()
    assert promo.views == 2


def test_views_of_unknown_promos_are_not_counted(client, home):
    response = client.get(reverse("promos:seen", args=[999]))
    assert response.status_code == 200
    assert cache.get("promos:views:999") is None


def test_a_click_is_counted_and_leads_to_the_form_keeping_the_page(client, home):
    promo = factories.promo()
    response = client.get(reverse("promos:click", args=[promo.pk]) + "?from=/politika/x/")
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("promos:lead", args=[promo.pk]) + "?from=%2Fpolitika%2Fx%2F"
    )
    services.promo_counters_flush()
    promo.refresh_from_db()
    assert (promo.views, promo.clicks) == (0, 1)


def test_a_click_on_a_url_promo_goes_to_its_url_only(client, home):
    promo = factories.promo(target=Promo.TARGET_URL, url="https://example.ru/kurs")
    response = client.get(reverse("promos:click", args=[promo.pk]) + "?from=https://evil.example")
    assert response["Location"] == "https://example.ru/kurs"


def test_counts_made_during_a_flush_are_kept_for_the_next_one(home):
    promo = factories.promo()
    for _ in range(3):
        services.promo_event_count(promo.pk, services.VIEWS)
    key = f"promos:views:{promo.pk}"
    real_decr = cache.decr

    def decr_after_a_late_view(k, n):
        cache.incr(key)  # a reader's view lands between the read and the subtraction
        return real_decr(k, n)

    cache.decr = decr_after_a_late_view
    try:
        services.promo_counters_flush()
    finally:
        del cache.decr
    assert cache.get(key) == 1
    services.promo_counters_flush()
    promo.refresh_from_db()
    assert promo.views == 4


def test_the_flush_runs_as_a_scheduled_job(settings):
    jobs = {job.name: job for job in scheduler.jobs_registered()}
    assert jobs["promo_counters_flush"].func is services.promo_counters_flush
    assert jobs["promo_counters_flush"].every == settings.VESTNIK_PROMO_FLUSH_SECONDS
