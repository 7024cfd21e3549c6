"""Uploaded files are inert wherever they are served: the ASGI entry (what granian runs), the
dev/test view, nginx. A hostile legacy upload (HTML, SVG, HTML named .mp4) never runs as a page."""

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError

from vestnik.core.tests.ports import free_ports
from vestnik.delivery.media import files_app
from vestnik.delivery.tests.nginx import nginx_config
from vestnik.feed.tests.servers import _stop_group, database_url

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = b"<!doctype html><title>x</title><script>window.__pwned = 1</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned = 1</script></svg>'
# name → what the browser may be told (None: downloaded as application/octet-stream).
LEGACY = {
    "video/interview.html": None,
    "video/evil.svg": None,
    "video/interview.htm": None,
    "video/fake.mp4": "video/mp4",
    "images/photo.jpg": "image/jpeg",
    "documents/report.pdf": "application/pdf",
}


def _contents(name: str) -> bytes:
    return SVG if name.endswith(".svg") else HOSTILE * 40


def _legacy_uploads(media_root: Path) -> None:
    for name in LEGACY:
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(_contents(name))


def _assert_inert(name: str, headers) -> None:
    assert headers["x-content-type-options"] == "nosniff"
    policy = headers["content-security-policy"]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    content_type = headers["content-type"].split(";")[0]
    assert "html" not in content_type
    assert "svg" not in content_type
    assert "javascript" not in content_type
    if LEGACY[name] is None:
        assert content_type == "application/octet-stream", name
        assert headers["content-disposition"].startswith("attachment"), name
    else:
        assert content_type == LEGACY[name], name
    if content_type == "application/pdf":
        assert headers["content-disposition"].startswith("attachment")


# --- the ASGI handler itself ----------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    (tmp_path / "static").mkdir()
    _legacy_uploads(settings.MEDIA_ROOT)
    return settings.MEDIA_ROOT


def _call(path: str, method: str = "GET", **headers):
    """(status, headers, body) from files_app in front of an app that must not be reached."""

    async def django(scope, receive, send):
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"django"})

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": b"",
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }
    messages = []

    async def send(message):
        messages.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    # In a thread of its own: the browser fixture's event loop may be running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, files_app(django)(scope, receive, send)).result()
    start = messages[0]
    answer = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], answer, b"".join(m.get("body", b"") for m in messages[1:])


@pytest.mark.parametrize("name", LEGACY)
def test_the_asgi_entry_serves_every_upload_inert(media_root, name):
    status, headers, body = _call(f"/media/{name}")
    assert status == 200
    assert body == _contents(name)
    assert headers["content-length"] == str(len(body))
    _assert_inert(name, headers)


def test_ranges_heads_and_validators(media_root):
    name = "video/fake.mp4"
    whole = _contents(name)
    status, headers, body = _call(f"/media/{name}", range="bytes=10-19")
    assert (status, body) == (206, whole[10:20])
    assert headers["content-range"] == f"bytes 10-19/{len(whole)}"
    assert _call(f"/media/{name}", range="bytes=-5")[2] == whole[-5:]
    assert _call(f"/media/{name}", range=f"bytes={len(whole)}-")[0] == 416
    status, headers, body = _call(f"/media/{name}", "HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", str(len(whole)))
    assert _call(f"/media/{name}", if_none_match=headers["etag"])[0] == 304
    assert _call(f"/media/{name}", if_modified_since=headers["last-modified"])[0] == 304
    stale = _call(f"/media/{name}", range="bytes=0-1", if_range='"other"')
    assert (stale[0], stale[2]) == (200, whole)


def test_only_files_under_the_root_and_only_reads(media_root):
    (media_root.parent / "secret.txt").write_text("secret")
    for path in (
        "/media/../secret.txt",
        "/media/video/../../secret.txt",
        "/media/video/",
        "/media/none.jpg",
    ):
        status, headers, body = _call(path)
        assert status == 404, path
        assert headers["x-content-type-options"] == "nosniff"
    assert _call("/media/video/fake.mp4", "POST")[0] == 405
    assert _call("/news/")[2] == b"django"


def test_static_files_get_nosniff_and_their_own_type(media_root, settings):
    (settings.STATIC_ROOT / "site.css").write_text("body{}")
    status, headers, body = _call("/static/site.css")
    assert (status, body) == (200, b"body{}")
    assert headers["content-type"] == "text/css; charset=utf-8"
    assert headers["x-content-type-options"] == "nosniff"


# --- the dev/test view (VESTNIK_SERVE_MEDIA) ------------------------------------------------------


@pytest.mark.parametrize("name", LEGACY)
def test_the_django_media_view_serves_every_upload_inert(client, media_root, name):
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    _assert_inert(name, response.headers)


# --- the real embedded server: scripts/serve (granian) -------------------------------------------


def _serve(tmp_path: Path, db_url: str):
    port = free_ports(1)[0]
    env = {
        **os.environ,
        "VESTNIK_VENV": str(Path(sys.executable).parents[1]),
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.test",
        "DATABASE_URL": db_url,
        "VESTNIK_VAR_DIR": str(tmp_path),  # test settings: media in $VAR/test-media
        "DJANGO_DEBUG": "false",
    }
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve"), "127.0.0.1", str(port), "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(log.read().decode()[-2000:])
        try:
            httpx.get(url + "/media/", timeout=2)
            return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    _stop_group(process)
    raise RuntimeError("scripts/serve did not start")


@pytest.mark.embedded_only
@pytest.mark.django_db(transaction=True)
def test_granian_as_scripts_serve_runs_it_serves_legacy_uploads_inert(tmp_path):
    _legacy_uploads(tmp_path / "test-media")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "app.js").write_text("console.log(1)")
    process, url = _serve(tmp_path, database_url(tmp_path))
    try:
        for name in LEGACY:
            response = httpx.get(f"{url}/media/{name}")
            assert response.status_code == 200
            assert response.content == _contents(name)
            _assert_inert(name, response.headers)
        static = httpx.get(f"{url}/static/app.js")
        assert static.headers["x-content-type-options"] == "nosniff"
        assert static.headers["content-type"].startswith("text/javascript")
    finally:
        _stop_group(process)


@pytest.mark.browser
@pytest.mark.embedded_only
@pytest.mark.django_db(transaction=True)
def test_an_editor_opening_a_hostile_upload_runs_no_script(browser, editor_user, tmp_path):
    _legacy_uploads(tmp_path / "test-media")
    process, url = _serve(tmp_path, database_url(tmp_path))
    try:
        page = browser.new_page(accept_downloads=True)
        # The control: this content does set the flag when a browser runs it as a page.
        page.set_content(HOSTILE.decode())
        assert page.evaluate("window.__pwned") == 1

        page.goto(url + "/admin/login/")
        page.fill("input[name=username]", "editor")
        page.fill("input[name=password]", "pass-for-tests-1")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/admin/$"))
        for name in LEGACY:
            if LEGACY[name] in (None, "application/pdf"):  # attachments: saved, never shown
                with pytest.raises(PlaywrightError, match="Download is starting"):
                    page.goto(f"{url}/media/{name}")
            else:
                page.goto(f"{url}/media/{name}")
            assert page.evaluate("typeof window.__pwned") == "undefined", name
            # Nor inside the editor's own page, as a frame.
            page.goto(url + "/admin/")
            page.evaluate(
                """(src) => new Promise((done) => {
                    const frame = document.createElement("iframe");
                    frame.onload = done; frame.src = src; document.body.append(frame);
                    setTimeout(done, 2000);
                })""",
                f"/media/{name}",
            )
            assert page.evaluate("typeof window.__pwned") == "undefined", name
        page.close()
    finally:
        _stop_group(process)


# --- nginx (deploy/nginx.conf.template, as deploy/prod-local.sh fills it) -----------------------


@pytest.mark.skipif(not shutil.which("nginx"), reason="needs Debian's nginx")
def test_nginx_serves_legacy_uploads_inert():
    # nginx's workers run as nobody when started by root: a world-readable directory.
    base = Path(tempfile.mkdtemp(prefix="vestnik-nginx-"))
    base.chmod(0o755)
    try:
        var, run = base / "var", base / "run"
        run.mkdir()
        _legacy_uploads(var / "media")
        (var / "static").mkdir()
        (var / "static" / "app.css").write_text("body{}")
        for path in [var, *var.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        port, app_port = free_ports(2)
        config = nginx_config(
            RUN=run, LOG=run, VAR=var, HOST="127.0.0.1", PORT=port, APP_PORT=app_port
        )
        config = config.replace("daemon on;", "daemon off;")
        (base / "nginx.conf").write_text(config)
        process = subprocess.Popen(
            ["nginx", "-c", str(base / "nginx.conf"), "-e", str(run / "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
            for name in LEGACY:
                response = httpx.get(f"http://127.0.0.1:{port}/media/{name}")
                assert response.status_code == 200, name
                assert response.content == _contents(name)
                _assert_inert(name, response.headers)
                if LEGACY[name] and LEGACY[name].startswith(("image/", "video/")):
                    assert "content-disposition" not in response.headers
            static = httpx.get(f"http://127.0.0.1:{port}/static/app.css")
            assert static.headers["x-content-type-options"] == "nosniff"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)
    finally:
        shutil.rmtree(base, ignore_errors=True)
