from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from vestnik.promos.models import Promo
from vestnik.promos.selectors import promo_for

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_the_highest_priority_running_promo_of_the_placement_wins():
    factories.promo("Низкий", priority=1)
    best = factories.promo("Высокий", priority=5)
    factories.promo("Другое место", placement=Promo.FEED, priority=9)
    factories.promo("Выключен", priority=50, active=False)
    assert promo_for(Promo.SIDEBAR) == best


def test_promos_outside_their_time_window_are_not_shown():
    now = timezone.now()
    factories.promo("Ещё не начался", priority=9, starts_at=now + timedelta(hours=1))
    factories.promo("Закончился", priority=8, ends_at=now - timedelta(minutes=1))
    running = factories.promo("Идёт", priority=1, starts_at=now - timedelta(days=1))
    assert promo_for(Promo.SIDEBAR, now=now) == running
    assert promo_for(Promo.SIDEBAR, now=now + timedelta(hours=2)).title == "Ещё не начался"


def test_rubric_targeting_shows_a_promo_only_on_its_rubrics(rubric, other_rubric):
    everywhere = factories.promo("Везде", priority=1)
    targeted = factories.promo("Только политика", priority=5, rubrics=[rubric])
    assert promo_for(Promo.SIDEBAR, rubric.pk) == targeted
    assert promo_for(Promo.SIDEBAR, other_rubric.pk) == everywhere
    assert promo_for(Promo.SIDEBAR, None) == everywhere


def test_saving_a_promo_is_seen_at_once_despite_the_candidates_cache():
    promo = factories.promo("Первый")
    assert promo_for(Promo.SIDEBAR) == promo
    promo.active = False
    promo.save()
    assert promo_for(Promo.SIDEBAR) is None


def test_candidates_are_read_once_not_per_placement(django_assert_num_queries):
    factories.promo("Один")
    with django_assert_num_queries(2):  # promos + their rubrics, then nothing
        promo_for(Promo.SIDEBAR)
        promo_for(Promo.FEED)
        promo_for(Promo.AFTER_BODY)
