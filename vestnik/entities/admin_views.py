"""The editor's review of an article's suggestions, reachable from the article's edit page header."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from vestnik.news.models import ArticlePage
from vestnik.news.params import BadParameter, ids_parse

from . import selectors, services
from .models import ArticleEntity


def review(request, article_id: int):
    article = get_object_or_404(ArticlePage, pk=article_id)
    if not article.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            ids = ids_parse(request.POST.getlist("link"))
        except BadParameter:
            ids = []  # a forged form: the same message as an empty choice
        links = ArticleEntity.objects.filter(article=article, pk__in=ids).select_related("entity")
        if decision not in ("accept", "reject") or not ids:
            messages.error(request, "Выберите упоминания и решение: принять или отклонить.")
        else:
            for link in links:
                services.link_decide(link, accept=decision == "accept")
            verb = "Принято" if decision == "accept" else "Отклонено"
            messages.success(request, f"{verb}: {', '.join(link.entity.name for link in links)}")
        return redirect(reverse("entities_review", args=[article.pk]))
    return TemplateResponse(
        request,
        "entities/admin/review.html",
        {
            "article": article,
            "links": selectors.article_links(article),
            "header_title": f"Упоминания: {article.title}",
        },
    )
