"""Reads of the content model. Every listing is keyset-paged and loads what its cards show up front."""

from django.db.models import QuerySet
from taggit.models import Tag

from vestnik.core.paging import KeysetPage, keyset_page

from .models import CARD_RELATED, ArticlePage, ArticleTag, RubricPage, StoryPage


def articles_live() -> QuerySet[ArticlePage]:
    return ArticlePage.objects.published()


def articles_listing(
    queryset: QuerySet[ArticlePage], cursor: str | None = None, size: int | None = None
) -> KeysetPage:
    """Newest first, `size` at a time, continuing after `cursor` (core.paging: keyset, not OFFSET)."""
    return keyset_page(queryset.select_related(*CARD_RELATED), cursor=cursor, size=size)


def articles_main(limit: int = 3) -> list[ArticlePage]:
    """The front page's main stories: the newest articles marked as main."""
    return ArticlePage.objects.main(limit=limit)


def articles_for_tag(slug: str) -> QuerySet[ArticlePage]:
    return articles_live().filter(tags__slug=slug)


def article_tags_live() -> QuerySet[ArticleTag]:
    """Tag links of published articles: the only tags readers may see or be offered.

    An article's tag rows are not always its live version's: Wagtail writes a page that is not
    live in full on every draft save, so they are its latest draft's until it is published; a
    live page's rows change only when a revision is published. The tag itself is stored as soon
    as any draft names it.
    """
    return ArticleTag.objects.filter(content_object__in=articles_live())


def tags_live() -> QuerySet[Tag]:
    """Tags of at least one published article; a tag used only in drafts is not among them."""
    return Tag.objects.filter(pk__in=article_tags_live().values("tag_id"))


def stories_live() -> QuerySet[StoryPage]:
    return StoryPage.objects.live().order_by("-last_published_at")


def rubrics_for_menu() -> list:
    return list(RubricPage.objects.live().in_menu().only("title", "url_path").order_by("path"))


def rubric_id_of(page) -> int | None:
    """The rubric a page belongs to (a rubric page is its own); None elsewhere."""
    if page is None:
        return None
    if isinstance(page, RubricPage):
        return page.pk
    return getattr(page, "rubric_id", None)
