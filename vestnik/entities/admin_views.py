"""The editor's review of an article's suggestions, reachable from the article's edit page header.

Anyone who may edit the article sees the suggestions; only those who may publish it decide. A
decision is stored beside the article, not in a revision, so no review would ever show it: an
author's decision could put a link on the live page that no editor approved.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from vestnik.core.params import BadParameter, ids_parse
from vestnik.news.admin_views import admin_forbidden
from vestnik.news.models import ArticlePage

from . import selectors, services
from .models import ArticleEntity


def review(request, article_id: int):
    article = get_object_or_404(ArticlePage, pk=article_id)
    permissions = article.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    can_decide = permissions.can_publish()
    if request.method == "POST":
        if not can_decide:
            return admin_forbidden(
                request, _("Only editors decide which people and organisations an article links.")
            )
        decision = request.POST.get("decision")
        try:
            ids = ids_parse(request.POST.getlist("link"))
        except BadParameter:
            ids = []  # a forged form: the same message as an empty choice
        links = ArticleEntity.objects.filter(article=article, pk__in=ids).select_related("entity")
        if decision not in ("accept", "reject") or not ids:
            messages.error(request, _("Choose mentions and a decision: accept or reject."))
        else:
            for link in links:
                services.link_decide(link, accept=decision == "accept")
            verb = _("Accepted") if decision == "accept" else _("Rejected")
            messages.success(request, f"{verb}: {', '.join(link.entity.name for link in links)}")
        return redirect(reverse("entities_review", args=[article.pk]))
    return TemplateResponse(
        request,
        "entities/admin/review.html",
        {
            "article": article,
            "links": selectors.article_links(article),
            "can_decide": can_decide,
            "header_title": _("Mentions: %(title)s") % {"title": article.title},
        },
    )
