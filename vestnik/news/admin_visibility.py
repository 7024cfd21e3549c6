"""Wagtail admin views that show a page title before any hook can filter it, guarded in front.

The explorer and the page chooser opened *on* a page show its title in the header whatever it is;
the page types report names the last edited page of each type (often someone's draft). Wagtail
offers no hook there, so vestnik/urls.py routes these addresses here first; the wrapped views are
Wagtail's own. docs/security.md, «Права авторов». The explorer routed here also lists a page's
children without Wagtail's explorable-pages subquery where it cannot hide anything (fast at
1,000,000 articles: bench/README.md, «Admin at 1,000,000 articles»).
"""

from functools import cache, wraps

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import base_page_viewset, page_viewset_registry
from wagtail.models import Page

from .admin_views import admin_forbidden
from .permissions import explores_everything_under, page_visible_to, sees_every_page


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


class NewsroomExplorableIndexView(ExplorableIndexView):
    """Wagtail's explorer, without its `pk IN (explorable pages)` condition where it cannot hide
    a page (permissions.explores_everything_under): at 1,000,000 articles that subquery made
    counting a rubric's children take 0.5–1.2 s. The pages listed, their order and the
    construct_explorer_page_queryset hooks are Wagtail's."""

    def get_base_queryset(self):
        if self.is_searching_whole_tree or not explores_everything_under(
            self.request.user, self.parent_page
        ):
            return super().get_base_queryset()
        if self.is_searching or self.is_filtering:
            pages = self.model._default_manager.descendant_of(self.parent_page)
        else:
            pages = self.model._default_manager.child_of(self.parent_page)
        return self.annotate_queryset(pages)


@cache
def _newsroom_explorer(results_only: bool):
    kwargs = base_page_viewset.get_index_view_kwargs()
    if results_only:
        kwargs["results_only"] = True
    return base_page_viewset.construct_view(NewsroomExplorableIndexView, **kwargs)


def _explorer(view_name: str, results_only: bool):
    """Wagtail's explorer router; pages listed with Wagtail's default viewset get ours."""
    wagtail_view = page_viewset_registry.as_view(view_name, parent_page_id_kwarg="parent_page_id")

    def view(request, parent_page_id: int, **kwargs):
        try:
            viewset = page_viewset_registry.get_by_parent_page_id(parent_page_id)
        except ObjectDoesNotExist as error:
            raise Http404 from error
        if viewset is base_page_viewset:
            view = _newsroom_explorer(results_only)
            return view(request, parent_page_id=parent_page_id, **kwargs)
        return wagtail_view(request, parent_page_id=parent_page_id, **kwargs)

    return view


explore = _visible_parent_only(_explorer("index", results_only=False))
explore_results = _visible_parent_only(_explorer("index_results", results_only=True))
choose_page_child = _visible_parent_only(BrowseView.as_view())
page_types_usage = _editors_only(PageTypesUsageReportView.as_view())
page_types_usage_results = _editors_only(PageTypesUsageReportView.as_view(results_only=True))
