"""One keyset page for every listing (articles, an entity's articles, the news feed).

Keyset, not OFFSET: the database walks the (time, id) index from the cursor, so the hundredth page
costs what the first does, with ten rows or a million. The cursor in the address is
`?before=<µs>-<id>` (the last shown row's time in microseconds and its id); bookmarked addresses
of every listing read the same way.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .params import keyset_cursor_parse

CURSOR_PARAMETER = "before"


class InvalidCursor(ValueError):
    """A cursor no listing could have written (a hostile or mangled `?before=`)."""


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    is_first: bool


def cursor_encode(moment: datetime, pk: int) -> str:
    return f"{round(moment.timestamp() * 1_000_000)}-{pk}"


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        return keyset_cursor_parse(cursor)
    except (ValueError, OverflowError, OSError) as exc:  # BadParameter is a ValueError
        raise InvalidCursor(cursor) from exc


def keyset_page(
    queryset: QuerySet,
    cursor: str | None = None,
    size: int | None = None,
    time_field: str = "published_at",
) -> KeysetPage:
    """Newest first by (`time_field`, id), `size` rows at a time, continuing after `cursor`."""
    size = size or settings.VESTNIK_PAGE_SIZE
    queryset = queryset.order_by(f"-{time_field}", "-pk")
    if cursor:
        moment, pk = cursor_decode(cursor)
        queryset = queryset.filter(
            Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "pk__lt": pk})
        )
    items = list(queryset[: size + 1])
    next_cursor = None
    if len(items) > size:
        last = items[size - 1]
        next_cursor = cursor_encode(getattr(last, time_field), last.pk)
    return KeysetPage(items=items[:size], next_cursor=next_cursor, is_first=not cursor)


def request_cursor(request) -> str | None:
    return request.GET.get(CURSOR_PARAMETER) or None


def keyset_page_or_404(request, queryset: QuerySet, **kwargs) -> KeysetPage:
    """`keyset_page` after the request's `?before=`; a malformed cursor is a 404, not a 500."""
    try:
        return keyset_page(queryset, cursor=request_cursor(request), **kwargs)
    except InvalidCursor as exc:
        raise Http404(_("Invalid link to a page of the list")) from exc
