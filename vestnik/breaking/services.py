"""Writes: the banner's items (from core.events.breaking_changed) and the Telegram channel's posts.

A channel post is exactly-once per source key: `TelegramPost.key` is unique, the subscriber only
records what the message should say, and `post_sync` (a background task) makes Telegram agree,
claiming the row first so that two workers never talk to Telegram about the same key at once.
"""

import logging
import time
from datetime import timedelta
from html import escape

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vestnik.core import events, tags

from . import telegram
from .models import BreakingItem, TelegramPost

logger = logging.getLogger(__name__)

# A claim older than this is a worker that died mid-call: another may take the post over.
CLAIM_TIMEOUT = timedelta(minutes=5)
sleep = time.sleep  # tests record the waits instead


# --- the banner ---------------------------------------------------------------------------------


@transaction.atomic
def item_apply(event: events.BreakingEvent) -> BreakingItem | None:
    """Keep the banner's item for `event.key` as the event says; purge the banner (tags.BREAKING)."""
    item = BreakingItem.objects.select_for_update().filter(key=event.key).first()
    if event.kind == events.UNPUBLISHED:
        if item is not None and item.withdrawn_at is None:
            item.withdrawn_at = timezone.now()
            item.save(update_fields=["withdrawn_at", "updated_at"])
    elif item is None:
        item = BreakingItem.objects.create(
            key=event.key, title=event.title, url=event.url, published_at=event.published_at
        )
    else:
        item.title, item.url = event.title, event.url
        if event.kind == events.PUBLISHED:
            # Published again after a withdrawal: a new «молния», its window starts again.
            if item.withdrawn_at is not None:
                item.published_at = event.published_at
            item.withdrawn_at = None
        # CHANGED (a correction) keeps the window: a fixed typo is not new news.
        item.save()
    # A new one reaches cached pages through the lagging BREAKING; pages showing this one (its
    # own tag) re-render at once: a withdrawal or a correction must not wait.
    stale = {tags.BREAKING}
    if event.kind != events.PUBLISHED:
        stale.add(tags.breaking_item(event.key))
    events.content_changed_send(stale)
    return item


# --- the Telegram channel -----------------------------------------------------------------------


def absolute_url(url: str) -> str:
    """A site-relative address as readers outside the site open it (VESTNIK_BASE_URL)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + url.lstrip("/")


def message_text(title: str, url: str, *, breaking: bool) -> str:
    """The channel message in Telegram's HTML: the title escaped, the link absolute."""
    link = escape(absolute_url(url))
    headline = escape(title, quote=False)
    if breaking:
        headline = f"⚡ <b>{escape(_('Молния'))}.</b> {headline}"
    return f'{headline}\n<a href="{link}">{link}</a>'


def post_request(key: str, title: str, url: str, *, breaking: bool) -> TelegramPost | None:
    """The channel should carry this message for `key`: posted once, corrected when it differs.

    Returns the post whose sync (tasks.sync_enqueue) should run after commit, or None when there is nothing to do
    (Telegram off, or the channel already says exactly this).
    """
    if not telegram.enabled():
        return None
    text = message_text(title, url, breaking=breaking)
    values = {
        "chat_id": settings.VESTNIK_TELEGRAM_CHAT_ID,
        "text": text,
        "title": title,
        "url": url,
    }
    try:
        with transaction.atomic():
            return TelegramPost.objects.create(key=key, **values)
    except IntegrityError:  # posted (or being posted) before: a republish, or a racing worker
        pass
    with transaction.atomic():
        post = TelegramPost.objects.select_for_update().get(key=key)
        if post.withdrawn and post.state == TelegramPost.DELETED:
            # Withdrawn, deleted from the channel, now published again: a new message.
            post.message_id, post.sent_text, post.posted_at = None, "", None
        elif post.text == text and not post.withdrawn:
            return None
        post.text, post.title, post.url, post.withdrawn = text, title, url, False
        if post.state in (TelegramPost.FAILED, TelegramPost.DELETED):
            post.state, post.attempts, post.last_error = TelegramPost.PENDING, 0, ""
        post.save()
        return post


def post_exists(key: str) -> bool:
    return TelegramPost.objects.filter(key=key).exists()


def post_withdraw(key: str) -> TelegramPost | None:
    """The source left the site: delete its message if it went out less than
    VESTNIK_BREAKING_MINUTES ago (later the channel keeps it: deleting an old post draws more
    attention than it saves; logged)."""
    with transaction.atomic():
        post = TelegramPost.objects.select_for_update().filter(key=key).first()
        if post is None or post.withdrawn:
            return None
        post.withdrawn = True
        if post.message_id is None and post.state in (TelegramPost.PENDING, TelegramPost.FAILED):
            post.state = TelegramPost.DELETED  # never reached the channel: nothing to delete
        post.save(update_fields=["withdrawn", "state", "updated_at"])
    return post


def post_retry(post_id: int) -> TelegramPost:
    """«Повторить»: a failed post goes back to the queue with its attempts reset."""
    with transaction.atomic():
        post = TelegramPost.objects.select_for_update().get(pk=post_id)
        if post.state == TelegramPost.FAILED:
            post.state, post.attempts, post.last_error = TelegramPost.PENDING, 0, ""
            post.save(update_fields=["state", "attempts", "last_error", "updated_at"])
    return post


def _action(post: TelegramPost, now) -> str | None:
    """What Telegram must be told so the channel agrees with the row, if anything."""
    if post.withdrawn:
        if post.message_id is None or post.state == TelegramPost.DELETED:
            return None
        window = timedelta(minutes=settings.VESTNIK_BREAKING_MINUTES)
        if post.posted_at and now - post.posted_at > window:
            return "keep"
        return "delete"
    if post.message_id is None:
        return "send"
    if post.text != post.sent_text:
        return "edit"
    return None


def _claim(post_id: int) -> tuple[TelegramPost, str] | None:
    """Take the post for this worker (state SENDING) if something is to be done; None otherwise."""
    now = timezone.now()
    with transaction.atomic():
        post = TelegramPost.objects.select_for_update().filter(pk=post_id).first()
        if post is None or post.state == TelegramPost.FAILED:
            return None
        if post.state == TelegramPost.SENDING and post.claimed_at > now - CLAIM_TIMEOUT:
            return None  # another worker has it; it re-checks the row when it is done
        action = _action(post, now)
        if action is None:
            if post.state == TelegramPost.SENDING:  # a dead worker's claim
                post.state = TelegramPost.POSTED if post.message_id else TelegramPost.PENDING
                post.save(update_fields=["state", "updated_at"])
            return None
        if action == "keep":
            logger.info(
                "telegram: %s withdrawn more than %s min after its post; message %s kept",
                post.key,
                settings.VESTNIK_BREAKING_MINUTES,
                post.message_id,
            )
            post.state = TelegramPost.POSTED
            post.withdrawn = True
            post.save(update_fields=["state", "updated_at"])
            return None
        post.state, post.claimed_at = TelegramPost.SENDING, now
        post.save(update_fields=["state", "claimed_at", "updated_at"])
        return post, action


def _call(api: telegram.BotApi, post: TelegramPost, action: str):
    if action == "send":
        return api.send_message(post.chat_id, post.text)
    if action == "edit":
        return api.edit_message_text(post.chat_id, post.message_id, post.text)
    return api.delete_message(post.chat_id, post.message_id)


def post_sync(post_id: int, api: telegram.BotApi | None = None) -> TelegramPost | None:
    """Make the channel agree with the post's row: send, edit or delete, retrying failures.

    429 waits as long as Telegram says, 5xx/timeouts/refused connections back off; a bad token
    (401/404) or a refused message is not retried. After the last attempt the post is «ошибка»
    with the reason, for editors (Отчёты → Telegram). The publish is never undone.
    """
    api = api or telegram.BotApi()
    while (claimed := _claim(post_id)) is not None:
        post, action = claimed
        attempts = settings.VESTNIK_TELEGRAM_ATTEMPTS
        error = None
        result = None
        for attempt in range(1, attempts + 1):
            try:
                result = _call(api, post, action)
                error = None
                break
            except telegram.TelegramError as exc:
                error = exc
                logger.warning(
                    "telegram %s %s, attempt %s of %s: %s", action, post.key, attempt, attempts, exc
                )
                if exc.permanent or attempt == attempts:
                    break
                # Telegram's own wait when it names one, else 1, 2, 4… s; never past the cap.
                wait = exc.retry_after if exc.retry_after is not None else 2.0 ** (attempt - 1)
                sleep(min(wait, settings.VESTNIK_TELEGRAM_MAX_WAIT))
        with transaction.atomic():
            stored = TelegramPost.objects.select_for_update().get(pk=post_id)
            stored.attempts = attempt
            if error is not None:
                stored.state, stored.last_error = TelegramPost.FAILED, str(error)
                stored.save()
                logger.error("telegram %s %s failed: %s", action, stored.key, error)
                return stored
            stored.last_error = ""
            if action == "send":
                stored.message_id, stored.posted_at = result, timezone.now()
                stored.sent_text, stored.state = post.text, TelegramPost.POSTED
            elif action == "edit":
                stored.sent_text, stored.state = post.text, TelegramPost.POSTED
            else:
                stored.state = TelegramPost.DELETED
            stored.save()
        # The row may have changed while we talked to Telegram (a correction, a withdrawal):
        # the loop claims it again and does what is left.
    return TelegramPost.objects.filter(pk=post_id).first()
