"""Those refused the moderation queue are refused its bulk confirmations and every write too
(docs/security.md, «Права авторов»)."""

import pytest
from wagtail.models import Site

from vestnik.comments.models import PRE, ArticleModeration, Block, Comment, CommentSettings
from vestnik.comments.tests.factories import comment, moderation_set

pytestmark = pytest.mark.django_db

ACTIONS = ["approve", "reject", "spam", "block", "delete"]


@pytest.fixture
def comments(article):
    moderation_set(PRE)
    return [
        comment(article, name="Тайный Читатель", text="Спам про казино", address="192.0.2.7"),
        comment(article, name="Другой Читатель", text="Отклонённое мнение", address="192.0.2.8"),
    ]


def _bulk(action, comments):
    return f"/admin/bulk/comments/comment/{action}/?" + "&".join(f"id={c.pk}" for c in comments)


@pytest.mark.parametrize("action", ACTIONS)
def test_authors_get_no_bulk_confirmation_and_see_no_comment(client, author_user, comments, action):
    client.force_login(author_user)
    response = client.get(_bulk(action, comments))
    assert response.status_code == 403
    html = response.content.decode()
    reason = "нет доступа к этим записям" if action == "delete" else "только модераторы"
    assert reason in html
    for text in ("Тайный Читатель", "Спам про казино", "Другой Читатель", "Отклонённое мнение"):
        assert text not in html


@pytest.mark.parametrize("action", ACTIONS)
def test_authors_bulk_post_changes_nothing(client, author_user, comments, article, action):
    client.force_login(author_user)
    assert client.post(_bulk(action, comments)).status_code == 403
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.PENDING}
    assert not Block.objects.exists()


def test_editors_still_get_the_confirmation(client, editor_user, comments):
    client.force_login(editor_user)
    response = client.get(_bulk("approve", comments))
    assert response.status_code == 200
    assert "Спам про казино" in response.content.decode()


def test_authors_writes_to_the_queue_models_are_refused(client, author_user, comments, article):
    site = Site.objects.get(is_default_site=True)
    block = Block.objects.create(sender_hash="a" * 64, name="Старый", reason="тест")
    moderation = ArticleModeration.objects.create(article=article, moderation=PRE)
    first = comments[0]
    client.force_login(author_user)
    writes = [
        (f"/admin/snippets/comments/comment/edit/{first.pk}/", {"status": "published"}),
        (f"/admin/snippets/comments/comment/delete/{first.pk}/", {}),
        ("/admin/snippets/comments/block/add/", {"sender_hash": "b" * 64, "name": "Новый"}),
        (f"/admin/snippets/comments/block/edit/{block.pk}/", {"name": "Изменён", "reason": ""}),
        (f"/admin/snippets/comments/block/delete/{block.pk}/", {}),
        ("/admin/snippets/comments/articlemoderation/add/", {"article": article.pk}),
        (
            f"/admin/snippets/comments/articlemoderation/edit/{moderation.pk}/",
            {"article": article.pk, "moderation": "post"},
        ),
        (f"/admin/snippets/comments/articlemoderation/delete/{moderation.pk}/", {}),
        (f"/admin/settings/comments/commentsettings/{site.pk}/", {"moderation": "post"}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        # Wagtail's own refusal: back to the dashboard with «нет прав»; never a saved form.
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/", url
    assert Comment.objects.get(pk=first.pk).status == Comment.Status.PENDING
    assert list(Block.objects.values_list("name", flat=True)) == ["Старый"]
    assert ArticleModeration.objects.get().moderation == PRE
    assert CommentSettings.for_site(site).moderation == PRE
