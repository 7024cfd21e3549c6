from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from vestnik.news.http import listing_or_404

from . import selectors


def entity_page(request, slug: str):
    """/entities/<slug>/: the articles that mention a person, organisation or place, newest first."""
    entity = selectors.entity_public(slug)
    if entity is None:
        raise Http404(_("No such person, organisation or place"))
    listing = listing_or_404(request, selectors.entity_articles(entity))
    return render(request, "entities/entity_page.html", {"entity": entity, "listing": listing})
