"""The admin page search (/admin/pages/search/) for a large archive: it looks at the newest matches.

Wagtail's search view ranks *every* match by relevance, and counts them three more times (the
total, the paginator, the page-type facets). A word in every archive title made that 16–20 s at
1,000,000 articles in PostgreSQL (bench/README.md, «Admin at 1,000,000 articles»). This view
asks Wagtail's own search backend (so drafts are found, which the reader search's index does
not hold) for the newest `VESTNIK_ADMIN_SEARCH_LIMIT` (1,000) matches by page id, newest first and
without ranking, a LIMIT the database can stop at; then ranks (or orders by the chosen column)
only those, and counts and facets only them. A rare word keeps every match; a common one shows
its newest 1,000 ranked, with «больше 1 000» as the count. Who sees what is Wagtail's (the
explorable pages of NewsroomPagePermissionPolicy: authors only their own and live pages).
"""

from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.viewsets.pages import base_page_viewset
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import MATCH_ALL
from wagtail.search.utils import parse_query_string

# The newest matches are first looked for among the newest WINDOW × limit pages: a walk back
# from the newest page, probing each one's index entry, that stops at `limit` matches or at the
# window's end. PostgreSQL's estimate of a prefix query's matches is far off (1 in 50 for a word
# in every title), so it would rather read the word's whole GIN bitmap (0.8 s for 1,000,000
# matches) or scan the page table; both are switched off for that one query, in a block rolled
# back after it (17 ms then).
# A word with fewer matches there (a rare word, or one of old pages) is then looked up among the
# older pages without ORDER BY … LIMIT, where the GIN index is the right plan (without the
# window PostgreSQL walked every page newest first for a word in one title: 6.4 s).
WINDOW = 8


@contextmanager
def _walk_newest_first():
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        try:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_seqscan = off")  # nor scan every page
            yield
        finally:
            transaction.set_rollback(True)


def _match_ids(pages, query) -> list[int]:
    backend = get_search_backend()
    return [page.pk for page in backend.autocomplete(query, pages, order_by_relevance=False)]


def newest_match_ids(pages, query, limit: int) -> list[int]:
    """Ids of the newest `limit` pages of `pages` matching `query` (Wagtail's autocomplete
    search, as the admin's), newest first: no relevance is computed."""
    pages = pages.only("id")
    cutoff = Page.objects.order_by("-id").values_list("id", flat=True)[WINDOW * limit :][:1]
    cutoff = next(iter(cutoff), None)
    if cutoff is None:  # a small site: every page is in the window
        return sorted(_match_ids(pages, query), reverse=True)[:limit]
    recent = get_search_backend().autocomplete(
        query, pages.filter(id__gte=cutoff).order_by("-id"), order_by_relevance=False
    )
    with _walk_newest_first():
        found = [page.pk for page in recent[:limit]]
    if len(found) < limit:
        older = sorted(_match_ids(pages.filter(id__lt=cutoff), query), reverse=True)
        found += older[: limit - len(found)]
    return found


class NewsroomPageSearchView(SearchView):
    """Wagtail's page search over the newest matches only (module docstring)."""

    results_template_name = "news/admin/page_search_results.html"

    def get_queryset(self):
        limit = settings.VESTNIK_ADMIN_SEARCH_LIMIT
        filters, query = parse_query_string(self.search_query, operator="and", zero_terms=MATCH_ALL)
        if query is MATCH_ALL:  # no words: Wagtail's listing of all pages, by its own order
            self.match_count = self.all_count = None
            self.more_matches = self.more_all = False
            return super().get_queryset()

        self.all_pages = None  # Wagtail's template counts it; ours shows all_count instead
        visible = Page.objects.all()
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            explorable = self.permission_policy.explorable_instances(self.request.user)
            visible = visible.filter(pk__in=explorable.values_list("pk", flat=True))
        live = (filters.get("live") or filters.get("published") or "").lower()
        if live in ("yes", "true"):
            visible = visible.filter(live=True)
        elif live in ("no", "false"):
            visible = visible.filter(live=False)

        # The newest matches of every page type (for the facets), then of the chosen type.
        newest = newest_match_ids(visible, query, limit + 1)
        self.content_types = self._facets(newest[:limit])
        self.all_count, self.more_all = min(len(newest), limit), len(newest) > limit
        if self.selected_content_type:
            newest = newest_match_ids(
                visible.filter(content_type=self.selected_content_type), query, limit + 1
            )
        self.more_matches = len(newest) > limit
        self.match_count = min(len(newest), limit)

        pages = Page.objects.filter(pk__in=newest[:limit])
        if self.show_locale_labels:
            pages = pages.select_related("locale")
        if self.ordering:
            pages = pages.order_by(self.ordering)
        pages = self.annotate_queryset(pages)
        return pages.autocomplete(query, order_by_relevance=not self.ordering)

    @staticmethod
    def _facets(ids: list[int]) -> list[tuple[ContentType, int]]:
        counts = (
            Page.objects.filter(pk__in=ids)
            .values("content_type")
            .annotate(count=Count("pk"))
            .order_by("-count")
        )
        return [
            (ContentType.objects.get_for_id(row["content_type"]), row["count"]) for row in counts
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["match_count"] = self.match_count
        context["more_matches"] = self.more_matches
        context["all_count"] = self.all_count
        context["more_all"] = self.more_all
        context["match_limit"] = settings.VESTNIK_ADMIN_SEARCH_LIMIT
        return context


@cache
def _view(results_only: bool):
    kwargs = {"results_only": True} if results_only else {}
    return base_page_viewset.construct_view(NewsroomPageSearchView, **kwargs)


def search(request):
    return _view(False)(request)


def search_results(request):
    return _view(True)(request)
