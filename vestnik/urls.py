from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from vestnik.news.admin_views import PageEditView

urlpatterns = [
    # Wagtail's page editor with its POST made exactly-once (news/admin_views.py); same path, so
    # reverse("wagtailadmin_pages:edit") lands here. Decorated as Wagtail's admin URLs are.
    path(
        "admin/pages/<int:page_id>/edit/",
        never_cache(require_admin_access(PageEditView.as_view())),
        name="vestnik_page_edit",
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
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.VESTNIK_SERVE_MEDIA:
    # Development and tests only: in production granian or nginx serve media/ directly.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
