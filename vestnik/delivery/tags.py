"""Which cache tags a reader page shows, named through the vocabulary in vestnik.core.tags."""

from vestnik.core import tags
from vestnik.news.models import ArticlePage, HomePage, RubricPage, StoryPage

WAGTAIL_PAGE = "wagtail_serve"  # Wagtail's view: the page's own tags come from page_tags()
TAG_PAGE = "news:tag"  # /tags/<slug>/: the articles with one topic tag


def page_tags(page) -> set[str]:
    """A Wagtail page's own tags: the article, rubric, story or home it is, and the articles its
    related cards show (a card vanishes when its target is unpublished)."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    found = {tags.page(page.pk)}
    if isinstance(specific, ArticlePage):
        found.add(tags.article(page.pk))
        for block in specific.body.raw_data:
            if block.get("type") == "related" and isinstance(block.get("value"), dict):
                target = block["value"].get("article")
                if target:
                    found.add(tags.article(target))
    elif isinstance(specific, HomePage):
        found.add(tags.HOME)
    elif isinstance(specific, RubricPage):
        found.add(tags.rubric(page.pk))
    elif isinstance(specific, StoryPage):
        found.add(tags.story(page.pk))
    return found


def served_tags(request) -> tuple[set[str], dict[str, float]]:
    """The tags a rendered response is stored under: (purged at once, lagging tag → seconds).

    Wagtail pages and tag pages say exactly which lists they show. Any other view (the feed page,
    RSS, search, sitemaps, entity and rates pages) is taken to show the latest articles and carries
    FEED, as every page did before pages named what they list.
    """
    found = set(request.cache_tags)
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match is not None else ""
    if view == TAG_PAGE:
        found.add(tags.tag(match.kwargs["slug"]))
    elif view != WAGTAIL_PAGE:
        found.add(tags.FEED)
    lagging = {
        tag: seconds
        for tag, seconds in getattr(request, "cache_lagging", {}).items()
        if tag not in found
    }
    return found, lagging
