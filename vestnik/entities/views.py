from django.http import Http404
from django.shortcuts import get_object_or_404, render

from vestnik.news import selectors as news_selectors

from . import selectors
from .models import Entity


def entity_page(request, slug: str):
    """/entities/<slug>/: the articles that mention a person, organisation or place, newest first."""
    entity = get_object_or_404(Entity, slug=slug)
    try:
        listing = news_selectors.articles_listing(
            selectors.entity_articles(entity), cursor=request.GET.get("before")
        )
    except news_selectors.InvalidCursor as exc:
        raise Http404("Неверная ссылка на страницу списка") from exc
    return render(request, "entities/entity_page.html", {"entity": entity, "listing": listing})
