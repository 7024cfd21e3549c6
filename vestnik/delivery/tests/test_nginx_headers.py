"""nginx's microcache (deploy/nginx.conf.template, as deploy/prod-local.sh fills it) in front of a
real granian app process: the copy nginx serves carries the app's security headers."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from vestnik.delivery import csp
from vestnik.delivery.tests.nginx import nginx_config
from vestnik.feed.tests.servers import PORTS, app_processes, database_url
from vestnik.news.tests import factories

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed"),
]


def _free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port in VESTNIK_TEST_LIVE_PORTS")


def _nginx(app_port: int, port: int):
    # Not under pytest's tmp_path: nginx's workers (user nobody when run as root) write the cache.
    directory = Path(tempfile.mkdtemp(prefix="vestnik-test-nginx-"))
    directory.chmod(0o755)
    for sub in ("run", "log", "var"):
        (directory / sub).mkdir()
        (directory / sub).chmod(0o777)
    conf = nginx_config(
        RUN=directory / "run",
        LOG=directory / "log",
        VAR=directory / "var",
        HOST="127.0.0.1",
        PORT=port,
        APP_PORT=app_port,
    )
    (directory / "nginx.conf").write_text(conf)
    subprocess.run(
        [NGINX, "-c", str(directory / "nginx.conf"), "-e", str(directory / "log/error.log")],
        check=True,
    )
    return directory


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
        port = _free_port({app_port})
        directory = _nginx(app_port, port)
        try:
            url = f"http://127.0.0.1:{port}{article.url}"
            first = httpx.get(url, timeout=30)
            second = httpx.get(url, timeout=30)
        finally:
            # This nginx only, by its pid: a graceful stop.
            os.kill(int((directory / "run/nginx.pid").read_text()), signal.SIGQUIT)
            shutil.rmtree(directory, ignore_errors=True)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-edge-cache"] == "MISS"
    assert second.headers["x-edge-cache"] == "HIT"  # nginx's own copy: the app was not asked
    _name, reader, _admin = csp.policies()
    assert second.headers["content-security-policy"] == reader
    assert second.headers["x-frame-options"] == "DENY"
    assert second.headers["x-content-type-options"] == "nosniff"
