"""nginx's microcache (deploy/nginx.conf.template, as deploy/prod-local.sh fills it) in front of a
real granian app process: the copy nginx serves carries the app's security headers, and once a
refreshed copy is out no worker serves the old one again (its `open_file_cache` keeps cache
files open between hits)."""

import shutil
import time
from pathlib import Path

import httpx
import pytest

from vestnik.core.tests import ports
from vestnik.delivery import csp
from vestnik.delivery.tests.nginx import nginx_running
from vestnik.feed.tests.servers import EditorSession, app_processes, database_url
from vestnik.feed.tests.test_live import PASSWORD, _draft
from vestnik.news.tests import factories

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed"),
]


@pytest.fixture
def page_cache_env(monkeypatch):
    # Read by the app process: its page cache on, its answers kept by nginx for a minute (so the
    # second request is nginx's copy however slow the machine).
    monkeypatch.setenv("VESTNIK_PAGE_CACHE", "true")
    monkeypatch.setenv("VESTNIK_PROXY_CACHE_SECONDS", "60")


def test_the_microcache_copy_carries_the_content_security_policy(rubric, tmp_path, page_cache_env):
    article = factories.article(rubric, title="Песков рассказал о разногласиях")
    with app_processes(database_url(tmp_path), count=1) as (app,):
        app_port = int(app.rsplit(":", 1)[1])
        port = ports.free_port(skip={app_port})
        with nginx_running(NGINX, HOST="127.0.0.1", PORT=port, APP_PORT=app_port):
            url = f"http://127.0.0.1:{port}{article.url}"
            first = httpx.get(url, timeout=30)
            second = httpx.get(url, timeout=30)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-edge-cache"] == "MISS"
    assert second.headers["x-edge-cache"] == "HIT"  # nginx's own copy: the app was not asked
    _name, reader, _admin = csp.policies()
    assert second.headers["content-security-policy"] == reader
    assert second.headers["x-frame-options"] == "DENY"
    assert second.headers["x-content-type-options"] == "nosniff"


def test_after_a_publish_the_refreshed_copy_is_the_only_one_any_worker_serves(
    rubric, editor_user, tmp_path, monkeypatch
):
    monkeypatch.setenv("VESTNIK_PAGE_CACHE", "true")
    monkeypatch.setenv("VESTNIK_PROXY_CACHE_SECONDS", "1")  # as prod-local
    monkeypatch.setenv("VESTNIK_PAGE_CACHE_TAG_MEMO", "0")
    factories.article(rubric, title="Вчерашняя новость")
    draft = _draft(rubric, "Свежая новость")
    with app_processes(database_url(tmp_path), count=1) as (app,):
        app_port = int(app.rsplit(":", 1)[1])
        port = ports.free_port(skip={app_port})
        with nginx_running(NGINX, HOST="127.0.0.1", PORT=port, APP_PORT=app_port):

            def home() -> httpx.Response:  # a new connection each time: any worker may take it
                return httpx.get(f"http://127.0.0.1:{port}/", timeout=30)

            for _ in range(50):  # nginx's workers hold the old copy's file open
                assert "Свежая новость" not in home().text
            EditorSession(app, "editor", PASSWORD).publish(draft.pk)
            for _ in range(100):  # the microcache's second, then one refresh
                if "Свежая новость" in home().text:
                    break
                time.sleep(0.05)
            else:
                raise AssertionError("the published headline never reached nginx's copy")
            later = [home() for _ in range(300)]
    assert all(response.status_code == 200 for response in later)
    assert all("Свежая новость" in response.text for response in later)
