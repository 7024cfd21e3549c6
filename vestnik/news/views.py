from django.http import Http404
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from . import selectors


def tag_page(request, slug: str):
    """All published articles with a tag, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    try:
        listing = selectors.articles_listing(
            selectors.articles_for_tag(slug), cursor=request.GET.get("before")
        )
    except selectors.InvalidCursor as exc:
        raise Http404("Неверная ссылка на страницу списка") from exc
    return render(request, "news/tag_page.html", {"tag": tag, "listing": listing})
