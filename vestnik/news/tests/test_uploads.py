"""What an author may upload through the real admin forms: videos that really are videos, photos
of a sane size; anything else is refused in Russian and leaves nothing on disk or in the database."""

import io
import re
from pathlib import Path

import av
import numpy
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents.models import Document

from vestnik.news.models import NewsImage, Video
from vestnik.news.tasks import RENDITION_SPECS

pytestmark = pytest.mark.django_db

VIDEO_ADD = "/admin/snippets/news/video/add/"
IMAGE_ADD = "/admin/images/add/"
HOSTILE_HTML = b"<!doctype html><script>window.__pwned = 1; fetch('/admin/')</script>"
HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>window.__pwned = 1</script></svg>"
)


def tiny_video(container: str = "mp4", codec: str = "libx264") -> bytes:
    """A real half-second clip, drawn here (no fixtures to download)."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(5):
            pixels = numpy.full((48, 64, 3), index * 40, dtype=numpy.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def author(client, author_user):
    client.force_login(author_user)
    return client


def _add_video(client, name: str, content: bytes):
    return client.post(
        VIDEO_ADD,
        {"title": "Интервью", "file": SimpleUploadedFile(name, content), "embed_url": ""},
    )


def _stored(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("interview.html", HOSTILE_HTML, "Загрузите видео MP4, MOV или WebM"),
        ("evil.svg", HOSTILE_SVG, "Загрузите видео MP4, MOV или WebM"),
        ("interview.mp4", HOSTILE_HTML, "Этот файл не видео"),
        ("interview.webm", HOSTILE_SVG * 100, "Этот файл не видео"),
    ],
)
def test_anything_but_a_video_is_refused_and_nothing_is_stored(
    author, media_root, name, content, message
):
    response = _add_video(author, name, content)
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert not Video.objects.exists()
    assert _stored(media_root) == []


def test_a_video_over_the_size_limit_is_refused(author, media_root, settings):
    settings.VESTNIK_VIDEO_MAX_MB = 1
    # A real MP4 padded with a `free` box to 1.5 MB: valid, only too big.
    padding = 1_500_000
    clip = tiny_video() + padding.to_bytes(4, "big") + b"free" + bytes(padding - 8)
    response = _add_video(author, "interview.mp4", clip)
    assert "Файл видео больше 1 МБ" in response.content.decode()
    assert not Video.objects.exists()
    assert _stored(media_root) == []


@pytest.mark.parametrize(
    ("name", "container", "codec"),
    [("clip.mp4", "mp4", "libx264"), ("clip.webm", "webm", "libvpx")],
)
def test_a_real_video_is_accepted_with_its_duration(author, media_root, name, container, codec):
    response = _add_video(author, name, tiny_video(container, codec))
    assert response.status_code == 302, response.content.decode()[-3000:]
    video = Video.objects.get()
    assert video.file.name == f"video/{name}"
    assert video.duration.total_seconds() > 0  # read from the container
    assert (media_root / "video" / name).is_file()


def _add_image(client, name: str, content: bytes):
    return client.post(IMAGE_ADD, {"title": "Снимок", "file": SimpleUploadedFile(name, content)})


def _png(width: int, height: int, mode: str = "1") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_before_decoding(author, media_root):
    bomb = _png(10_000, 5_000)  # 50 megapixels in a few kilobytes
    assert len(bomb) < 200_000
    response = _add_image(author, "bomb.png", bomb)
    assert response.status_code == 200
    assert "слишком много пикселей" in response.content.decode()
    assert not NewsImage.objects.exists()
    assert _stored(media_root) == []


def test_svg_images_are_refused(author, media_root):
    response = _add_image(author, "evil.svg", HOSTILE_SVG)
    assert response.status_code == 200
    assert "Не поддерживаемый формат изображения" in response.content.decode()
    assert not NewsImage.objects.exists()
    assert _stored(media_root) == []


def test_an_ordinary_newsroom_photo_is_accepted(author, media_root):
    response = _add_image(author, "photo.png", _png(2400, 1600, "RGB"))  # 3.8 MP
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert NewsImage.objects.get().width == 2400


def test_a_new_photo_gets_the_sites_renditions_after_the_upload_commits(
    author, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _add_image(author, "photo.png", _png(1600, 900, "RGB"))
    assert response.status_code == 302
    image = NewsImage.objects.get()
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(RENDITION_SPECS)


def test_every_rendition_the_templates_ask_for_is_made_ahead():
    asked = set()
    for template in Path(settings.BASE_DIR, "vestnik", "templates").rglob("*.html"):
        for match in re.finditer(r"{% image \S+ ([^%]+?)(?: as \w+)? %}", template.read_text()):
            filters = [word for word in match.group(1).split() if "=" not in word]
            asked.add("|".join(filters))
    assert asked
    assert asked <= set(RENDITION_SPECS)


def _add_document(client, name: str, content: bytes):
    return client.post(
        "/admin/documents/add/", {"title": "Отчёт", "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("interview.html", HOSTILE_HTML, "не поддерживается"),
        ("evil.svg", HOSTILE_SVG, "не поддерживается"),
        ("interview.mp4", HOSTILE_HTML, "Этот файл не видео"),
    ],
)
def test_documents_are_whitelisted_and_checked_like_videos(
    author, media_root, name, content, message
):
    response = _add_document(author, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert _stored(media_root) == []


def test_documents_are_always_downloaded(author, media_root):
    assert _add_document(author, "report.pdf", b"%PDF-1.4 test").status_code == 302
    document = Document.objects.get()
    response = author.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
