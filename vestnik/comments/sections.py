"""The comments' parts of the article page (vestnik.core.sections), registered in apps.py."""

from django.template import Context
from django.templatetags.static import static
from django.utils.html import format_html

from vestnik.core.sections import AFTER_SHARED, SCRIPTS, Section

from . import selectors
from .forms import CommentForm


def comments_context(context: Context) -> dict:
    """The #comments section: published threads, the reader's form and, after posting, a notice."""
    article = context["page"]
    request = context.get("request")
    form = context.get("comment_form") or CommentForm()
    threads = selectors.comment_threads(article.pk) if article.comment_count else []
    # The posted form is shown again where it was: under its thread, or at the bottom.
    reply_to = str(form.data.get("parent") or "") if form.is_bound else ""
    if reply_to not in {str(thread.comment.pk) for thread in threads if thread.comment}:
        reply_to = ""
    return {
        "article": article,
        "threads": threads,
        "form": form,
        "reply_to": reply_to,
        "notice": request.GET.get("comment") if request is not None else None,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


def comments_script(context: Context) -> str:
    if not context["page"].comments_enabled:
        return ""
    return format_html('<script src="{}" defer></script>', static("js/comments.js"))


COMMENTS = Section(
    "comments", AFTER_SHARED, template="comments/includes/comments.html", context=comments_context
)
SCRIPT = Section("comments_script", SCRIPTS, render=comments_script)
