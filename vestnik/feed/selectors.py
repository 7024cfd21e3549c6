"""Reads for the news feed («Лента новостей»): the newest published items of the whole site."""

from django.conf import settings

from vestnik.news.models import ArticlePage
from vestnik.news.selectors import articles_live


def feed_latest(limit: int | None = None) -> list[ArticlePage]:
    """Newest first; one query whatever the limit (rubric joined, only the columns a line shows)."""
    limit = limit or settings.VESTNIK_FEED_SIZE
    return list(
        articles_live()
        .select_related("rubric")
        .only("title", "url_path", "published_at", "rubric__title", "rubric__url_path")
        .order_by("-published_at", "-pk")[:limit]
    )
