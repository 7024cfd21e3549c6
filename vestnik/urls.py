from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from vestnik.delivery.media import serve_media
from vestnik.news import admin_views as news_admin

urlpatterns = [
    # Same addresses as Wagtail's, checked first: authors may not open others' drafts (news/admin_views.py).
    path("admin/pages/<int:parent_page_id>/", news_admin.explore),
    path("admin/pages/<int:parent_page_id>/results/", news_admin.explore_results),
    path("admin/choose-page/<int:parent_page_id>/", news_admin.choose_page_child),
    path("admin/reports/page-types-usage/", news_admin.page_types_usage),
    path("admin/reports/page-types-usage/results/", news_admin.page_types_usage_results),
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
    # Development and tests only: otherwise the ASGI entry or nginx serve media/, with the same
    # inert types and headers (delivery/media.py).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
