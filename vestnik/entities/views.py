from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from vestnik.core.paging import keyset_page_or_404

from . import selectors


def entity_page(request, slug: str):
    """/entities/<slug>/: the articles that mention a person, organisation or place, newest first."""
    entity = selectors.entity_public(slug)
    if entity is None:
        raise Http404(_("No such person, organisation or place"))
    listing = keyset_page_or_404(request, selectors.entity_articles(entity).cards())
    return render(request, "entities/entity_page.html", {"entity": entity, "listing": listing})
