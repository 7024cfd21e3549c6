"""The reader's POST of a comment. Errors re-render the article with the form, as typed, and a 4xx.

Article pages carry no CSRF token, so that one cached copy serves every reader. The token comes
from `comment_token` (comments.js asks for it); a POST without it, from a reader without JS, gets
the form back filled in with a fresh token to confirm (`csrf_failure`): nothing is stored until
the reader sends it from this site.
"""

from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from vestnik.core.http import client_address
from vestnik.news.models import ArticlePage

from . import services
from .forms import CommentForm
from .models import Comment


@require_POST
def comment_post(request, article_id: int):
    article = get_object_or_404(
        ArticlePage.objects.live().select_related("rubric", "story", "lead_image", "video"),
        pk=article_id,
    )
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _article_with_form(request, article, form, status=400)
    try:
        comment = services.comment_create(
            article=article,
            name=form.cleaned_data["name"],
            text=form.cleaned_data["text"],
            parent_id=form.cleaned_data.get("parent"),
            address=client_address(request),
        )
    except services.CommentRejected as exc:
        form.add_error(None, exc.message)
        return _article_with_form(request, article, form, status=exc.status)
    # 303 after a stored POST: reloading the page does not post the comment twice.
    if comment.status == Comment.Status.PUBLISHED:
        target = f"?comment=published#comment-{comment.pk}"
    elif comment.held:
        target = "?comment=held#comments"
    else:
        target = "?comment=pending#comments"
    response = HttpResponseRedirect(article.get_url(request) + target)
    response.status_code = 303
    return response


def _article_with_form(request, article: ArticlePage, form: CommentForm, status: int):
    context = article.get_context(request)
    context["comment_form"] = form
    return TemplateResponse(request, article.get_template(request), context, status=status)


@require_safe
@never_cache
def comment_token(request):
    """The CSRF token for the comment forms of a cached article page (and its cookie)."""
    return JsonResponse({"token": get_token(request)})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a comment posted without a token is shown back to confirm, else Django's page."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is None or match.view_name != "comments:post" or request.method != "POST":
        return django_csrf_failure(request, reason, template_name="403_csrf.html")
    article = ArticlePage.objects.live().filter(pk=match.kwargs["article_id"]).first()
    if article is None or not article.comments_enabled:
        return django_csrf_failure(request, reason, template_name="403_csrf.html")
    form = CommentForm(request.POST)
    form.is_valid()  # bound: the template shows what was typed, with the token
    response = TemplateResponse(
        request, "comments/confirm.html", {"article": article, "form": form}, status=403
    )
    response["Cache-Control"] = "no-store"
    return response
