from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import sitemaps

app_name = "delivery"

urlpatterns = [
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "delivery/sitemap.xml"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        sitemap,
        {"sitemaps": sitemaps.NEWS_SITEMAPS, "template_name": "delivery/sitemap_news.xml"},
        name="sitemap_news",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
