from django.shortcuts import get_object_or_404, render

from . import selectors
from .http import listing_or_404


def tag_page(request, slug: str):
    """All published articles with a tag, newest first; a tag only drafts use is a 404."""
    tag = get_object_or_404(selectors.tags_live(), slug=slug)
    listing = listing_or_404(request, selectors.articles_for_tag(slug))
    return render(request, "news/tag_page.html", {"tag": tag, "listing": listing})
