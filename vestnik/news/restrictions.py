"""Which parts of the page tree are behind a view restriction (usually none)."""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from vestnik.core import tags
from vestnik.core.shared import shared_value


def restricted_paths() -> set[str]:
    """Tree paths of every page with a view restriction, and of every alias of one, shared until a
    restriction changes (`RESTRICTIONS`)."""

    def compute():
        restricted = PageViewRestriction.objects.values("page_id")
        pages = Page.objects.filter(Q(pk__in=restricted) | Q(alias_of__in=restricted))
        return set(pages.values_list("path", flat=True)), ()

    return shared_value("restricted-paths", {tags.RESTRICTIONS}, compute)
