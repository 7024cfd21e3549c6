"""The index's two derived keys, the same for the index, the queries and the migration.

- `recency_key`: an integer that sorts like (published_at, article_id). It is the FTS5 rowid on
  SQLite, so «newest first» and «the newest N matches» are a walk of the full-text index itself.
- `facet_tokens`: the filters as words of a hidden FTS5 column (`r5`, `s12`, `y2024`,
  `m202410`, `d20241005`, dates in the site's time zone), so a rubric, story or date filter is
  part of the MATCH and never a join that probes every match.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

ID_SPACE = 1_000_000  # article ids sharing one published second are told apart by id mod this


def recency_key(published_at: datetime, article_id: int) -> int:
    return int(published_at.timestamp()) * ID_SPACE + article_id % ID_SPACE


def facet_tokens(rubric_id: int | None, story_id: int | None, published_at: datetime) -> str:
    day = timezone.localtime(published_at).date()
    tokens = [f"y{day:%Y}", f"m{day:%Y%m}", f"d{day:%Y%m%d}"]
    if rubric_id is not None:
        tokens.append(f"r{rubric_id}")
    if story_id is not None:
        tokens.append(f"s{story_id}")
    return " ".join(tokens)


def date_tokens(first: date | None, last: date | None) -> list[str]:
    """The fewest whole years, months and days covering first..last (both included): at most
    about 11 + 30 tokens at each end and one per year between. An open end reaches 1970 or the
    end of next year."""
    first = first or date(1970, 1, 1)
    last = last or date(timezone.localdate().year + 1, 12, 31)
    tokens = []
    day = first
    while day <= last:
        year_end = date(day.year, 12, 31)
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        if day.month == 1 and day.day == 1 and year_end <= last:
            tokens.append(f"y{day:%Y}")
            day = year_end + timedelta(days=1)
        elif day.day == 1 and next_month - timedelta(days=1) <= last:
            tokens.append(f"m{day:%Y%m}")
            day = next_month
        else:
            tokens.append(f"d{day:%Y%m%d}")
            day += timedelta(days=1)
    return tokens
