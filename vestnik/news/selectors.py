"""Reads of the content model. Every listing is keyset-paged and loads what its cards show up front."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from taggit.models import Tag

from .models import ArticlePage, ArticleTag, RubricPage, StoryPage
from .params import keyset_cursor_parse

CARD_RELATED = ("rubric", "lead_image", "story")


class InvalidCursor(ValueError):
    pass


@dataclass
class Listing:
    items: list[ArticlePage]
    next_cursor: str | None
    is_first: bool


def articles_live() -> QuerySet[ArticlePage]:
    return ArticlePage.objects.live().filter(published_at__isnull=False)


def _cursor_encode(article: ArticlePage) -> str:
    micros = round(article.published_at.timestamp() * 1_000_000)
    return f"{micros}-{article.pk}"


def _cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        return keyset_cursor_parse(cursor)
    except (ValueError, OverflowError, OSError) as exc:  # BadParameter is a ValueError
        raise InvalidCursor(cursor) from exc


def articles_listing(
    queryset: QuerySet[ArticlePage], cursor: str | None = None, size: int | None = None
) -> Listing:
    """Newest first, `size` at a time, continuing after `cursor`.

    Keyset, not OFFSET: the database walks the (published_at, id) index from the cursor,
    so the hundredth page costs what the first does, with ten articles or a million.
    """
    size = size or settings.VESTNIK_PAGE_SIZE
    queryset = queryset.select_related(*CARD_RELATED).order_by("-published_at", "-pk")
    if cursor:
        moment, pk = _cursor_decode(cursor)
        queryset = queryset.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    items = list(queryset[: size + 1])
    next_cursor = _cursor_encode(items[size - 1]) if len(items) > size else None
    return Listing(items=items[:size], next_cursor=next_cursor, is_first=not cursor)


def article_by_path(home, rubric_slug: str, slug: str) -> ArticlePage | None:
    """The article at /<rubric_slug>/<slug>/ under `home`, with rubric, story and photo joined; live or not
    (Wagtail's route() decides what a draft gets)."""
    return (
        ArticlePage.objects.select_related("rubric", "story", "lead_image", "video")
        .filter(
            slug=slug,
            rubric__slug=rubric_slug,
            rubric__depth=home.depth + 1,
            rubric__path__startswith=home.path,
        )
        .first()
    )


def article_at_path(home, rubric_slug: str, slug: str) -> ArticlePage | None:
    """`article_by_path`, shared between requests (settings.VESTNIK_SHARED_VALUE) until the article
    changes (`article:<id>`: publish, unpublish, a comment counted) or rubrics and stories do."""

    def compute():
        article = article_by_path(home, rubric_slug, slug)
        return article, ({f"article:{article.pk}"} if article is not None else ())

    return _shared(f"article-at:{home.pk}:{rubric_slug}/{slug}", {"pages"}, compute)


def restricted_paths() -> set[str]:
    """Tree paths of every page with a view restriction, and of every alias of one (usually none),
    shared until a restriction changes (`restrictions`)."""

    def compute():
        from wagtail.models import Page, PageViewRestriction

        restricted = PageViewRestriction.objects.values("page_id")
        pages = Page.objects.filter(Q(pk__in=restricted) | Q(alias_of__in=restricted))
        return set(pages.values_list("path", flat=True)), ()

    return _shared("restricted-paths", {"restrictions"}, compute)


def _shared(key: str, tags, compute):
    """`compute()`'s value (it returns (value, tags found)), shared between requests through the
    store settings.VESTNIK_SHARED_VALUE names (delivery's cache), or computed here without one."""
    shared = settings.VESTNIK_SHARED_VALUE
    if not shared:
        return compute()[0]
    return import_string(shared)(key, tags, compute)


def articles_main(limit: int = 3) -> list[ArticlePage]:
    """The front page's main stories: the newest articles marked as main."""
    return list(
        articles_live()
        .filter(featured=True)
        .select_related(*CARD_RELATED)
        .order_by("-published_at")[:limit]
    )


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


def article_detail_context(article: ArticlePage) -> dict:
    """What the article template shows beyond the page's own fields, fetched in a fixed number of
    queries, and only when a template reads them (a cached article fragment needs neither)."""
    return {
        "tags": SimpleLazyObject(lambda: list(article.tags.all())),
        "authors": SimpleLazyObject(
            lambda: [link.author for link in article.article_authors.select_related("author")]
        ),
    }


def rubrics_for_menu() -> list:
    return list(RubricPage.objects.live().in_menu().only("title", "url_path").order_by("path"))


def rubric_id_of(page) -> int | None:
    """The rubric a page belongs to (a rubric page is its own); None elsewhere."""
    if page is None:
        return None
    if isinstance(page, RubricPage):
        return page.pk
    return getattr(page, "rubric_id", None)
