"""Lite mode: who gets it, what it removes, and how caches keep the two variants apart."""

import pytest
from django.test import RequestFactory

from vestnik.delivery.lite import LiteModeMiddleware, cache_variant
from vestnik.news.models import Video
from vestnik.news.tests import factories

NOTICE = "Видео недоступно при нулевом балансе"


def _run(request):
    seen = {}

    def view(req):
        from django.http import HttpResponse

        seen["lite"] = req.lite_mode
        return HttpResponse("ok")

    response = LiteModeMiddleware(view)(request)
    return seen["lite"], response


def test_lite_mode_is_off_by_default():
    lite, response = _run(RequestFactory().get("/", HTTP_X_ZERO_RATED="1"))
    assert lite is False
    assert "Vary" not in response


def test_the_configured_header_switches_it_and_varies_the_response(settings):
    settings.VESTNIK_LITE_HEADER = "X-Zero-Rated"
    lite, response = _run(RequestFactory().get("/", HTTP_X_ZERO_RATED="yes"))
    assert lite is True
    assert "X-Zero-Rated" in response["Vary"]
    assert "private" not in response.get("Cache-Control", "")  # the header variant may be shared
    normal, response = _run(RequestFactory().get("/"))
    assert normal is False
    assert "X-Zero-Rated" in response["Vary"]  # the full page varies on it too


def test_only_configured_header_values_count(settings):
    settings.VESTNIK_LITE_HEADER = "X-Zero-Rated"
    settings.VESTNIK_LITE_HEADER_VALUES = ["on", "1"]
    assert _run(RequestFactory().get("/", HTTP_X_ZERO_RATED="ON"))[0] is True
    assert _run(RequestFactory().get("/", HTTP_X_ZERO_RATED="no"))[0] is False


def test_carrier_networks_switch_it_for_the_peer_address(settings):
    settings.VESTNIK_LITE_NETWORKS = ["10.64.0.0/10", "2a00:1fa0::/32"]
    assert _run(RequestFactory().get("/", REMOTE_ADDR="10.70.1.2"))[0] is True
    assert _run(RequestFactory().get("/", REMOTE_ADDR="2a00:1fa0::5"))[0] is True
    assert _run(RequestFactory().get("/", REMOTE_ADDR="192.0.2.1"))[0] is False
    lite, response = _run(RequestFactory().get("/", REMOTE_ADDR="10.70.1.2"))
    assert "private" in response["Cache-Control"]  # a shared cache cannot tell addresses apart


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(settings):
    settings.VESTNIK_LITE_NETWORKS = ["10.64.0.0/10"]
    forged = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.70.1.2")
    assert _run(forged)[0] is False
    settings.VESTNIK_TRUST_X_FORWARDED_FOR = True  # trusts the proxy on this machine only
    assert _run(forged)[0] is False
    settings.VESTNIK_TRUSTED_PROXIES = ["192.0.2.0/24"]
    assert _run(forged)[0] is True
    settings.VESTNIK_TRUSTED_PROXIES = []
    # Only the hop our proxy appended counts, not what the client put in front of it.
    spoofed = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.70.1.2, 192.0.2.1"
    )
    assert _run(spoofed)[0] is False


def test_lite_preview_is_private_and_the_cache_variant_follows_the_mode():
    request = RequestFactory().get("/", {"lite": "1"})
    lite, response = _run(request)
    assert lite is True
    assert "private" in response["Cache-Control"]
    assert cache_variant(request) == "lite"
    assert cache_variant(RequestFactory().get("/")) == "full"  # no attribute: full


@pytest.fixture
def article_with_video(rubric):
    video = Video.objects.create(
        title="Песков о переговорах", embed_url="https://video.example/e/1"
    )
    return factories.article(
        rubric,
        "Песков рассказал о разногласиях",
        video=video,
        body=[("embed", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")],
    )


@pytest.mark.django_db
def test_the_article_in_lite_mode_has_the_notice_and_no_video(client, rubric, article_with_video):
    video_only = factories.article(rubric, "Только видео", video=article_with_video.video)
    full = client.get(video_only.url).content.decode()
    assert NOTICE not in full
    assert "<iframe" in full
    # Never rendered in full here: the embed provider would be asked over the network.
    lite = client.get(article_with_video.url + "?lite=1").content.decode()
    assert lite.count(NOTICE) == 2  # the embed block and the article's video
    assert "<iframe" not in lite
    assert "<video" not in lite
    assert "video.example" not in lite


@pytest.mark.django_db
def test_the_lead_photo_is_a_small_rendition_in_lite_mode(client, rubric):
    from vestnik.demo.images import photo_jpeg
    from vestnik.news.models import NewsImage

    photo = NewsImage(title="Фото", file=photo_jpeg("Фото", seed=3))
    photo.save()
    article = factories.article(rubric, "Статья с фото", lead_image=photo)
    full = client.get(article.url).content.decode()
    lite = client.get(article.url + "?lite=1").content.decode()
    assert 'width="1200"' in full
    assert 'width="480"' in lite
    assert 'width="1200"' not in lite
