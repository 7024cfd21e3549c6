"""Writes to broadcasts: posts and coverage. Every rule about who may do what is checked here,
whatever view or command calls, and every write announces itself in its own transaction: the
stream (`stream.py`), the feed line, «Молния» and the cache purge of this one page.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.embeds.finders import get_finders

from vestnik.core import events
from vestnik.core import tags as cache_tags
from vestnik.feed import services as feed_services
from vestnik.news.sanitize import sanitize_rich_text

from . import selectors, stream
from .models import BroadcastCoverage, LiveBroadcastPage, LivePost

PUBLISH_PERMISSION = "live.publish_livepost"
TITLE_LIMIT = 120


class PostRefused(Exception):
    """The user may not do this (403); `message` says why, in Russian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def can_publish(user) -> bool:
    """Editors and administrators: publish, pin, delete others' posts, «Молния», finish."""
    return user.has_perm(PUBLISH_PERMISSION)


def can_write(user) -> bool:
    return user.has_perm("live.add_livepost")


def can_edit(user, post: LivePost) -> bool:
    """Editors any post; authors their own drafts only."""
    if can_publish(user):
        return True
    return (
        user.has_perm("live.change_livepost")
        and post.author_id == user.pk
        and post.status == LivePost.DRAFT
    )


def line_key(page_id: int) -> str:
    return f"live:{page_id}"


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(strip_tags(html or ""))).strip()


def post_headline(post: LivePost) -> str:
    """The post's first sentence as plain text, at most 120 characters (a «молния»'s title)."""
    text = plain_text(post.text)
    sentence = re.split(r"(?<=[.!?…])\s", text, maxsplit=1)[0]
    if len(sentence) > TITLE_LIMIT:
        sentence = sentence[: TITLE_LIMIT - 1].rstrip() + "…"
    return sentence


def embed_url_check(url: str) -> None:
    """Only links an embed provider takes (the article body's; an iframe the CSP allows)."""
    if url and not any(finder.accept(url) for finder in get_finders()):
        raise ValidationError(
            {"embed_url": _("This link cannot be embedded: give a YouTube or Vimeo video link.")}
        )


def post_validate(post: LivePost) -> None:
    if not plain_text(post.text) and not post.image_id and not post.embed_url:
        raise ValidationError({"text": _("Write the post's text.")})
    embed_url_check(post.embed_url)


@dataclass(frozen=True)
class _Before:
    published: bool
    breaking: bool


def _state(post: LivePost | None) -> _Before:
    if post is None or post.pk is None:
        return _Before(False, False)
    return _Before(
        post.status == LivePost.PUBLISHED, post.status == LivePost.PUBLISHED and post.breaking
    )


def post_html(post: LivePost) -> str:
    """The post's `<li>`, the same template as the page's (full mode; lite readers reload)."""
    return render_to_string("live/includes/post.html", {"post": post})


def _coverage_locked(page_id: int) -> BroadcastCoverage:
    # The row lock orders concurrent writes to one broadcast (pins, the feed line's time).
    BroadcastCoverage.objects.get_or_create(page_id=page_id)
    return BroadcastCoverage.objects.select_for_update().get(page_id=page_id)


def broadcast_line_sync(page: LiveBroadcastPage) -> None:
    """The broadcast's one feed line: «Онлайн» while running, the newest published post's time,
    «Молния» while that newest post is one; withdrawn while the page is not live."""
    key = line_key(page.pk)
    if not page.live:
        feed_services.entry_withdraw(key)
        return
    latest = selectors.latest_published(page.pk)
    coverage = selectors.coverage_of(page.pk)
    rubric = page.get_parent().specific
    feed_services.entry_upsert(
        key=key,
        title=page.title,
        url=page.url,
        published_at=latest.posted_at if latest else (page.first_published_at or timezone.now()),
        rubric_title=rubric.title,
        rubric_url=rubric.url,
        online=coverage.running,
        breaking=bool(latest and latest.breaking),
    )


def _announce(page: LiveBroadcastPage, post: LivePost, before: _Before, removed: bool = False):
    """Stream, feed line, «Молния» and purge after a post changed (inside its transaction)."""
    after = _Before(False, False) if removed else _state(post)
    if before.published or after.published:
        if after.published:
            stream.post_upsert(post, post_html(post))
        else:
            stream.post_remove(page.pk, post.key)
        broadcast_line_sync(page)
        # This broadcast's page only; FEED re-renders the feed sidebar and the /news/ page, which
        # other pages carry as a lagging tag (they stay HITs, docs/architecture.md).
        events.content_changed_send({cache_tags.page(page.pk), cache_tags.FEED})
    if before.breaking or after.breaking:
        kind = (
            events.CHANGED
            if before.breaking and after.breaking
            else events.PUBLISHED
            if after.breaking
            else events.UNPUBLISHED
        )
        events.breaking_changed_send(
            events.BreakingEvent(
                kind=kind,
                key=f"live-post:{post.pk}",
                title=post_headline(post),
                url=f"{page.url}#post-{post.pk}",
                published_at=post.posted_at,
            )
        )


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PostRefused(message)


def _editor_only_fields(user, post: LivePost, before: LivePost | None) -> None:
    """Authors may not publish, pin or flag «Молния», whatever the form said."""
    if can_publish(user):
        return
    was = before or LivePost()
    _refuse_unless(
        post.status == LivePost.DRAFT or was.status == LivePost.PUBLISHED,
        _("Only editors publish posts."),
    )
    _refuse_unless(post.pinned == was.pinned, _("Only editors pin posts."))
    _refuse_unless(post.breaking == was.breaking, _("Only editors mark a post as «Молния»."))


@transaction.atomic
def post_save(page: LiveBroadcastPage, user, post: LivePost) -> LivePost:
    """Store a new or edited post (its fields already set on `post`) and announce it.

    Refuses (PostRefused) what the user may not do, and (ValidationError) what is not a post,
    before anything is stored.
    """
    _refuse_unless(can_write(user), _("You may not write posts in broadcasts."))
    stored = None
    if post.pk is not None:
        stored = LivePost.objects.select_for_update().filter(pk=post.pk, page_id=page.pk).first()
        if stored is None:
            raise PostRefused(_("This post has been deleted."))
        _refuse_unless(can_edit(user, stored), _("Authors edit only their own unpublished posts."))
    else:
        post.author = user
    post.page = page
    _editor_only_fields(user, post, stored)
    # An emptied time: an edit keeps the post's, a new post is now.
    post.posted_at = post.posted_at or (stored.posted_at if stored else timezone.now())
    post_validate(post)
    coverage = _coverage_locked(page.pk)
    if post.pinned:  # one pinned post per broadcast: the newest pin replaces the old one
        LivePost.objects.filter(page_id=page.pk, pinned=True).exclude(pk=post.pk).update(
            pinned=False
        )
    post.save()
    if post.status == LivePost.PUBLISHED and coverage.started_at is None:
        coverage.started_at = post.posted_at
        coverage.save(update_fields=["started_at"])
    _announce(page, post, _state(stored))
    return post


def _locked_post(page_id: int, post_id: int) -> LivePost:
    post = LivePost.objects.select_for_update().filter(pk=post_id, page_id=page_id).first()
    if post is None:
        raise PostRefused(_("This post has been deleted."))
    return post


@transaction.atomic
def post_set(page: LiveBroadcastPage, user, post_id: int, **changes) -> LivePost:
    """One switch on the screen: status, pinned, important, breaking."""
    post = _locked_post(page.pk, post_id)
    for name, value in changes.items():
        setattr(post, name, value)
    return post_save(page, user, post)


@transaction.atomic
def post_delete(page: LiveBroadcastPage, user, post_id: int) -> None:
    """Gone for readers at once (stream `remove`, page purge); editors any, authors own drafts."""
    post = _locked_post(page.pk, post_id)
    own_draft = post.author_id == user.pk and post.status == LivePost.DRAFT
    _refuse_unless(
        can_publish(user) or (own_draft and user.has_perm("live.change_livepost")),
        _("Only editors delete posts of others and published posts."),
    )
    before = _state(post)
    _coverage_locked(page.pk)
    post_id = post.pk
    post.delete()
    post.pk = post_id  # for the stream's key and the «молния»'s key
    _announce(page, post, before, removed=True)


@transaction.atomic
def broadcast_finish(page: LiveBroadcastPage, user, finished: bool = True) -> BroadcastCoverage:
    """«Завершить трансляцию» (coverage end now, the feed line loses «Онлайн») or resume it."""
    _refuse_unless(can_publish(user), _("Only editors finish or resume a broadcast."))
    coverage = _coverage_locked(page.pk)
    coverage.finished_at = (coverage.finished_at or timezone.now()) if finished else None
    coverage.save(update_fields=["finished_at"])
    broadcast_line_sync(page)
    events.content_changed_send({cache_tags.page(page.pk), cache_tags.FEED})
    return coverage


def broadcast_published(page: LiveBroadcastPage) -> None:
    """After a publish of the page: coverage starts (first publish), the feed line follows."""
    coverage = _coverage_locked(page.pk)
    if coverage.started_at is None:
        coverage.started_at = page.first_published_at or timezone.now()
        coverage.save(update_fields=["started_at"])
    broadcast_line_sync(page)


@transaction.atomic
def posts_import(page: LiveBroadcastPage, posts: list[LivePost]) -> list[LivePost]:
    """Store finished posts written elsewhere (the demo, an import) in one go, without the
    screen's rules: coverage starts at the earliest published one, the feed line follows."""
    for item in posts:
        item.page = page
        item.text = sanitize_rich_text(item.text)  # bulk_create skips save()
    stored = LivePost.objects.bulk_create(posts)
    published = [item.posted_at for item in stored if item.status == LivePost.PUBLISHED]
    coverage = _coverage_locked(page.pk)
    if published and (coverage.started_at is None or min(published) < coverage.started_at):
        coverage.started_at = min(published)
        coverage.save(update_fields=["started_at"])
    broadcast_line_sync(page)
    events.content_changed_send({cache_tags.page(page.pk), cache_tags.FEED})
    return stored
