"""The broadcast screen and its rules, through the real admin views: authors write and correct
their own drafts; editors publish, pin, delete and flag «Молния»; nothing makes a page revision."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image
from wagtail.models import Revision

from vestnik.core import events
from vestnik.live.models import LivePost
from vestnik.news.models import NewsImage

from .helpers import broadcast, draftail, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(rubric):
    return broadcast(rubric)


def _screen(page):
    return f"/admin/live/{page.pk}/"


def _add(client, page, text="Президенты пожали руки.", action="publish", **fields):
    data = {"text": draftail(text), "action": action, **fields}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(_screen(page), data)


def _act(client, page, item, action):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/admin/live/{page.pk}/{item.pk}/action/", {"action": action})


@pytest.fixture
def breaking_events():
    seen = []

    def receiver(sender, event, **kwargs):
        seen.append(event)

    events.breaking_changed.connect(receiver)
    yield seen
    events.breaking_changed.disconnect(receiver)


def test_editor_adds_and_publishes_a_post_without_a_page_revision(client, page, editor_user):
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    live_revision = page.live_revision_id
    client.force_login(editor_user)
    response = _add(client, page, "Президенты пожали руки.")
    assert response.status_code == 302
    item = LivePost.objects.get()
    assert item.status == LivePost.PUBLISHED
    assert item.author == editor_user
    assert "Президенты пожали руки." in client.get(page.url).content.decode()
    # Edited, pinned, marked important: still no revision, the page needs no republish.
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/admin/live/{page.pk}/{item.pk}/",
            {"text": draftail("Президенты пожали руки и улыбнулись."), "action": "publish"},
        )
    _act(client, page, item, "pin")
    _act(client, page, item, "important")
    page.refresh_from_db()
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    assert page.live_revision_id == live_revision
    html = client.get(page.url).content.decode()
    assert "улыбнулись" in html
    assert "live__post--pinned live__post--important" in html
    screen = client.get(_screen(page)).content.decode()
    assert "улыбнулись" in screen


def test_author_writes_a_draft_but_cannot_publish_pin_or_flag(client, page, author_user):
    client.force_login(author_user)
    response = _add(client, page, "Черновик автора.", action="publish")
    assert response.status_code == 403
    assert "Публикуют посты только редакторы." in response.content.decode()
    assert not LivePost.objects.exists()

    assert _add(client, page, "Черновик автора.", action="draft").status_code == 302
    draft = LivePost.objects.get()
    assert draft.status == LivePost.DRAFT
    for action in ("publish", "pin"):
        assert _act(client, page, draft, action).status_code == 403, action
    # A forged form: the «Молния» and pin boxes are not shown to authors, and refused if sent.
    forged = {
        "text": draftail("Черновик автора."),
        "action": "draft",
        "breaking": "on",
        "pinned": "on",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/admin/live/{page.pk}/{draft.pk}/", forged)
    draft.refresh_from_db()
    assert (draft.status, draft.pinned, draft.breaking) == (LivePost.DRAFT, False, False)
    assert "Черновик автора" not in client.get(page.url).content.decode()
    # Their own draft: correct it, mark it important, delete it.
    assert _act(client, page, draft, "important").status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/admin/live/{page.pk}/{draft.pk}/",
            {"text": draftail("Исправлено."), "action": "draft", "important": "on"},
        )
    draft.refresh_from_db()
    assert "Исправлено." in draft.text
    assert draft.important
    assert _act(client, page, draft, "delete").status_code == 302
    assert not LivePost.objects.exists()


def test_author_cannot_touch_others_or_published_posts(client, page, author_user, editor_user):
    published = post(page, editor_user, "<p>Опубликовано редактором.</p>")
    drafted = post(page, editor_user, "<p>Черновик редактора.</p>", publish=False)
    client.force_login(author_user)
    for item in (published, drafted):
        assert client.get(f"/admin/live/{page.pk}/{item.pk}/").status_code == 403
        edit = {"text": draftail("Подмена."), "action": "draft"}
        assert client.post(f"/admin/live/{page.pk}/{item.pk}/", edit).status_code == 403
        assert _act(client, page, item, "delete").status_code == 403
        assert _act(client, page, item, "unpublish").status_code == 403
    assert LivePost.objects.count() == 2
    assert not LivePost.objects.filter(text__contains="Подмена").exists()


def test_no_group_no_screen(client, page, django_user_model):
    outsider = django_user_model.objects.create_user("reader", password="pass-for-tests-1")
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get(_screen(page)).status_code in (302, 403)
    assert _add(client, page).status_code in (302, 403)
    assert not LivePost.objects.exists()


def test_csrf_is_checked(page, editor_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor_user)
    response = strict.post(_screen(page), {"text": draftail("Без токена."), "action": "publish"})
    assert response.status_code == 403
    assert not LivePost.objects.exists()


def test_empty_text_is_refused_in_russian_and_nothing_stored(client, page, editor_user):
    client.force_login(editor_user)
    response = _add(client, page, "   ")
    assert response.status_code == 400
    assert "Напишите текст поста" in response.content.decode()
    assert not LivePost.objects.exists()


def test_oversized_photo_is_refused_and_nothing_stored(client, page, editor_user, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    client.force_login(editor_user)
    photo = SimpleUploadedFile("big.jpg", _jpeg(), content_type="image/jpeg")
    response = _add(client, page, "С фото.", photo=photo)
    assert response.status_code == 400
    assert "слишком большой" in response.content.decode()
    assert not LivePost.objects.exists()
    assert not NewsImage.objects.exists()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((300, 200), 90).convert("RGB").save(buffer, "JPEG")  # ~30 KB of noise
    return buffer.getvalue()


def test_an_embed_link_no_provider_takes_is_refused(client, page, editor_user):
    client.force_login(editor_user)
    response = _add(client, page, "Видео.", embed_url="https://evil.example/player")
    assert response.status_code == 400
    assert "встроить" in response.content.decode()
    assert not LivePost.objects.exists()


def test_breaking_post_sends_published_changed_unpublished(
    client, page, editor_user, breaking_events
):
    client.force_login(editor_user)
    _add(
        client,
        page,
        "Путин и Байден договорились о консультациях. Подробности позже.",
        breaking="on",
    )
    item = LivePost.objects.get()
    assert [e.kind for e in breaking_events] == [events.PUBLISHED]
    event = breaking_events[0]
    assert event.key == f"live-post:{item.pk}"
    assert event.title == "Путин и Байден договорились о консультациях."
    assert event.url == f"{page.url}#post-{item.pk}"
    assert event.published_at == item.posted_at
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/admin/live/{page.pk}/{item.pk}/",
            {
                "text": draftail("Путин и Байден договорились о стратегических консультациях."),
                "action": "publish",
                "breaking": "on",
            },
        )
    assert breaking_events[-1].kind == events.CHANGED
    _act(client, page, item, "unpublish")
    assert breaking_events[-1].kind == events.UNPUBLISHED
    _act(client, page, item, "publish")
    assert breaking_events[-1].kind == events.PUBLISHED
    _act(client, page, item, "delete")
    assert [e.kind for e in breaking_events] == [
        events.PUBLISHED,
        events.CHANGED,
        events.UNPUBLISHED,
        events.PUBLISHED,
        events.UNPUBLISHED,
    ]
    # An ordinary post sends nothing.
    _add(client, page, "Обычный пост.")
    assert len(breaking_events) == 5


def test_deleting_a_post_removes_it_for_readers(client, page, editor_user):
    item = post(page, editor_user, "<p>Ошибочный пост.</p>")
    assert "Ошибочный пост" in client.get(page.url).content.decode()
    client.force_login(editor_user)
    _act(client, page, item, "delete")
    client.logout()
    assert "Ошибочный пост" not in client.get(page.url).content.decode()
    assert not LivePost.objects.exists()


def test_menu_and_page_buttons_lead_to_the_screen(client, page, author_user):
    client.force_login(author_user)
    index = client.get("/admin/live/").content.decode()
    assert f'href="/admin/live/{page.pk}/"' in index
    listing = client.get(f"/admin/pages/{page.get_parent().pk}/").content.decode()
    assert f"/admin/live/{page.pk}/" in listing


def test_a_broadcast_is_a_page_type_of_a_rubric(client, rubric, author_user):
    client.force_login(author_user)
    response = client.get(f"/admin/pages/add/live/livebroadcastpage/{rubric.pk}/")
    assert response.status_code == 200
    assert (
        "Онлайн-трансляция" in client.get(f"/admin/pages/{rubric.pk}/add_subpage/").content.decode()
    )


def test_post_time_is_moscow_and_an_edit_keeps_it(client, page, editor_user):
    client.force_login(editor_user)
    _add(client, page, "Утренний пост.", posted_at="29.11.2026 09:05")
    item = LivePost.objects.get()
    assert timezone.localtime(item.posted_at).strftime("%d.%m.%Y %H:%M") == "29.11.2026 09:05"
    assert item.posted_at.utcoffset() is not None
    assert item.posted_at.hour == 6  # UTC
    form = client.get(f"/admin/live/{page.pk}/{item.pk}/").content.decode()
    assert 'value="29.11.2026 09:05"' in form
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/admin/live/{page.pk}/{item.pk}/",
            {"text": draftail("Утренний пост, исправлен."), "action": "publish", "posted_at": ""},
        )
    item.refresh_from_db()
    assert timezone.localtime(item.posted_at).strftime("%H:%M") == "09:05"
    _add(client, page, "Пост по часам.", posted_at="07:40")
    clock = LivePost.objects.get(text__contains="по часам")
    local = timezone.localtime(clock.posted_at)
    assert (local.date(), local.strftime("%H:%M")) == (timezone.localdate(), "07:40")


def test_bad_time_is_refused_in_russian(client, page, editor_user):
    client.force_login(editor_user)
    response = _add(client, page, "Пост.", posted_at="вчера вечером")
    assert response.status_code == 400
    assert "Введите правильную дату и время" in response.content.decode()
    assert not LivePost.objects.exists()
