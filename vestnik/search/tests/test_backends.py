"""What keeps queries cheap at 100,000 articles: the ranking window, filters inside the match,
capped counts, date ranges as few words. (Their speed is measured in bench/bench_search.py.)"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from vestnik.news.tests import factories
from vestnik.search import backends
from vestnik.search.keys import date_tokens, facet_tokens, recency_key
from vestnik.search.models import SearchEntry
from vestnik.search.selectors import search


def test_date_ranges_become_the_fewest_years_months_and_days():
    assert date_tokens(date(2024, 10, 5), date(2024, 10, 5)) == ["d20241005"]
    assert date_tokens(date(2024, 9, 29), date(2024, 11, 2)) == [
        "d20240929",
        "d20240930",
        "m202410",
        "d20241101",
        "d20241102",
    ]
    assert date_tokens(date(2023, 12, 31), date(2025, 1, 1)) == ["d20231231", "y2024", "d20250101"]
    assert date_tokens(date(2024, 2, 1), date(2024, 2, 29)) == ["m202402"]
    tokens = date_tokens(None, date(2024, 10, 5))
    assert (tokens[0], tokens[-1]) == ("y1970", "d20241005")
    assert len(tokens) < 70


def test_keys_sort_like_publication_and_name_the_local_day():
    evening_utc = datetime(2024, 10, 4, 22, 30, tzinfo=UTC)  # 5 October in Moscow
    assert facet_tokens(3, None, evening_utc) == "y2024 m202410 d20241005 r3"
    assert facet_tokens(3, 7, evening_utc).endswith("r3 s7")
    earlier = recency_key(evening_utc, 999)
    assert (
        earlier
        < recency_key(evening_utc, 1000)
        < recency_key(evening_utc + timedelta(seconds=1), 5)
    )


def _body(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


def test_relevance_ranks_only_the_newest_matches(rubric, settings, monkeypatch):
    """Past the window a query word's older matches are left to newest-first order and dates."""
    old_title_match = factories.article(
        rubric,
        title="Песков о погоде",
        published_at=timezone.now() - timedelta(days=30),
    )
    newer = factories.articles(rubric, 3, title="Новости дня", lead="Песков не ответил.")
    monkeypatch.setattr(backends, "COUNT_LIMIT", 2)
    settings.VESTNIK_SEARCH_RANK_WINDOW = 2

    ranked = search("Песков")
    assert ranked.total == 2
    assert {h.article.pk for h in ranked.hits} == {newer[0].pk, newer[1].pk}

    monkeypatch.setattr(backends, "COUNT_LIMIT", 1000)
    settings.VESTNIK_SEARCH_RANK_WINDOW = 1000
    ranked = search("Песков")
    assert ranked.hits[0].article.pk == old_title_match.pk  # title beats lead
    newest = search("Песков", order="newest")
    assert [h.article.pk for h in newest.hits] == [*(a.pk for a in newer), old_title_match.pk]


def test_filters_and_dates_on_the_local_day(rubric, other_rubric, story):
    late_evening = datetime(2024, 10, 5, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    politics = factories.article(
        rubric, title="Байден и саммит", published_at=late_evening, story=story
    )
    business = factories.article(
        other_rubric, title="Байден и рынки", published_at=late_evening + timedelta(hours=1)
    )
    assert [h.article.pk for h in search("Байден", rubric_id=other_rubric.pk).hits] == [business.pk]
    assert [h.article.pk for h in search("Байден", story_id=story.pk).hits] == [politics.pk]
    day = date(2024, 10, 5)
    assert [h.article.pk for h in search("Байден", date_from=day, date_to=day).hits] == [
        politics.pk
    ]
    assert [h.article.pk for h in search("Байден", date_from=date(2024, 10, 6)).hits] == [
        business.pk
    ]
    assert search("Байден", date_from=date(2024, 10, 6), date_to=day).total == 0  # backwards
    entry = SearchEntry.objects.get(pk=business.pk)
    assert "d20241006" in entry.facets


def test_a_filter_word_in_the_query_is_just_text(rubric):
    factories.article(rubric, title="Рубль", body=_body("Текст."))
    assert search(f"r{rubric.pk}").total == 0
    assert search("d2024").total == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner settings")
def test_planner_settings_do_not_outlive_the_search(rubric):
    factories.article(rubric, title="Рубль")
    with transaction.atomic(), connection.cursor() as cursor:
        assert search("рубль").total == 1
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def test_a_recent_slice_with_too_few_matches_widens_to_all(rubric, settings, monkeypatch):
    """PostgreSQL looks among the newest articles first; an older match must still come back."""
    monkeypatch.setattr(backends, "COUNT_LIMIT", 2)
    monkeypatch.setattr(backends.PostgresBackend, "RECENT_SLICE", 1)
    monkeypatch.setattr(backends.PostgresBackend, "_since_cache", (0.0, 0, None))
    settings.VESTNIK_SEARCH_RANK_WINDOW = 2
    settings.VESTNIK_PAGE_SIZE = 2
    now = timezone.now()
    newest = factories.article(rubric, title="Песков ответил", published_at=now)
    for minutes in (1, 2):
        factories.article(rubric, title="Погода", published_at=now - timedelta(minutes=minutes))
    older = factories.article(rubric, title="Песков", published_at=now - timedelta(minutes=3))
    factories.article(rubric, title="Песков снова", published_at=now - timedelta(minutes=4))

    assert [h.article.pk for h in search("Песков", order="newest").hits] == [newest.pk, older.pk]
    assert {h.article.pk for h in search("Песков").hits} == {newest.pk, older.pk}
