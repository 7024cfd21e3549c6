"""The newsroom's moderation queue: who may moderate, bulk actions, blocking a sender."""

import pytest

from vestnik.comments import services
from vestnik.comments.models import PRE, Block, Comment
from vestnik.comments.tests.factories import comment, moderation_set
from vestnik.news.models import ArticlePage

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/comments/comment/"


@pytest.fixture
def pending(article):
    moderation_set(PRE)
    return [comment(article, text=f"Мнение {n}", address=f"192.0.2.{n}") for n in range(2)]


def _bulk(action, comments) -> str:
    ids = "&".join(f"id={c.pk}" for c in comments)
    return f"/admin/bulk/comments/comment/{action}/?next={QUEUE}&{ids}"


def test_editors_see_the_queue_with_each_comments_article(client, editor_user, pending, article):
    client.force_login(editor_user)
    response = client.get(QUEUE, {"status": "pending"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Мнение 0" in html
    assert "Мнение 1" in html
    assert article.title in html
    assert f'href="{article.url}"' in html


def test_the_queue_opens_on_pending_comments_each_linked_to_the_comment(
    client, editor_user, pending, article
):
    services.comment_moderate(pending[0], "approve")
    client.force_login(editor_user)
    html = client.get(QUEUE).content.decode()
    assert "Мнение 1" in html
    assert "Мнение 0" not in html  # published: not in the default view
    assert f'href="{QUEUE}edit/{pending[1].pk}/"' in html
    everything = client.get(QUEUE, {"status": ""}).content.decode()
    assert "Мнение 0" in everything
    assert "Мнение 1" in everything


def test_the_queue_filters_by_status_and_article(client, editor_user, pending, article):
    services.comment_moderate(pending[0], "approve")
    client.force_login(editor_user)
    html = client.get(QUEUE, {"status": "pending"}).content.decode()
    assert "Мнение 1" in html
    assert "Мнение 0" not in html
    assert "Мнение" not in client.get(QUEUE, {"article": "нет такой"}).content.decode()


def test_authors_cannot_see_or_moderate(client, author_user, pending, article):
    client.force_login(author_user)
    assert client.get(QUEUE).status_code in (302, 403)
    response = client.post(_bulk("approve", pending))
    assert response.status_code in (302, 403)
    assert Comment.objects.filter(status=Comment.Status.PUBLISHED).count() == 0
    assert ArticlePage.objects.get(pk=article.pk).comment_count == 0


def test_bulk_approve_then_reject_moves_the_count(client, editor_user, pending, article):
    client.force_login(editor_user)
    confirm = client.get(_bulk("approve", pending))
    assert confirm.status_code == 200
    assert "Мнение 0" in confirm.content.decode()
    assert client.post(_bulk("approve", pending)).status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).comment_count == 2
    client.post(_bulk("reject", pending[:1]))
    client.post(_bulk("spam", pending[1:]))
    assert ArticlePage.objects.get(pk=article.pk).comment_count == 0
    assert {c.status for c in Comment.objects.all()} == {"rejected", "spam"}


def test_blocking_a_sender_marks_spam_and_refuses_their_next_comment(
    client, editor_user, pending, article
):
    client.force_login(editor_user)
    client.post(_bulk("block", pending[:1]))
    assert Block.objects.get().sender_hash == services.sender_hash("192.0.2.0")
    assert Comment.objects.get(pk=pending[0].pk).status == Comment.Status.SPAM
    with pytest.raises(services.CommentRejected):
        comment(article, address="192.0.2.0")


def test_the_edit_form_moderates_through_the_service(client, editor_user, pending, article):
    client.force_login(editor_user)
    url = f"{QUEUE}edit/{pending[0].pk}/"
    assert client.post(url, {"status": "published"}).status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).comment_count == 1
    assert Comment.objects.get(pk=pending[0].pk).moderated_by == editor_user


def test_nobody_adds_comments_in_the_admin(client, admin_user_):
    client.force_login(admin_user_)
    assert client.get(f"{QUEUE}add/").status_code in (302, 403)
