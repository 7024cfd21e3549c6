"""Search-engine files: sitemap.xml with image entries, the Google News sitemap, robots.txt.

Subclasses of Django's `Sitemap`; the XML templates live in delivery/templates/delivery/.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from vestnik.news.models import HomePage, RubricPage, StoryPage
from vestnik.news.selectors import articles_live

# Google News takes articles of the last two days, at most 1,000 per sitemap.
NEWS_MAX_AGE = timedelta(hours=48)
NEWS_LIMIT = 1000


def _path(page) -> str:
    """The page's path on its site (Django's Sitemap adds protocol and domain)."""
    return page.get_url_parts()[2]


class SectionSitemap(Sitemap):
    """The front page, the feed page, rubrics and stories: the pages that list articles."""

    changefreq = "hourly"

    def items(self):
        pages = [*HomePage.objects.live(), *RubricPage.objects.live().order_by("path")]
        pages += list(StoryPage.objects.live().order_by("path"))
        return [*pages, "feed:page"]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else _path(item)

    def lastmod(self, item):
        return None if isinstance(item, str) else item.last_published_at


class ArticleSitemap(Sitemap):
    """Every published article, newest first, with its lead photo as an image entry."""

    limit = 10_000

    def items(self):
        return articles_live().select_related("lead_image").order_by("-published_at", "-pk")

    def location(self, item):
        return _path(item)

    def lastmod(self, item):
        return item.last_published_at or item.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            image = url["item"].lead_image
            url["images"] = (
                [
                    {
                        "loc": base + image.file.url,
                        "title": url["item"].photo_caption or url["item"].title,
                    }
                ]
                if image
                else []
            )
        return urls


class NewsSitemap(ArticleSitemap):
    """Google News: articles of the last 48 hours, at most 1,000."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_MAX_AGE
        return super().items().filter(published_at__gte=since)[:NEWS_LIMIT]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["publication_name"] = settings.WAGTAIL_SITE_NAME
        return urls


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    """Crawlers may read everything readers can; the newsroom is off limits; where the sitemaps are."""
    root = f"{request.scheme}://{request.get_host()}"
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Disallow: {reverse('feed:stream')}",
        "",
        f"Sitemap: {root}{reverse('delivery:sitemap')}",
        f"Sitemap: {root}{reverse('delivery:sitemap_news')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
