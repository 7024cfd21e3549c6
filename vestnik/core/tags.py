"""The cache-tag vocabulary: what a cached page or fragment shows, and what a change makes stale.

A page (or shared fragment) is stored with the tags of everything it shows; a change purges the
tags of what it changed. Both sides name tags only through this module, so they cannot drift.
"""

from collections.abc import Iterable

# Site-wide parts, each a shared fragment of its own.
HOME = "home"  # the home page's lists
FEED = "feed"  # the news feed (Лента новостей)
RATES = "rates"  # the Central Bank rates widget
PROMOS = "promos"  # promo blocks and their rotation
PAGES = "pages"  # the page tree: rubric menu, labels, an article's address
SITES = "sites"  # the Site and its home page
RESTRICTIONS = "restrictions"  # the set of paths behind a view restriction
# The site-wide «молния» banner (vestnik.breaking). Pages carry it only as a lagging tag: a new or
# withdrawn «молния» never purges every page at once (docs/architecture.md, «Молния»).
BREAKING = "breaking"
# The names templates may write as literals ({% shared_fragment "rates" "rates" %}); checked there.
SITE_WIDE = frozenset({HOME, FEED, RATES, PROMOS, PAGES, SITES, RESTRICTIONS})


def article(pk: int) -> str:
    """An article: its own page, and every card, list or fragment that shows it."""
    return f"article:{pk}"


def rubric(pk: int) -> str:
    return f"rubric:{pk}"


def story(pk: int) -> str:
    return f"story:{pk}"


def tag(slug: str) -> str:
    """A topic tag's page (/tags/<slug>/)."""
    return f"tag:{slug}"


def page(pk: int) -> str:
    """Any Wagtail page, by id (rubrics, stories and the home page change the menu and labels)."""
    return f"page:{pk}"


def breaking_item(key: str) -> str:
    """A page showing this «молния» in its banner (key: "article:42"): withdrawn or corrected, it
    must go from those pages at once."""
    return f"breaking:{key}"


def entity(pk: int) -> str:
    """A person, organisation or place page."""
    return f"entity:{pk}"


def showing_article(
    article_id: int,
    rubric_id: int | None = None,
    story_id: int | None = None,
    tag_slugs: Iterable[str] = (),
) -> frozenset[str]:
    """Every tag under which a page may show this article: its own page, the lists it is in
    (home, its rubric, story and topic tags) and the news feed."""
    found = {article(article_id), HOME, FEED}
    if rubric_id:
        found.add(rubric(rubric_id))
    if story_id:
        found.add(story(story_id))
    found.update(tag(slug) for slug in tag_slugs)
    return frozenset(found)
