from django.shortcuts import get_object_or_404, render

from vestnik.news.http import listing_or_404

from . import selectors


def entity_page(request, slug: str):
    """/entities/<slug>/: the published articles that mention a person, organisation or place,
    newest first; a name only drafts mention is a 404."""
    entity = get_object_or_404(selectors.entities_live(), slug=slug)
    listing = listing_or_404(request, selectors.entity_articles(entity))
    return render(request, "entities/entity_page.html", {"entity": entity, "listing": listing})
