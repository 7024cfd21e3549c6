"""An author adds a photo in a real browser (Debian's chromium through Playwright): the menu item,
the upload page, the size warning, the caption and a focal point dragged over the photo."""

import io

import pytest
from PIL import Image

from vestnik.news.models import NewsImage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 100, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_author_uploads_captions_and_crops_a_photo(page, live_server, author_user):
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("author")
    page.locator("#id_password").fill("pass-for-tests-1")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Изображения").first.click()
    page.wait_for_url("**/admin/images/")
    page.goto(live_server.url + "/admin/images/multiple/add/")
    page.locator("input[type=file]").set_input_files(
        {"name": "sammit.jpg", "mimeType": "image/jpeg", "buffer": _jpeg(800, 450)}
    )
    form = page.locator("#upload-list form").first
    form.wait_for()
    assert "Ширина фото — 800 пикселей" in form.inner_text()
    photo = NewsImage.objects.get()
    assert photo.uploaded_by_user == author_user

    page.goto(live_server.url + f"/admin/images/{photo.pk}/")
    assert "главному фото статьи нужно не меньше 1200" in page.content()
    page.get_by_label("подпись").fill("Владимир Путин и Джо Байден")
    page.get_by_label("автор фото").fill("Александр Земляниченко / AP")
    # Drag a box over the left half of the photo: that is the focal point.
    box = page.locator(".focal-point-chooser").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 20, steps=8)
    page.mouse.up()
    page.locator("form button[type=submit]").filter(has_text="Сохранить").first.click()
    page.wait_for_load_state()

    photo.refresh_from_db()
    assert photo.caption == "Владимир Путин и Джо Байден"
    assert photo.credit == "Александр Земляниченко / AP"
    assert photo.focal_point_x is not None
    assert photo.focal_point_x < photo.width / 2  # the box's centre, on the left half
