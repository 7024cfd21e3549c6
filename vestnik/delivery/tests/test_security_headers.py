"""Content-Security-Policy on every response, the same on page-cache hits through both front doors
(Django's middleware and the ASGI hit path), and the production HTTPS switches read from the
environment."""

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vestnik.delivery import asgi, csp
from vestnik.news.tests import factories

ROOT = Path(__file__).resolve().parents[3]


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def article(rubric):
    return factories.article(rubric, title="Песков рассказал о разногласиях")


@pytest.mark.django_db
def test_reader_pages_forbid_inline_scripts_styles_and_eval(client, article):
    policy = client.get(article.url)["Content-Security-Policy"]
    rules = _directives(policy)
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in rules[directive]
        assert "'unsafe-eval'" not in rules[directive]
    assert rules["script-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"]
    assert rules["base-uri"] == ["'self'"]
    assert rules["form-action"] == ["'self'"]
    assert rules["frame-ancestors"] == ["'none'"]  # as X-Frame-Options: DENY
    assert "https://www.youtube.com" in rules["frame-src"]
    assert "nonce-" not in policy  # shared cached copies cannot carry a per-request nonce


@pytest.mark.django_db
def test_the_newsroom_gets_the_policy_wagtail_works_with(client, admin_user_):
    client.force_login(admin_user_)
    rules = _directives(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in rules["script-src"]
    assert "'unsafe-eval'" not in rules["script-src"]  # Wagtail 8 needs no eval
    assert rules["object-src"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'self'"]  # the preview panel frames the preview


@pytest.mark.django_db
def test_a_preview_leaves_the_policy_to_the_admin_request_around_it(article):
    # Wagtail renders a preview through a dummy request at the reader's URL, inside the admin's
    # request (the editor frames it). A reader policy set there (frame-ancestors 'none') would stick
    # (the outer layer only sets a missing header) and blank the preview panel.
    response = article.make_preview_request()
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_report_only_switch(client, article, settings):
    settings.VESTNIK_CSP_REPORT_ONLY = True
    response = client.get(article.url)
    assert "Content-Security-Policy" not in response
    assert "'self'" in response["Content-Security-Policy-Report-Only"]


@pytest.mark.django_db
def test_absolute_media_and_static_urls_are_allowed_sources(client, article, settings):
    settings.MEDIA_URL = "https://media.example.com/m/"
    rules = _directives(client.get(article.url)["Content-Security-Policy"])
    assert "https://media.example.com" in rules["img-src"]
    assert "https://media.example.com" in rules["media-src"]
    assert "https://media.example.com" not in rules["script-src"]


def test_the_error_page_style_is_the_one_the_policy_allows():
    # The error page keeps its style inline (it must render when the rest fails): its hash is in
    # style-src, so the two must stay byte for byte the same.
    template = (ROOT / "vestnik/templates/error_page.html").read_text()
    styles = re.findall(r"<style>(.*?)</style>", template, re.S)
    assert styles == [csp.ERROR_PAGE_STYLE]


def test_reader_templates_have_no_inline_script_handler_or_style():
    offenders = []
    for path in (ROOT / "vestnik").rglob("templates/**/*.html"):
        if "/admin/" in str(path) or "wagtailadmin" in str(path):
            continue
        text = re.sub(r"\{#.*?#\}", "", path.read_text())  # template comments
        text = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text, flags=re.S)
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text) or re.search(
            r"\son[a-z]+\s*=|\sstyle\s*=|javascript:", text
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_embeds_render_without_a_style_attribute():
    from django.template.loader import render_to_string
    from wagtail.embeds.models import Embed

    embed = Embed(
        url="https://www.youtube.com/watch?v=x",
        html='<iframe src="https://www.youtube.com/embed/x"></iframe>',
        width=480,
        height=270,
    )
    html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})
    assert "style=" not in html
    assert 'class="responsive-object"' in html


# --- page-cache hits: both front doors send the policy -----------------------------------------


def _scope(path):
    return {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
    }


@pytest.mark.django_db
def test_page_cache_hits_carry_the_policy_through_django_and_the_asgi_layer(
    client, article, settings
):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 60  # the ASGI layer serves purge times read lately
    _name, reader, _admin = csp.policies()
    assert client.get(article.url)["X-Cache"] == "MISS"
    django_hit = client.get(article.url)
    assert django_hit["X-Cache"] == "HIT"
    assert django_hit["Content-Security-Policy"] == reader

    async def django_app(scope, receive, send):
        raise AssertionError("a fresh hit must not reach Django")

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(asgi.cached_pages(django_app)(_scope(article.url), None, send))
    headers = dict(sent[0]["headers"])
    assert headers[b"x-cache"] == b"HIT"
    assert headers[b"content-security-policy"].decode() == reader


@pytest.mark.django_db
def test_a_policy_change_reaches_pages_cached_before_it(client, article, settings):
    # The policy is added around the cache, never stored in the entry: a deploy that changes it
    # does not wait for cached copies to expire.
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 60
    client.get(article.url)
    settings.VESTNIK_CSP_FRAME_SRC = ["https://rutube.ru"]
    hit = client.get(article.url)
    assert hit["X-Cache"] == "HIT"
    assert "frame-src https://rutube.ru;" in hit["Content-Security-Policy"]
    status, headers, _body = asgi._hit(_scope(article.url))
    assert "frame-src https://rutube.ru;" in headers["Content-Security-Policy"]


# --- production HTTPS switches ------------------------------------------------------------------

READ = (
    "import json; from vestnik.settings import production as s; print(json.dumps(["
    "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
    "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE,"
    "s.CSRF_COOKIE_SECURE]))"
)
PRODUCTION_ENV = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example.com"}


def production(**environ):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VESTNIK_H"))}
    env.update(PRODUCTION_ENV, **environ)
    out = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    hsts, subdomains, preload, redirect, proxy, session, csrf = json.loads(
        out.strip().splitlines()[-1]
    )
    return {
        "hsts": hsts,
        "subdomains": subdomains,
        "preload": preload,
        "redirect": redirect,
        "proxy": proxy,
        "session": session,
        "csrf": csrf,
    }


def test_production_defaults_redirect_to_https_with_secure_cookies_and_no_hsts_yet():
    assert production() == {
        "hsts": 0,
        "subdomains": False,
        "preload": False,
        "redirect": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "session": True,
        "csrf": True,
    }


def test_production_reads_the_https_switches_from_the_environment():
    got = production(
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_PROXY_SSL_HEADER="false",
    )
    assert got["hsts"] == 31536000
    assert got["subdomains"] is got["preload"] is True
    assert got["redirect"] is False
    assert got["proxy"] is None
    assert got["session"] is got["csrf"] is True


def test_plain_http_sites_get_no_redirect_and_cookies_that_work_over_http():
    got = production(VESTNIK_HTTPS="false")
    assert (got["redirect"], got["session"], got["csrf"]) == (False, False, False)


def test_the_older_hsts_name_still_works():
    assert production(VESTNIK_HSTS_SECONDS="600")["hsts"] == 600


def test_a_malformed_switch_stops_start_up():
    with pytest.raises(subprocess.CalledProcessError) as failed:
        production(DJANGO_SECURE_SSL_REDIRECT="maybe")
    assert "DJANGO_SECURE_SSL_REDIRECT" in failed.value.stderr


@pytest.mark.django_db
def test_behind_nginx_https_gets_hsts_on_hits_and_http_is_redirected(client, article, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.VESTNIK_PAGE_CACHE = True
    plain = client.get(article.url)
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    client.get(article.url, headers={"x-forwarded-proto": "https"})
    hit = client.get(article.url, headers={"x-forwarded-proto": "https"})
    assert hit["X-Cache"] == "HIT"
    assert hit["Strict-Transport-Security"] == "max-age=31536000"
    assert "Content-Security-Policy" in hit


def test_a_video_player_the_policy_would_block_is_refused_in_russian():
    from django.core.exceptions import ValidationError

    from vestnik.news.models import Video

    Video(title="Пресс-конференция", embed_url="https://rutube.ru/play/embed/abc").clean()
    with pytest.raises(ValidationError) as refused:
        Video(title="Пресс-конференция", embed_url="https://video.example/e/1").clean()
    assert "Плеер с этого адреса не покажется читателям" in str(refused.value)
    assert "https://rutube.ru" in str(refused.value)


def test_the_embed_block_takes_only_providers_the_policy_frames():
    from django.conf import settings
    from wagtail.embeds.finders import get_finders

    finders = get_finders()
    assert finders[0].accept("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert finders[0].accept("https://vimeo.com/76979871")
    assert not any(finder.accept("https://twitter.com/x/status/1") for finder in finders)
    assert "https://www.youtube.com" in settings.VESTNIK_CSP_FRAME_SRC
    assert "https://player.vimeo.com" in settings.VESTNIK_CSP_FRAME_SRC
