"""Writes of comments: a reader's comment, the newsroom's moderation, blocks, moderator e-mail."""

import hashlib
import hmac
import logging
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from vestnik.core import tags as cache_tags
from vestnik.core.events import content_changed_send
from vestnik.core.ratelimit import ratelimit_count, ratelimit_hit
from vestnik.news.models import ArticlePage, ArticleTag

from . import selectors
from .models import POST, Block, Comment

logger = logging.getLogger(__name__)

Status = Comment.Status
ACTIONS = {"approve": Status.PUBLISHED, "reject": Status.REJECTED, "spam": Status.SPAM}


class CommentRejected(Exception):
    """A comment refused with a message for the reader and the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def sender_hash(address: str) -> str:
    """A keyed hash of the sender's IP: stable enough to rate-limit and block, useless to anyone without the key."""
    key = hashlib.sha256(f"comments-sender:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def comment_create(
    *, article: ArticlePage, name: str, text: str, address: str, parent_id: int | None = None
) -> Comment:
    """Store a reader's comment (published at once under post-moderation) and queue the moderators'
    digest after commit. `address` is the reader's (core.http.client_address), never a proxy's.

    Raises CommentRejected, before anything is stored, when the comment may not be accepted. On a
    busy article (VESTNIK_COMMENTS_RATE_PER_ARTICLE reached) the comment is held for moderation:
    a crowd of addresses cannot close the article to everyone else.
    """
    name, text = " ".join(name.split()), text.strip()
    if not article.live or not article.comments_enabled:
        raise CommentRejected(_("Comments are closed for this article."), 403)
    _check_lengths(name, text)
    parent = _parent(article, parent_id)
    digest = sender_hash(address)
    if _blocked(digest, name):
        raise CommentRejected(_("Comments from you are not accepted on this site."), 403)
    busy = _check_rate(digest, article.pk)

    post_moderated = selectors.moderation_for(article) == POST
    status = Status.PUBLISHED if post_moderated and not busy else Status.PENDING
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article, parent=parent, name=name, text=text, status=status, sender_hash=digest
        )
        if status == Status.PUBLISHED:
            _counts_shift({article.pk: 1})
        # After commit and in the background: the comment is stored whatever happens to the e-mail.
        transaction.on_commit(_digest_enqueue, robust=True)
    comment.held = busy
    return comment


def _blocked(digest: str, name: str) -> bool:
    if Block.objects.filter(sender_hash=digest).exists():
        return True
    # Compared in Python: SQLite's iexact folds ASCII only, and the list of names is short.
    folded = name.casefold()
    names = Block.objects.exclude(name="").values_list("name", flat=True)
    return any(" ".join(blocked.split()).casefold() == folded for blocked in names)


def _check_lengths(name: str, text: str) -> None:
    if not name:
        raise CommentRejected(_("Please enter your name."))
    if len(name) > settings.VESTNIK_COMMENTS_NAME_MAX_LENGTH:
        raise CommentRejected(_("The name is too long."))
    if len(text) < settings.VESTNIK_COMMENTS_MIN_LENGTH:
        raise CommentRejected(_("The comment is too short."))
    if len(text) > settings.VESTNIK_COMMENTS_MAX_LENGTH:
        raise CommentRejected(_("The comment is too long."))


def _parent(article: ArticlePage, parent_id: int | None) -> Comment | None:
    if not parent_id:
        return None
    parent = Comment.objects.filter(pk=parent_id, article=article, status=Status.PUBLISHED).first()
    if parent is None:
        raise CommentRejected(_("The comment you are replying to is not available."))
    # One level deep: a reply to a reply joins the same thread.
    return parent.parent if parent.parent_id else parent


def _check_rate(digest: str, article_id: int) -> bool:
    """Refuse a reader over their limit (429); True when the article itself is busy (hold it)."""
    window = settings.VESTNIK_COMMENTS_RATE_WINDOW
    if not ratelimit_hit(
        f"comments:addr:{digest}", settings.VESTNIK_COMMENTS_RATE_PER_ADDRESS, window
    ):
        raise CommentRejected(_("Too many comments from you. Please try again later."), 429)
    return not ratelimit_hit(
        f"comments:article:{article_id}", settings.VESTNIK_COMMENTS_RATE_PER_ARTICLE, window
    )


def _counts_shift(deltas: dict[int, int]) -> None:
    """Move published counts by `deltas` in the current transaction and announce stale pages after commit.

    F() increments, not a recount: two concurrent transactions each add their own comment.
    """
    changed = [pk for pk, delta in deltas.items() if delta]
    for article_id in changed:
        ArticlePage.objects.filter(pk=article_id).update(
            comment_count=F("comment_count") + deltas[article_id]
        )
    slugs: dict[int, list[str]] = {}
    for article_id, slug in ArticleTag.objects.filter(content_object_id__in=changed).values_list(
        "content_object_id", "tag__slug"
    ):
        slugs.setdefault(article_id, []).append(slug)
    tags = set()
    for article_id, rubric_id, story_id in ArticlePage.objects.filter(pk__in=changed).values_list(
        "pk", "rubric_id", "story_id"
    ):
        # Cards show the count too: every page that may show the article is stale as well.
        tags |= cache_tags.showing_article(
            article_id, rubric_id, story_id, slugs.get(article_id, ())
        )
    if tags:
        content_changed_send(tags)


@transaction.atomic
def comments_moderate(comment_ids, action: str, user=None) -> int:
    """Approve, reject or mark as spam; returns how many changed. Counts follow in the same transaction."""
    status = ACTIONS[action]
    # Locked, so two moderators pressing at once cannot both count the same comment.
    comments = list(Comment.objects.select_for_update().filter(pk__in=list(comment_ids)))
    changed = [comment for comment in comments if comment.status != status]
    deltas: Counter = Counter()
    for comment in changed:
        if status == Status.PUBLISHED:
            deltas[comment.article_id] += 1
        elif comment.status == Status.PUBLISHED:
            deltas[comment.article_id] -= 1
    Comment.objects.filter(pk__in=[comment.pk for comment in changed]).update(
        status=status, moderated_at=timezone.now(), moderated_by=user
    )
    _counts_shift(dict(deltas))
    return len(changed)


def comment_moderate(comment: Comment, action: str, user=None) -> bool:
    return bool(comments_moderate([comment.pk], action, user))


@transaction.atomic
def senders_block(comment_ids, user=None, reason: str = "") -> int:
    """Block the senders (by address) of these comments and mark the comments as spam."""
    digests = set(
        Comment.objects.filter(pk__in=list(comment_ids)).values_list("sender_hash", flat=True)
    )
    created = 0
    for digest in digests:
        _, was_created = Block.objects.get_or_create(
            sender_hash=digest, name="", defaults={"reason": reason}
        )
        created += was_created
    comments_moderate(comment_ids, "spam", user)
    return created


@transaction.atomic
def comments_import(article: ArticlePage, threads, sender: str = "import") -> list[Comment]:
    """Published comments from elsewhere (another CMS, the demo): no limits, no e-mail.

    `threads`: [(name, text, [(name, text), ...replies]), ...], oldest first.
    """
    digest = sender_hash(sender)
    created = []
    for name, text, replies in threads:
        parent = Comment.objects.create(
            article=article, name=name, text=text, status=Status.PUBLISHED, sender_hash=digest
        )
        created.append(parent)
        for reply_name, reply_text in replies:
            created.append(
                Comment.objects.create(
                    article=article,
                    parent=parent,
                    name=reply_name,
                    text=reply_text,
                    status=Status.PUBLISHED,
                    sender_hash=digest,
                )
            )
    # Nothing for the moderators' digest: they are published already.
    Comment.objects.filter(pk__in=[c.pk for c in created]).update(notified_at=timezone.now())
    _counts_shift({article.pk: len(created)})
    return created


def comment_count_refresh(article_id: int) -> None:
    """Recount one article's published comments (publishing an old revision would restore a stale count)."""
    count = Comment.objects.filter(article_id=article_id, status=Status.PUBLISHED).count()
    ArticlePage.objects.filter(pk=article_id).exclude(comment_count=count).update(
        comment_count=count
    )


def _moderator_emails() -> list[str]:
    if settings.VESTNIK_COMMENTS_NOTIFY:
        return list(settings.VESTNIK_COMMENTS_NOTIFY)
    users = get_user_model().objects.filter(
        is_active=True, groups__name__in=settings.VESTNIK_COMMENTS_MODERATOR_GROUPS
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _digest_enqueue() -> None:
    moderators_digest.enqueue()


@task()
def moderators_digest() -> int:
    """The digest off the request path (VESTNIK_TASKS: inline after commit, or the worker).

    Here rather than in a tasks.py: the task sends what this module enqueues (no import cycle)."""
    return moderators_digest_send()


def moderators_digest_send() -> int:
    """E-mail the moderators one digest of the comments not yet listed; returns how many it listed.

    At most one digest per VESTNIK_MODERATION_DIGEST_MINUTES (a shared counter claims the window,
    so two workers never both send); comments that come later wait for the next window, which the
    scheduler's job opens. A failing mail backend is logged, never raised: the comments stay and
    are listed by the next digest.
    """
    try:
        waiting = Comment.objects.filter(notified_at__isnull=True)
        if not waiting.exists():
            return 0
        recipients = _moderator_emails()
        if not recipients:
            return 0
        window = max(settings.VESTNIK_MODERATION_DIGEST_MINUTES, 0) * 60
        if window and ratelimit_count("comments:digest", window) > 1:
            return 0  # a digest already went out in this window
        comments = list(waiting.select_related("article").order_by("created_at")[:DIGEST_SIZE])
        total = waiting.count()
        send_mail(
            subject=_("Comments awaiting moderation: %(count)s") % {"count": total},
            message=_digest_text(comments, total),
            from_email=None,
            recipient_list=recipients,
        )
        Comment.objects.filter(pk__in=[comment.pk for comment in comments]).update(
            notified_at=timezone.now()
        )
        return len(comments)
    except Exception:
        logger.exception("moderator notification failed")
        return 0


# Comments listed in one digest; the rest are counted and follow in the next one.
DIGEST_SIZE = 50


def _digest_text(comments: list[Comment], total: int) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = [_("New comments: %(count)s.") % {"count": total}, ""]
    for comment in comments:
        text = " ".join(comment.text.split())
        lines.append(
            _("— %(name)s (%(status)s) on the article “%(title)s”:")
            % {
                "name": comment.name,
                "status": comment.get_status_display(),
                "title": comment.article.title,
            }
        )
        lines.append(f"  {text[:300]}{'…' if len(text) > 300 else ''}")
        lines.append("")
    if total > len(comments):
        lines.append(
            _("…and %(count)s more in the next digest.") % {"count": total - len(comments)}
        )
    lines.append(
        _("Moderation queue: %(url)s")
        % {"url": f"{base}/admin/snippets/comments/comment/?status=pending"}
    )
    return "\n".join(lines)
