from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from . import selectors
from .http import listing_or_404


def tag_page(request, slug: str):
    """All published articles with a tag, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    listing = listing_or_404(request, selectors.articles_for_tag(slug))
    return render(request, "news/tag_page.html", {"tag": tag, "listing": listing})
