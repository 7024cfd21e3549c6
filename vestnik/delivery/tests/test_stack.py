"""The production stack for real: two app processes on one PostgreSQL and one Redis, started here
on spare ports (never the machine's shared servers), then the database and Redis killed and restarted."""

import glob
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [""]
PG_BIN = PG_BIN[0]
BASE = int(os.environ.get("VESTNIK_TEST_STACK_PORT", "8700"))
PG_PORT, REDIS_PORT, APP_A, APP_B = BASE, BASE + 1, BASE + 2, BASE + 3
ARTICLE = "/politika/peskov-rasskazal-o-raznoglasiiakh-putina-i-baidena/"

pytestmark = [
    pytest.mark.skipif(
        not (
            PG_BIN
            and shutil.which("redis-server")
            and shutil.which("granian", path=str(Path(sys.executable).parent))
        ),
        reason="needs Debian's postgresql and redis-server",
    ),
    # The stack brings its own PostgreSQL and Redis whatever the suite runs on, so one run is
    # enough: `make test` runs it, `make test-prod` (DATABASE_URL on PostgreSQL) does not again.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="same stack as under make test (it starts its own PostgreSQL and Redis)",
    ),
]


def _as_pg(args):
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _wait(port, up=True, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if (sock.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.1)
    raise AssertionError(f"port {port} not {'up' if up else 'down'}")


class Stack:
    def __init__(self, directory: Path):
        self.dir = directory
        self.pgdata = directory / "pgdata"
        self.apps: list[subprocess.Popen] = []
        self.redis = None
        self.env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="vestnik.settings.production",
            DJANGO_SECRET_KEY="stack-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            VESTNIK_HTTPS="false",
            VESTNIK_VAR_DIR=str(directory / "var"),
            VESTNIK_LOG_LEVEL="ERROR",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/vestnik",
            REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        )

    def pg_start(self):
        subprocess.run(
            _as_pg(
                [
                    f"{PG_BIN}/pg_ctl",
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.pgdata / "server.log"),
                    "-w",
                    "-o",
                    f"-p {PG_PORT} -k {self.pgdata} -c listen_addresses=127.0.0.1",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def pg_stop(self):
        subprocess.run(
            _as_pg([f"{PG_BIN}/pg_ctl", "-D", str(self.pgdata), "-m", "immediate", "stop"]),
            capture_output=True,
        )

    def redis_start(self):
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        _wait(REDIS_PORT)

    def redis_stop(self):
        self.redis.kill()
        self.redis.wait()
        _wait(REDIS_PORT, up=False)

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def app_start(self, port):
        granian = str(Path(sys.executable).parent / "granian")
        self.apps.append(
            subprocess.Popen(
                [
                    granian,
                    "--interface",
                    "asginl",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                    "--log-level",
                    "error",
                    "vestnik.asgi:application",
                ],
                cwd=ROOT,
                env=self.env,
                start_new_session=True,
            )
        )
        _wait(port)

    def stop_all(self):
        for app in self.apps:
            os.killpg(app.pid, signal.SIGTERM)
            app.wait(10)
        if self.redis and self.redis.poll() is None:
            self.redis_stop()
        self.pg_stop()


@pytest.fixture(scope="module")
def stack():
    directory = Path(tempfile.mkdtemp(prefix="vestnik-stack-"))
    os.chmod(directory, 0o755)
    stack = Stack(directory)
    try:
        stack.pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(stack.pgdata, "postgres")
        subprocess.run(
            _as_pg(
                [
                    f"{PG_BIN}/initdb",
                    "-D",
                    str(stack.pgdata),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        stack.pg_start()
        subprocess.run(
            [
                f"{PG_BIN}/createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                "postgres",
                "vestnik",
            ],
            check=True,
        )
        stack.redis_start()
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("setup_newsroom", "--hostname", "127.0.0.1", "--port", str(APP_A))
        stack.manage(
            "shell",
            "-c",
            "from vestnik.demo.services import demo_seed, demo_users; "
            "demo_seed(filler_per_rubric=0); demo_users()",
        )
        stack.manage("collectstatic", "--noinput", "-v0")
        stack.app_start(APP_A)
        stack.app_start(APP_B)
        yield stack
    finally:
        stack.stop_all()
        shutil.rmtree(directory, ignore_errors=True)


def _get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _editor_unpublishes(port, page_id):
    """An editor logs in to app A's newsroom and unpublishes the page (real forms, real CSRF)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"

    def post(path, fields):
        page = opener.open(base + path, timeout=20).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(base + path, data=data, headers={"Referer": base + path})
        return opener.open(request, timeout=20)

    post("/admin/login/", {"username": "editor", "password": "vestnik-editor"})
    post(f"/admin/pages/{page_id}/unpublish/", {})


def _article_id(stack):
    out = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from vestnik.news.models import ArticlePage; "
            "print(ArticlePage.objects.get(slug='peskov-rasskazal-o-raznoglasiiakh-putina-i-baidena').pk)",
        ],
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def test_an_unpublish_through_one_app_process_purges_the_cache_of_the_other(stack):
    _get(APP_B, "/")
    status, headers, body = _get(APP_B, "/")
    assert headers["X-Cache"] == "HIT"
    assert "разногласиях" in body
    _editor_unpublishes(APP_A, _article_id(stack))
    deadline = time.monotonic() + 1.0
    while True:
        status, headers, body = _get(APP_B, "/")
        if "разногласиях" not in body or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert "разногласиях" not in body, "app B still shows the unpublished article after 1 s"
    assert _get(APP_B, ARTICLE)[0] == 404


def test_database_down_cached_pages_stay_uncached_get_a_russian_503_and_it_recovers(stack):
    _get(APP_B, "/")
    assert _get(APP_B, "/")[1]["X-Cache"] == "HIT"
    stack.pg_stop()
    try:
        status, headers, body = _get(APP_B, "/")
        assert status == 200
        status, headers, body = _get(APP_B, "/biznes/")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "Сайт временно недоступен" in body
        assert "Traceback" not in body
    finally:
        stack.pg_start()
    assert _get(APP_B, "/biznes/")[0] == 200


def test_redis_down_the_site_keeps_working_from_the_database_and_recovers(stack):
    stack.redis_stop()
    try:
        for path in ("/", "/politika/", "/story/"):
            status, _, body = _get(APP_B, path)
            assert status == 200, path
            assert "Лента новостей" in body
    finally:
        stack.redis_start()
    _get(APP_A, "/obshchestvo/")
    assert _get(APP_A, "/obshchestvo/")[1]["X-Cache"] == "HIT"


def test_a_backup_restored_into_an_empty_database_serves_the_same_pages(stack):
    backup_dir = stack.dir / "backup"
    stack.manage("backup", "--to", str(backup_dir))
    subprocess.run(
        [f"{PG_BIN}/createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "restored"],
        check=True,
    )
    restored = Stack(stack.dir)
    restored.env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/restored",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/1",
        VESTNIK_VAR_DIR=str(stack.dir / "var-restored"),
    )
    restored.manage("restore", "--from", str(backup_dir))
    restored.manage("collectstatic", "--noinput", "-v0")  # built from the code, not backed up
    photo = next((stack.dir / "var" / "media" / "original_images").iterdir()).name
    assert (stack.dir / "var-restored" / "media" / "original_images" / photo).exists()
    port = BASE + 4
    restored.app_start(port)
    try:
        for path in ("/", "/politika/", "/obshchestvo/"):
            original, copy = _get(APP_B, path), _get(port, path)
            assert copy[0] == 200, path
            main = lambda body: body[body.index("<main") : body.index("</main>")]  # noqa: E731
            assert main(copy[2]) == main(original[2]), path
    finally:
        for app in restored.apps:
            os.killpg(app.pid, signal.SIGTERM)
            app.wait(10)


def test_restore_from_a_missing_folder_fails_with_a_message(stack, tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", "--from", str(tmp_path / "nothing")],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Нет папки с резервной копией" in result.stderr
