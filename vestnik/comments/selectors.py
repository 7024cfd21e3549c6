"""Reads of comments: an article's threads for readers, the moderation mode that applies."""

from dataclasses import dataclass, field

from wagtail.models import Site

from .models import POST, PRE, ArticleModeration, Comment, CommentSettings


@dataclass
class Thread:
    """A top-level comment with its published replies; `comment` is None when it was removed."""

    comment: Comment | None
    replies: list[Comment] = field(default_factory=list)


def comment_threads(article_id: int) -> list[Thread]:
    """Published comments of an article as threads, oldest first, in one query.

    A reply whose parent was rejected later keeps its place under a «removed» placeholder,
    so the visible comments always add up to `ArticlePage.comment_count`.
    """
    comments = Comment.objects.filter(
        article_id=article_id, status=Comment.Status.PUBLISHED
    ).order_by("created_at", "pk")
    threads: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None:
            threads.setdefault(comment.pk, Thread(None)).comment = comment
        else:
            threads.setdefault(comment.parent_id, Thread(None)).replies.append(comment)
    return list(threads.values())


def moderation_for(article) -> str:
    """PRE or POST: the article's own mode, else its site's, else pre-moderation."""
    override = ArticleModeration.objects.filter(article_id=article.pk).first()
    if override is not None:
        return override.moderation
    site = article.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return PRE
    mode = CommentSettings.for_site(site).moderation
    return mode if mode in (PRE, POST) else PRE
