"""The photo library's size warning: a photo too narrow to lead an article says so in the admin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from vestnik.news.models import LEAD_PHOTO_WIDTH

from . import factories

pytestmark = pytest.mark.django_db

WARNING = "главному фото статьи нужно не меньше 1200"


def _jpeg(width: int, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 100, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_warning_width_is_the_rendition_the_article_shows():
    template = open("vestnik/templates/news/article_page.html", encoding="utf-8").read()
    assert f"width-{LEAD_PHOTO_WIDTH}" in template


def test_a_narrow_photos_edit_page_warns_and_a_wide_ones_does_not(client, home, author_user):
    client.force_login(author_user)
    narrow = factories.image("Узкое", size=(800, 450))
    wide = factories.image("Широкое", size=(1600, 900))
    for photo in (narrow, wide):
        photo.uploaded_by_user = author_user
        photo.save()

    html = client.get(f"/admin/images/{narrow.pk}/").content.decode()
    assert "Ширина фото — 800 пикселей" in html
    assert WARNING in html
    assert WARNING not in client.get(f"/admin/images/{wide.pk}/").content.decode()


def test_the_form_after_an_upload_warns_of_a_narrow_photo(client, home, author_user):
    client.force_login(author_user)
    narrow = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("uzkoe.jpg", _jpeg(640), content_type="image/jpeg")},
    ).json()
    assert narrow["success"]
    assert "Ширина фото — 640 пикселей" in narrow["form"]
    wide = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("shirokoe.jpg", _jpeg(1200), content_type="image/jpeg")},
    ).json()
    assert wide["success"]
    assert WARNING not in wide["form"]


def _article_form(lead_image) -> dict:
    return nested_form_data(
        {
            "title": "Саммит в Женеве",
            "slug": "sammit-v-zheneve",
            "lead": "",
            "lead_image": lead_image.pk,
            "body": streamfield([]),
            "article_authors": inline_formset([]),
            "tags": "",
            "comments_enabled": "on",
        }
    )


def test_saving_an_article_with_a_narrow_lead_photo_warns(client, rubric, author_user):
    client.force_login(author_user)
    narrow = factories.image("Узкое", size=(900, 500))
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage", rubric.pk))
    response = client.post(add, _article_form(narrow), follow=True)
    html = response.content.decode()
    assert "Ширина фото — 900 пикселей" in html

    wide = factories.image("Широкое", size=(1400, 700))
    article = response.context["page"]
    edit = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    html = client.post(edit, _article_form(wide), follow=True).content.decode()
    assert WARNING not in html
    article.refresh_from_db()
    assert article.lead_image_id == wide.pk
