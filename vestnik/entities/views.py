from django.shortcuts import get_object_or_404, render

from vestnik.news.http import listing_or_404

from . import selectors
from .models import Entity


def entity_page(request, slug: str):
    """/entities/<slug>/: the articles that mention a person, organisation or place, newest first."""
    entity = get_object_or_404(Entity, slug=slug)
    listing = listing_or_404(request, selectors.entity_articles(entity))
    return render(request, "entities/entity_page.html", {"entity": entity, "listing": listing})
