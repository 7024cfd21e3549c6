from django.shortcuts import get_object_or_404, render

from vestnik.core.paging import keyset_page_or_404

from . import selectors


def tag_page(request, slug: str):
    """All published articles with a tag, newest first; a tag only drafts use is a 404."""
    tag = get_object_or_404(selectors.tags_live(), slug=slug)
    listing = keyset_page_or_404(request, selectors.articles_for_tag(slug).cards())
    return render(request, "news/tag_page.html", {"tag": tag, "listing": listing})
