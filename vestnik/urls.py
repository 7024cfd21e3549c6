from django.conf import settings
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from vestnik.delivery.media import serve_media
from vestnik.news import admin_search, admin_visibility
from vestnik.news.admin_views import PageEditView, page_unpublish, page_workflow_action

urlpatterns = [
    # The admin page search looks at the newest matches only (news/admin_search.py).
    path("admin/pages/search/", never_cache(require_admin_access(admin_search.search))),
    path(
        "admin/pages/search/results/",
        never_cache(require_admin_access(admin_search.search_results)),
    ),
    # Same addresses as Wagtail's, checked first: authors may not open others' drafts
    # (news/admin_visibility.py).
    path("admin/pages/<int:parent_page_id>/", admin_visibility.explore),
    path("admin/pages/<int:parent_page_id>/results/", admin_visibility.explore_results),
    path("admin/choose-page/<int:parent_page_id>/", admin_visibility.choose_page_child),
    path("admin/reports/page-types-usage/", admin_visibility.page_types_usage),
    path("admin/reports/page-types-usage/results/", admin_visibility.page_types_usage_results),
    # Wagtail's page editor, review action and unpublish with their POSTs made exactly-once
    # (news/admin_views.py); same paths, so reverse("wagtailadmin_pages:edit") and the others
    # land here. Decorated as Wagtail's admin URLs are.
    path(
        "admin/pages/<int:page_id>/edit/",
        never_cache(require_admin_access(PageEditView.as_view())),
        name="vestnik_page_edit",
    ),
    path(
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        never_cache(require_admin_access(page_workflow_action)),
        name="vestnik_page_workflow_action",
    ),
    path(
        "admin/pages/<int:page_id>/unpublish/",
        never_cache(require_admin_access(page_unpublish)),
        name="vestnik_page_unpublish",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("vestnik.news.urls")),
    path("", include("vestnik.feed.urls")),
    path("", include("vestnik.delivery.urls")),
    path("", include("vestnik.search.urls")),
    path("", include("vestnik.entities.urls")),
    path("", include("vestnik.markets.urls")),
    path("", include("vestnik.promos.urls")),
    path("", include("vestnik.comments.urls")),
    path("", include("vestnik.push.urls")),
    path("", include("vestnik.breaking.urls")),
]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
if settings.VESTNIK_SERVE_MEDIA:
    # Development and tests only: otherwise the ASGI entry or nginx serve media/, with the same
    # inert types and headers (delivery/media.py).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
