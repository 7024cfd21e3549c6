"""What each newsroom group may see and do in the admin: the table docs/newsroom.md («Права групп»)
shows, walked area by area, so a permission granted on the wrong model fails here.

Members of a group only, never superusers: the table is what `setup_newsroom` grants.
"""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission, Site

from vestnik.live.models import LiveBroadcastPage
from vestnik.news.models import ArticlePage, Author, NewsImage, Video
from vestnik.news.services import ADMINS, AUTHORS, EDITORS, newsroom_setup

from . import factories

pytestmark = pytest.mark.django_db

OK = 200
DENIED = "→ /admin/"  # Wagtail's refusal: back to the dashboard with «нет прав»
FORBIDDEN = 403


# Every admin area, its URL (from the objects of the `newsroom` fixture) and what a GET answers
# for (Авторы, Редакторы, Администраторы). DENIED: Wagtail sends the member back to the dashboard.
def _table(o) -> dict[str, tuple[str, tuple]]:
    home, rubric, article = o["home"].pk, o["rubric"].pk, o["article"].pk
    site = Site.objects.get(is_default_site=True).pk
    return {
        "Страницы": (f"/admin/pages/{home}/", (OK, OK, OK)),
        "Страницы: рубрика": (f"/admin/pages/{rubric}/", (OK, OK, OK)),
        "Статья: новая": (f"/admin/pages/add/news/articlepage/{rubric}/", (OK, OK, OK)),
        "Статья: свой черновик": (f"/admin/pages/{o['own_draft'].pk}/edit/", (OK, OK, OK)),
        "Статья: чужая": (f"/admin/pages/{article}/edit/", (DENIED, OK, OK)),
        "Статья: люди, организации, места": (
            f"/admin/entities/article/{article}/",
            (DENIED, OK, OK),
        ),
        "Статья: похожие статьи": (f"/admin/related/article/{article}/", (DENIED, OK, OK)),
        "Трансляции": ("/admin/live/", (OK, OK, OK)),
        "Трансляция: посты": (f"/admin/live/{o['broadcast'].pk}/", (OK, OK, OK)),
        "Изображения": ("/admin/images/", (OK, OK, OK)),
        "Изображения: загрузка": ("/admin/images/multiple/add/", (OK, OK, OK)),
        "Изображения: загрузка одного": ("/admin/images/add/", (OK, OK, OK)),
        "Изображения: своё фото": (f"/admin/images/{o['own_image'].pk}/", (OK, OK, OK)),
        "Изображения: чужое фото": (f"/admin/images/{o['other_image'].pk}/", (DENIED, OK, OK)),
        "Изображения: выбор": ("/admin/images/chooser/", (OK, OK, OK)),
        "Документы": ("/admin/documents/", (OK, OK, OK)),
        "Документы: загрузка": ("/admin/documents/add/", (OK, OK, OK)),
        "Редакция → Авторы": ("/admin/snippets/news/author/", (OK, OK, OK)),
        "Редакция → Авторы: новый": ("/admin/snippets/news/author/add/", (DENIED, OK, OK)),
        "Редакция → Авторы: правка": (
            f"/admin/snippets/news/author/edit/{o['byline'].pk}/",
            (DENIED, OK, OK),
        ),
        "Редакция → Видео": ("/admin/snippets/news/video/", (OK, OK, OK)),
        "Редакция → Видео: новое": ("/admin/snippets/news/video/add/", (OK, OK, OK)),
        "Редакция → Видео: правка": (
            f"/admin/snippets/news/video/edit/{o['video'].pk}/",
            (DENIED, OK, OK),
        ),
        "Промо-блоки": ("/admin/snippets/promos/promo/", (DENIED, OK, OK)),
        "Промо-блоки: новый": ("/admin/snippets/promos/promo/add/", (DENIED, OK, OK)),
        "Заявки": ("/admin/leads/", (DENIED, OK, OK)),
        "Комментарии → Очередь модерации": ("/admin/snippets/comments/comment/", (DENIED, OK, OK)),
        "Комментарии → Блокировки": ("/admin/snippets/comments/block/", (DENIED, OK, OK)),
        "Комментарии → Модерация статей": (
            "/admin/snippets/comments/articlemoderation/",
            (DENIED, OK, OK),
        ),
        "Настройки → Комментарии": (
            f"/admin/settings/comments/commentsettings/{site}/",
            (DENIED, DENIED, OK),
        ),
        "Настройки → Курсы валют": ("/admin/settings/markets/ratessettings/", (DENIED, OK, OK)),
        "Настройки → Перенаправления": ("/admin/redirects/", (DENIED, DENIED, DENIED)),
        "Настройки → Сайты": ("/admin/sites/", (DENIED, DENIED, DENIED)),
        "Настройки → Коллекции": ("/admin/collections/", (DENIED, DENIED, DENIED)),
        "Настройки → Рабочие процессы": ("/admin/workflows/list/", (DENIED, DENIED, DENIED)),
        "Настройки → Задачи рабочего процесса": (
            "/admin/workflows/tasks/index/",
            (DENIED, DENIED, DENIED),
        ),
        "Настройки → Пользователи": ("/admin/users/", (DENIED, DENIED, DENIED)),
        "Настройки → Группы": ("/admin/groups/", (DENIED, DENIED, DENIED)),
        "Отчёты → Заблокированные страницы": ("/admin/reports/locked/", (DENIED, OK, OK)),
        "Отчёты → Рабочие процессы": ("/admin/reports/workflow/", (OK, OK, OK)),
        "Отчёты → История действий": ("/admin/reports/site-history/", (OK, OK, OK)),
        "Отчёты → Устаревающие страницы": ("/admin/reports/aging-pages/", (OK, OK, OK)),
        "Отчёты → Telegram": ("/admin/telegram/", (DENIED, OK, OK)),
        # It names the last edited page of each type, often another author's draft.
        "Отчёты → Типы страниц": ("/admin/reports/page-types-usage/", (FORBIDDEN, OK, OK)),
    }


# The main menu each group gets (item URLs, submenus included).
_EVERYONE = {
    "/admin/pages/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/snippets/news/author/",
    "/admin/snippets/news/video/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/live/",
}
_EDITORS = {
    *_EVERYONE,
    "/admin/reports/page-types-usage/",
    "/admin/snippets/promos/promo/",
    "/admin/leads/",
    "/admin/snippets/comments/comment/",
    "/admin/snippets/comments/block/",
    "/admin/snippets/comments/articlemoderation/",
    "/admin/settings/markets/ratessettings/",
    "/admin/reports/locked/",
    "/admin/telegram/",
}
MENUS = {
    AUTHORS: _EVERYONE,
    EDITORS: _EDITORS,
    ADMINS: {*_EDITORS, "/admin/settings/comments/commentsettings/"},
}
GROUPS = (AUTHORS, EDITORS, ADMINS)
# What the dashboard's summary adds from other apps: the count of readers subscribed to «молнии»
# (push.view_pushsubscription; the subscriptions themselves are in no admin view).
DASHBOARD = {
    AUTHORS: [],
    EDITORS: ["0 подписчиков на молнии (рассылка выключена: нет ключей VAPID)"],
    ADMINS: ["0 подписчиков на молнии (рассылка выключена: нет ключей VAPID)"],
}


def _jpeg(width: int = 1600, height: int = 900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 100, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def _member(name: str, group: str):
    user = get_user_model().objects.create_user(username=name, password="pass-for-tests-1")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def newsroom(rubric):
    editor = _member("other-editor", EDITORS)
    article = factories.article(rubric, title="Чужая статья")
    other_image = factories.image("Чужое фото")
    other_image.uploaded_by_user = editor
    other_image.save()
    get_document_model().objects.create(
        title="Пресс-релиз", file=SimpleUploadedFile("reliz.txt", b"text")
    )
    broadcast = LiveBroadcastPage(title="Трансляция", slug="translyatsiya")
    rubric.add_child(instance=broadcast)
    broadcast.save_revision().publish()
    return {
        "home": rubric.get_parent(),
        "rubric": rubric,
        "article": article,
        "broadcast": broadcast,
        "other_image": other_image,
        "byline": Author.objects.create(name="Иван Петров"),
        "video": Video.objects.create(title="Ролик", embed_url="https://example.com/v"),
    }


def _as(newsroom, group: str):
    user = _member(f"member-{group}", group)
    own_draft = ArticlePage(title="Свой черновик", slug="svoi-chernovik", live=False, owner=user)
    newsroom["rubric"].add_child(instance=own_draft)
    own_draft.save_revision(user=user)
    own_image = factories.image("Своё фото")
    own_image.uploaded_by_user = user
    own_image.save()
    return user, {**newsroom, "own_draft": own_draft, "own_image": own_image}


def _get(client, url: str):
    """A GET, following the one redirect an area makes to its own canonical URL (a generic
    setting's edit page adds its id) but never a refusal's."""
    response = client.get(url)
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(url) and location != url:
        response = client.get(location)
    return response


def _outcome(response):
    if response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
        return DENIED
    if response.status_code == 302:
        return f"→ {response['Location']}"
    return response.status_code


def _menu(client) -> set[str]:
    """The admin's main menu as the sidebar gets it: every item's URL, submenus included."""
    html = client.get("/admin/").content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    modules = json.loads(props.group(1))["modules"]
    main = next(m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule")
    urls = set()

    def walk(node):
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, str) and url.startswith("/admin/"):
                urls.add(url)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(main["_args"][0])
    return urls


def _dashboard_extras(client) -> list[str]:
    html = client.get("/admin/").content.decode()
    items = re.findall(r'<li class="push-summary">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_sees_exactly_its_admin_areas(client, newsroom, group):
    user, objects = _as(newsroom, group)
    client.force_login(user)
    column = GROUPS.index(group)
    table = _table(objects)
    expected = {area: outcomes[column] for area, (_, outcomes) in table.items()}
    got = {area: _outcome(_get(client, url)) for area, (url, _) in table.items()}
    assert got == expected
    assert _menu(client) == MENUS[group]
    assert _dashboard_extras(client) == DASHBOARD[group]


def _photo_form(prefix: str = "", **fields) -> dict:
    data = {
        "title": "Саммит в Женеве",
        "caption": "Владимир Путин и Джо Байден",
        "credit": "Александр Земляниченко / AP",
        "collection": Collection.get_first_root_node().pk,
        "tags": "",
        **fields,
    }
    return {f"{prefix}{name}": value for name, value in data.items()}


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_uploads_a_photo_with_caption_and_credit(client, newsroom, group):
    user, _ = _as(newsroom, group)
    client.force_login(user)
    upload = SimpleUploadedFile("sammit.jpg", _jpeg(), content_type="image/jpeg")
    response = client.post("/admin/images/add/", _photo_form(file=upload))
    assert response.status_code == 302
    photo = NewsImage.objects.get(title="Саммит в Женеве")
    assert photo.uploaded_by_user == user
    assert (photo.caption, photo.credit) == (
        "Владимир Путин и Джо Байден",
        "Александр Земляниченко / AP",
    )


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_chooses_and_uploads_in_the_article_photo_chooser(client, newsroom, group):
    user, objects = _as(newsroom, group)
    client.force_login(user)
    chooser = client.get("/admin/images/chooser/").json()["html"]
    assert objects["other_image"].title in chooser  # the whole library to choose from
    assert 'name="image-chooser-upload-file"' in chooser  # …and the upload tab

    upload = SimpleUploadedFile("sammit.jpg", _jpeg(), content_type="image/jpeg")
    response = client.post(
        "/admin/images/chooser/create/",
        _photo_form("image-chooser-upload-", file=upload),
    )
    assert response.json()["step"] == "chosen"
    assert NewsImage.objects.get(title="Саммит в Женеве").uploaded_by_user == user


def test_an_author_crops_and_captions_own_photos_but_not_a_colleagues(client, newsroom):
    user, objects = _as(newsroom, AUTHORS)
    client.force_login(user)
    crop = {"focal_point_x": 20, "focal_point_y": 10, "focal_point_width": 16}
    crop["focal_point_height"] = 12
    own, other = objects["own_image"], objects["other_image"]

    response = client.post(f"/admin/images/{own.pk}/", _photo_form(title="Своё", **crop))
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.focal_point_x, own.focal_point_y, own.caption) == (
        20,
        10,
        "Владимир Путин и Джо Байден",
    )

    response = client.post(f"/admin/images/{other.pk}/", _photo_form(title="Чужое", **crop))
    assert _outcome(response) == DENIED
    other.refresh_from_db()
    assert (other.title, other.focal_point_x, other.caption) == ("Чужое фото", None, "")


@pytest.mark.parametrize("group", [EDITORS, ADMINS])
def test_editors_crop_and_caption_anyones_photo(client, newsroom, group):
    user, objects = _as(newsroom, group)
    client.force_login(user)
    other = objects["other_image"]
    response = client.post(
        f"/admin/images/{other.pk}/", _photo_form(title="Чужое", focal_point_x=30)
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.focal_point_x, other.credit) == (30, "Александр Земляниченко / AP")


def test_setup_on_an_old_install_replaces_the_grants_wagtail_never_checked(home):
    """Earlier set-ups granted news.NewsImage's codenames; running it again leaves only working
    grants, and a second run changes nothing."""
    authors = Group.objects.get(name=AUTHORS)
    stale = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(NewsImage), codename="add_newsimage"
    )
    GroupCollectionPermission.objects.create(
        group=authors, collection=Collection.get_first_root_node(), permission=stale
    )
    newsroom_setup()
    grants = set(
        GroupCollectionPermission.objects.values_list("group__name", "permission__codename")
    )
    assert (AUTHORS, "add_newsimage") not in grants
    assert {(AUTHORS, "add_image"), (AUTHORS, "choose_image")} <= grants
    assert {(EDITORS, "change_image"), (EDITORS, "delete_image")} <= grants
    assert (AUTHORS, "change_image") not in grants

    newsroom_setup()
    assert (
        set(GroupCollectionPermission.objects.values_list("group__name", "permission__codename"))
        == grants
    )


BREAKING_INPUT = re.compile(r'<input[^>]+name="breaking"')


@pytest.mark.parametrize("group", GROUPS)
def test_only_editors_see_and_set_the_breaking_flag(client, newsroom, group):
    """«Молния» is an editor's call: authors neither see the checkbox nor change it by a POST."""
    from django.test import TestCase

    user, objects = _as(newsroom, group)
    client.force_login(user)
    draft = objects["own_draft"]
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    form = client.get(url).content.decode()
    may = group != AUTHORS
    assert bool(BREAKING_INPUT.search(form)) is may
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url, factories.admin_article_form("Свой черновик", "svoi-chernovik", breaking="on")
        )
    draft = ArticlePage.objects.get(pk=draft.pk)
    latest = draft.get_latest_revision_as_object()
    if may:
        assert response.status_code == 302
        assert latest.breaking is True
    else:
        assert response.status_code == 200
        assert "Отмечать статью как «молнию» могут только редакторы" in response.content.decode()
        assert latest.breaking is False
        assert draft.breaking is False
