"""The reader's POST of a comment. Errors re-render the article with the form, as typed, and a 4xx."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

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
            address=request.META.get("REMOTE_ADDR", ""),
        )
    except services.CommentRejected as exc:
        form.add_error(None, exc.message)
        return _article_with_form(request, article, form, status=exc.status)
    # 303 after a stored POST: reloading the page does not post the comment twice.
    if comment.status == Comment.Status.PUBLISHED:
        target = f"?comment=published#comment-{comment.pk}"
    else:
        target = "?comment=pending#comments"
    response = HttpResponseRedirect(article.get_url(request) + target)
    response.status_code = 303
    return response


def _article_with_form(request, article: ArticlePage, form: CommentForm, status: int):
    context = article.get_context(request)
    context["comment_form"] = form
    return TemplateResponse(request, article.get_template(request), context, status=status)
