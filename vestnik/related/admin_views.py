"""The editor's list of related-article suggestions; one click inserts a card into the draft.

Anyone who may edit the article may insert (its author included): the card goes into a new draft
revision, which reaches readers only through the usual review and publish.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vestnik.news.admin_views import admin_forbidden
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
            "header_title": _("Similar articles: %(title)s") % {"title": article.title},
        },
    )


@require_POST
def insert(request, article_id: int, related_id: int):
    article = _editable(request, article_id)
    lock = article.get_lock()
    if lock and lock.for_user(request.user):
        return admin_forbidden(request, _("The article is locked; it cannot be changed now."))
    related = get_object_or_404(ArticlePage.objects.live(), pk=related_id)
    services.card_insert(article, related, user=request.user)
    messages.success(
        request,
        _("The card “%(title)s” was added to the draft. Publish the article when you are ready.")
        % {"title": related.title},
    )
    return redirect(reverse("related_review", args=[article.pk]))
