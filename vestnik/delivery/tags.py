"""Which cache tags a reader page shows (the names are those of vestnik.news.events)."""


def page_tags(page) -> set[str]:
    """A Wagtail page's own tags: the article, rubric, story or home it is, and the articles its
    related cards show (a card vanishes when its target is unpublished)."""
    from vestnik.news.models import ArticlePage, HomePage, RubricPage, StoryPage

    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    found = {f"page:{page.pk}"}
    if isinstance(specific, ArticlePage):
        found.add(f"article:{page.pk}")
        for block in specific.body.raw_data:
            if block.get("type") == "related" and isinstance(block.get("value"), dict):
                target = block["value"].get("article")
                if target:
                    found.add(f"article:{target}")
    elif isinstance(specific, HomePage):
        found.add("home")
    elif isinstance(specific, RubricPage):
        found.add(f"rubric:{page.pk}")
    elif isinstance(specific, StoryPage):
        found.add(f"story:{page.pk}")
    return found
