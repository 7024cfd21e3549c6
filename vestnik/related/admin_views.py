"""The editor's list of related-article suggestions; one click inserts a card into the draft."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from vestnik.news.models import ArticlePage

from . import selectors, services


def _editable(request, article_id):
    article = get_object_or_404(ArticlePage, pk=article_id)
    if not article.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return article


def review(request, article_id: int):
    article = _editable(request, article_id)
    return TemplateResponse(
        request,
        "related/admin/review.html",
        {
            "article": article,
            "suggestions": selectors.suggestions(article.pk),
            "header_title": f"Похожие статьи: {article.title}",
        },
    )


@require_POST
def insert(request, article_id: int, related_id: int):
    article = _editable(request, article_id)
    related = get_object_or_404(ArticlePage.objects.live(), pk=related_id)
    services.card_insert(article, related, user=request.user)
    messages.success(
        request,
        f"Карточка «{related.title}» добавлена в черновик. Опубликуйте статью, когда будете готовы.",
    )
    return redirect(reverse("related_review", args=[article.pk]))
