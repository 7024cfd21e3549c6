"""The page explorer opened on one page, refused when that page is another author's draft.

The explorer lists only what a user may see (permissions.py), but Wagtail shows the opened page's
title in the header whatever it is, and offers no hook there: vestnik/urls.py puts this in front.
"""

from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from .http import admin_forbidden
from .permissions import page_visible_to

_views = {
    name: page_viewset_registry.as_view(name, parent_page_id_kwarg="parent_page_id")
    for name in ("index", "index_results")
}


def _explore(name):
    @never_cache
    @require_admin_access
    def view(request, parent_page_id: int):
        page = Page.objects.filter(pk=parent_page_id).first()
        if page is not None and not page_visible_to(page, request.user):
            return admin_forbidden(request, _("This page is another author's unpublished draft."))
        return _views[name](request, parent_page_id=parent_page_id)

    return view


explore = _explore("index")
explore_results = _explore("index_results")
