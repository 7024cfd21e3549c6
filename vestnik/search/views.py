from django.shortcuts import render

from . import selectors
from .forms import SearchForm


def search_page(request):
    """/search/?q=…: ranked results with highlighted fragments, filters and pages."""
    form = SearchForm(request.GET or None)
    results = None
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        results = selectors.search(
            data["q"],
            rubric_id=data["rubric"].pk if data["rubric"] else None,
            story_id=data["story"].pk if data["story"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            order=data["order"] or "relevance",
            page=data["page"] or 1,
        )
    elif form.is_bound and not form.is_valid():
        status = 400
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "search/search_page.html",
        {
            "form": form,
            "results": results,
            "query": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
            "base_query": query_without_page.urlencode(),
        },
        status=status,
    )
