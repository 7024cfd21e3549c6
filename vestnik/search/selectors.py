"""Reads of the search index: ranked or newest-first results with highlighted fragments."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.safestring import SafeString

from vestnik.news.models import ArticlePage
from vestnik.news.selectors import article_tags_live

from . import suggestions as suggestion_sources
from .backends import COUNT_LIMIT, backend
from .highlight import fragment, highlight
from .models import SearchEntry
from .morphology import lemmatize, parse_query

ORDERS = ("relevance", "newest")
MAX_PAGE = 50


@dataclass
class SearchHit:
    article: ArticlePage
    title_html: SafeString
    fragment_html: SafeString


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    suggestions: list[str] = field(default_factory=list)

    @property
    def more(self) -> bool:
        """True when there are more matches than were counted."""
        return self.total >= COUNT_LIMIT


def search(
    text: str,
    rubric_id: int | None = None,
    story_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    order: str = "relevance",
    page: int = 1,
    size: int | None = None,
) -> SearchResults:
    """Published articles matching every word of `text` in any form (phrases in quotes, in order)."""
    size = size or settings.VESTNIK_PAGE_SIZE
    query = parse_query(text)
    if not query:
        return SearchResults()
    filters = {
        "rubric_id": rubric_id,
        "story_id": story_id,
        "date_from": date_from,
        "date_to": date_to,
    }
    page = max(1, min(page, MAX_PAGE))
    if date_from or date_to:
        span = archive_span()
        if span is None:
            return SearchResults(suggestions=suggestions(text))
        filters["date_from"] = max(date_from or span[0], span[0])
        filters["date_to"] = min(date_to or span[1], span[1])
        if filters["date_from"] > filters["date_to"]:  # the range misses the archive
            return SearchResults(suggestions=suggestions(text))
        if (filters["date_from"], filters["date_to"]) == span:  # the whole archive: no filter
            filters["date_from"] = filters["date_to"] = None
    ids, total = backend().search(
        query, filters, order if order in ORDERS else "relevance", size, (page - 1) * size
    )
    entries = SearchEntry.objects.in_bulk(ids)
    articles = ArticlePage.objects.live().select_related("rubric", "lead_image").in_bulk(ids)
    lemmas = query.lemmas()
    hits = [
        SearchHit(
            article=articles[pk],
            title_html=highlight(articles[pk].title, lemmas),
            fragment_html=fragment(f"{entries[pk].lead} {entries[pk].body}", lemmas),
        )
        for pk in ids
        if pk in articles and pk in entries
    ]
    results = SearchResults(hits=hits, total=total, page=page, pages=-(-total // size))
    if not total:
        results.suggestions = suggestions(text)
    return results


def archive_span() -> tuple[date, date] | None:
    """The first and last day (site time zone) holding an indexed article; None when empty.

    A date filter is clamped to it: 0001-01-02..9998-12-30 would otherwise become thousands of
    year terms on SQLite (and overflow past 9999). Two index lookups on `published_at`."""
    # Two queries: SQLite reads min() and max() from the index only when each is alone.
    days = SearchEntry.objects.values_list("published_at", flat=True)
    first, last = days.order_by("published_at").first(), days.order_by("-published_at").first()
    if first is None:
        return None
    return timezone.localtime(first).date(), timezone.localtime(last).date()


def suggestions(text: str, limit: int = 6) -> list[str]:
    """What to try instead: known names and tags sharing a word (in any form) with the query,
    else the most used tags. Only published articles' tags: a draft's never leak here."""
    wanted = set(lemmatize(text).split())
    names = []
    for source in suggestion_sources.sources():  # registered by other apps (entities)
        names += source()
    popular = list(
        article_tags_live()
        .values_list("tag__name", flat=True)
        .annotate(uses=Count("id"))
        .order_by("-uses", "tag__name")[:200]
    )
    close = [name for name in [*names, *popular] if wanted & set(lemmatize(name).split())]
    chosen = close or popular
    return list(dict.fromkeys(chosen))[:limit]
