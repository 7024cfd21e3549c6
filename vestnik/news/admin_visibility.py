"""Wagtail admin views that show a page title before any hook can filter it, guarded in front.

The explorer and the page chooser opened *on* a page show its title in the header whatever it is;
the page types report names the last edited page of each type (often someone's draft). Wagtail
offers no hook there, so vestnik/urls.py routes these addresses here first; the wrapped views are
Wagtail's own. docs/security.md, «Права авторов».
"""

from functools import wraps

from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from .admin_views import admin_forbidden
from .permissions import page_visible_to, sees_every_page


def _admin(view):
    return never_cache(require_admin_access(view))


def _visible_parent_only(view):
    @wraps(view)
    def guarded(request, parent_page_id: int, **kwargs):
        page = Page.objects.filter(pk=parent_page_id).first()
        if page is not None and not page_visible_to(page, request.user):
            return admin_forbidden(request, _("This page is another author's unpublished draft."))
        return view(request, parent_page_id=parent_page_id, **kwargs)

    return _admin(guarded)


def _editors_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not sees_every_page(request.user):
            return admin_forbidden(request, _("This report is for editors."))
        return view(request, *args, **kwargs)

    return _admin(guarded)


explore = _visible_parent_only(
    page_viewset_registry.as_view("index", parent_page_id_kwarg="parent_page_id")
)
explore_results = _visible_parent_only(
    page_viewset_registry.as_view("index_results", parent_page_id_kwarg="parent_page_id")
)
choose_page_child = _visible_parent_only(BrowseView.as_view())
page_types_usage = _editors_only(PageTypesUsageReportView.as_view())
page_types_usage_results = _editors_only(PageTypesUsageReportView.as_view(results_only=True))
