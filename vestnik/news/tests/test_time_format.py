from datetime import UTC, datetime

import pytest
from django.utils import translation

from vestnik.news.templatetags.news_tags import comment_count_label, news_time

NOW = datetime(2024, 10, 5, 23, 40, tzinfo=UTC)  # 06 Oct, 02:40 in Moscow


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


def test_today_shows_only_moscow_time_with_leading_zero():
    assert news_time(datetime(2024, 10, 5, 23, 33, tzinfo=UTC), now=NOW) == "02:33"


def test_earlier_days_show_day_month_and_time_as_the_seed():
    assert news_time(datetime(2024, 10, 5, 20, 50, tzinfo=UTC), now=NOW) == "05 окт, 23:50"


def test_may_is_in_the_genitive():
    assert news_time(datetime(2024, 5, 5, 9, 0, tzinfo=UTC), now=NOW) == "05 мая, 12:00"


def test_other_years_carry_the_year():
    assert news_time(datetime(2023, 10, 5, 20, 50, tzinfo=UTC), now=NOW) == "05.10.2023, 23:50"


def test_moscow_midnight_boundary_decides_today_not_utc():
    # 21:30 UTC on 5 Oct is 00:30 on 6 Oct in Moscow: today for a Moscow reader.
    assert news_time(datetime(2024, 10, 5, 21, 30, tzinfo=UTC), now=NOW) == "00:30"


@pytest.mark.parametrize(
    ("count", "label"),
    [
        (0, "0 комментариев"),
        (1, "1 комментарий"),
        (2, "2 комментария"),
        (5, "5 комментариев"),
        (11, "11 комментариев"),
        (21, "21 комментарий"),
        (22, "22 комментария"),
        (112, "112 комментариев"),
    ],
)
def test_comment_counts_use_russian_plurals(count, label):
    assert comment_count_label(count) == label
