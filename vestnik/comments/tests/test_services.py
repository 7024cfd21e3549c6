"""Writing comments and moderating them: statuses, exact counts, limits, notifications."""

import pytest
from django.core import mail
from django.test import TestCase

from vestnik.comments import services
from vestnik.comments.models import POST, PRE, ArticleModeration, Block, Comment
from vestnik.comments.tests.factories import comment, moderation_set
from vestnik.core import events
from vestnik.core.ratelimit import ratelimit_reset
from vestnik.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def _count(article) -> int:
    return ArticlePage.objects.get(pk=article.pk).comment_count


def test_pre_moderation_keeps_a_comment_pending_and_the_count_unchanged(article):
    moderation_set(PRE)
    created = comment(article)
    assert created.status == Comment.Status.PENDING
    assert _count(article) == 0


def test_post_moderation_publishes_at_once_and_counts_it(article):
    moderation_set(POST)
    created = comment(article)
    assert created.status == Comment.Status.PUBLISHED
    assert _count(article) == 1


def test_an_article_override_beats_the_site_setting(article):
    moderation_set(POST)
    ArticleModeration.objects.create(article=article, moderation=PRE)
    assert comment(article).status == Comment.Status.PENDING


def test_bulk_moderation_moves_the_count_both_ways_and_is_idempotent(article, editor_user):
    moderation_set(PRE)
    ids = [comment(article, address=f"192.0.2.{n}").pk for n in range(3)]
    assert services.comments_moderate(ids, "approve", editor_user) == 3
    assert _count(article) == 3
    assert services.comments_moderate(ids, "approve", editor_user) == 0  # nothing changes twice
    assert _count(article) == 3
    assert services.comments_moderate(ids[:1], "reject", editor_user) == 1
    assert services.comments_moderate(ids[1:2], "spam", editor_user) == 1
    assert _count(article) == 1
    assert Comment.objects.get(pk=ids[0]).moderated_by == editor_user


def test_approval_announces_the_article_and_its_listings_as_stale(article):
    moderation_set(PRE)
    pending = comment(article)
    seen = []
    events.content_changed.connect(receiver := lambda sender, tags, **kw: seen.append(tags))
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.comment_moderate(pending, "approve")
    finally:
        events.content_changed.disconnect(receiver)
    assert seen
    assert {f"article:{article.pk}", "home", f"rubric:{article.rubric_id}"} <= seen[0]
    assert f"story:{article.story_id}" in seen[0]


def test_a_reply_to_a_reply_joins_the_top_level_thread(article):
    moderation_set(POST)
    top = comment(article)
    reply = comment(article, parent_id=top.pk, address="192.0.2.2")
    nested = comment(article, parent_id=reply.pk, address="192.0.2.3")
    assert reply.parent == top
    assert nested.parent == top


def test_replying_to_an_unpublished_or_foreign_comment_is_refused(article, rubric):
    moderation_set(PRE)
    pending = comment(article)
    with pytest.raises(services.CommentRejected) as exc:
        comment(article, parent_id=pending.pk, address="192.0.2.9")
    assert exc.value.status == 400
    assert Comment.objects.count() == 1


def test_closed_comments_and_blocked_senders_are_refused_with_403_and_nothing_stored(article):
    Block.objects.create(name="Тролль")
    with pytest.raises(services.CommentRejected) as by_name:
        comment(article, name="тролль")
    Block.objects.create(sender_hash=services.sender_hash("198.51.100.7"))
    with pytest.raises(services.CommentRejected) as by_address:
        comment(article, address="198.51.100.7")
    ArticlePage.objects.filter(pk=article.pk).update(comments_enabled=False)
    with pytest.raises(services.CommentRejected) as closed:
        comment(ArticlePage.objects.get(pk=article.pk))
    assert by_name.value.status == by_address.value.status == closed.value.status == 403
    assert Comment.objects.count() == 0


def test_the_raw_address_is_never_stored(article):
    created = comment(article, address="203.0.113.77")
    stored = Comment.objects.filter(pk=created.pk).values()[0]
    assert "203.0.113.77" not in str(stored)
    assert created.sender_hash == services.sender_hash("203.0.113.77")


def test_rate_limit_per_address_refuses_and_a_busy_article_holds(article, rubric, settings):
    moderation_set(POST)
    settings.VESTNIK_COMMENTS_RATE_PER_ADDRESS = 2
    settings.VESTNIK_COMMENTS_RATE_PER_ARTICLE = 3
    comment(article)
    comment(article)
    with pytest.raises(services.CommentRejected) as per_address:
        comment(article)
    assert per_address.value.status == 429
    assert comment(article, address="192.0.2.50").status == Comment.Status.PUBLISHED
    # The article's limit is reached: later readers are not refused, their comments wait.
    held = [comment(article, address=f"192.0.2.{60 + n}") for n in range(3)]
    assert [c.status for c in held] == [Comment.Status.PENDING] * 3
    assert all(c.held for c in held)
    assert Comment.objects.count() == 6
    assert _count(article) == 3


def test_moderators_get_an_email_after_commit(article, editor_user, settings):
    editor_user.email = "editor@example.org"
    editor_user.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        created = comment(article, text="Про саммит")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@example.org"]
    assert "Про саммит" in mail.outbox[0].body
    assert created.pk


def test_twenty_comments_make_one_digest_per_moderator_in_the_window(article, settings):
    settings.VESTNIK_MODERATION_DIGEST_MINUTES = 15
    settings.VESTNIK_COMMENTS_RATE_PER_ADDRESS = 100
    settings.VESTNIK_COMMENTS_NOTIFY = ["editor@example.org", "chief@example.org"]
    for n in range(20):
        with TestCase.captureOnCommitCallbacks(execute=True):
            comment(article, text=f"Комментарий номер {n}")
    # The first comment opened the window and went out at once; the other 19 wait.
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["chief@example.org", "editor@example.org"]
    assert "Комментарий номер 0" in mail.outbox[0].body
    assert services.moderators_digest_send() == 0  # the scheduler's job, still in the window
    assert len(mail.outbox) == 1
    # The window is over (its count forgotten instead of waiting 15 minutes).
    ratelimit_reset("comments:digest")
    assert services.moderators_digest_send() == 19
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Комментарии ждут модерации: 19"
    assert "Комментарий номер 19" in mail.outbox[1].body
    assert not Comment.objects.filter(notified_at__isnull=True).exists()


def test_the_moderators_email_links_to_the_configured_site_from_its_sender(
    article, editor_user, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org:8443"
    settings.DEFAULT_FROM_EMAIL = "vestnik@news.example.org"
    editor_user.email = "editor@example.org"
    editor_user.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment(article, text="Про ссылки")
    message = mail.outbox[0]
    assert "https://news.example.org:8443/admin/snippets/comments/comment/" in message.body
    assert "127.0.0.1" not in message.body
    assert message.from_email == "vestnik@news.example.org"


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")


def test_a_failing_mail_server_never_loses_the_comment(article, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    settings.VESTNIK_COMMENTS_NOTIFY = ["desk@example.org"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        created = comment(article)
    assert Comment.objects.filter(pk=created.pk).exists()
    assert "moderator notification failed" in caplog.text


def test_publishing_an_old_revision_does_not_bring_back_a_stale_count(article):
    moderation_set(POST)
    comment(article)
    comment(article, address="192.0.2.2")
    assert _count(article) == 2
    page = ArticlePage.objects.get(pk=article.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.get_latest_revision().publish()  # saved when the count was 0
    assert _count(article) == 2


def test_import_publishes_threads_and_counts_them(article, settings):
    settings.VESTNIK_COMMENTS_NOTIFY = ["desk@example.org"]
    services.comments_import(article, [("А", "Текст", [("Б", "Ответ")]), ("В", "Ещё", [])])
    assert _count(article) == 3
    assert Comment.objects.filter(parent__isnull=False).count() == 1
    # Published elsewhere already: the moderators' digest has nothing to tell.
    assert services.moderators_digest_send() == 0
