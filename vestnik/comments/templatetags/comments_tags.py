import re

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from vestnik.comments import selectors
from vestnik.comments.forms import CommentForm

register = template.Library()

_NOFOLLOW = re.compile(r' rel="nofollow"')


@register.filter(is_safe=True)
def comment_text(value: str) -> str:
    """A reader's plain text as HTML: everything escaped first, then http(s) links made clickable.

    urlize escapes the text itself and only links http(s)/www addresses and bare domains,
    so no markup, handler or javascript: URL from a reader gets through.
    """
    html = urlize(value or "", trim_url_limit=60, nofollow=True, autoescape=True)
    html = _NOFOLLOW.sub(' rel="nofollow ugc"', html)
    return mark_safe(linebreaks(html, autoescape=False))


@register.inclusion_tag("comments/includes/comments.html", takes_context=True)
def article_comments(context, article):
    """The #comments section: published threads, the reader's form and, after posting, a notice."""
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
