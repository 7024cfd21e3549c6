"""Real app processes for live-feed tests: granian workers on the test database.

On SQLite the test database (in memory) is copied to a file the processes share; on PostgreSQL
they connect to the test database itself, and with REDIS_URL they use Redis pub/sub. Tests that
use these must be transactional, so what they create is committed and visible to the processes.
"""

import json
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection

from vestnik.core.tests.ports import free_ports
from vestnik.feed import paths

ROOT = Path(__file__).resolve().parents[3]


def database_url(tmp_path: Path) -> str:
    """A URL for the processes: a file copy of the SQLite test database, or the PostgreSQL one."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = tmp_path / "live.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


# Each running app process's stderr (tracebacks included), by base URL, for failure messages.
_logs: dict = {}


def app_log(url: str, tail: int = 3000) -> str:
    """The end of what the app process at `url` wrote to stderr so far (a 500's traceback)."""
    log = _logs.get(url)
    if log is None:
        return ""
    log.seek(0)
    return log.read().decode(errors="replace")[-tail:]


@contextmanager
def app_processes(db_url: str, count: int = 2, workers: int = 1):
    """Start `count` granian processes; yield their base URLs; stop them (only them) afterwards."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.test",
        "DATABASE_URL": db_url,
        "REDIS_URL": settings.REDIS_URL,
        "VESTNIK_FEED_POLL_MS": "100",
        "VESTNIK_FEED_HEARTBEAT": "1",
        # Same channel as this test process, whatever database name each side sees.
        "VESTNIK_FEED_CHANNEL": f"vestnik-feed-test:{db_url}",
    }
    processes, urls = [], []
    try:
        ports = free_ports(count)
        for port in ports:
            log = tempfile.TemporaryFile()
            processes.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "granian"),
                        "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port),
                        "--workers", str(workers), "--log-level", "warning",
                        "--static-path-route", "/static",
                        "--static-path-mount", str(ROOT / "vestnik" / "static"),
                        "vestnik.asgi:application",
                    ],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
                    start_new_session=True,
                )
            )  # fmt: skip
            processes[-1].log = log
            urls.append(f"http://127.0.0.1:{port}")
            _logs[urls[-1]] = log
        for url, process in zip(urls, processes, strict=True):  # they start side by side
            _wait_until_up(url, process)
        yield urls
    finally:
        for process in processes:
            _stop_group(process)
        for url in urls:
            _logs.pop(url, None)


def _stop_group(process: subprocess.Popen) -> None:
    """Stop granian and its workers (its own process group), so no database session outlives it."""
    os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        process.poll()  # reap the main process once it exits
        time.sleep(0.05)
    else:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            process.log.seek(0)
            raise RuntimeError(f"app process exited: {process.log.read().decode()[-2000:]}")
        try:
            if httpx.get(url + "/news/latest.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not start in {timeout} s")


class EventStream:
    """An SSE client in a thread: `.next()` returns the next event as a dict (with its id)."""

    def __init__(self, url: str, last_event_id: int | None = None, query: str = ""):
        self.events: queue.Queue = queue.Queue()
        self.opened = threading.Event()
        self._stop = threading.Event()
        headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
        url = url + paths.STREAM + (f"?{query}" if query else "")
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()
        assert self.opened.wait(10), "stream did not open"

    def _read(self, url, headers):
        with (
            httpx.Client(timeout=httpx.Timeout(5, read=None)) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            self.headers = response.headers
            event: dict = {}
            for line in response.iter_lines():
                if line.startswith("retry:"):
                    self.opened.set()
                if self._stop.is_set():
                    return
                if line.startswith("id: "):
                    event["id"] = int(line[4:])
                elif line.startswith("data: "):
                    event.update(json.loads(line[6:]))
                elif line == "" and event:
                    self.events.put(event)
                    event = {}

    def next(self, timeout: float = 5) -> dict:
        return self.events.get(timeout=timeout)

    def drain(self, wait: float = 0.5) -> list[dict]:
        """Events that arrive within `wait` seconds (to check that nothing more comes)."""
        found = []
        try:
            while True:
                found.append(self.events.get(timeout=wait))
        except queue.Empty:
            return found

    def close(self):
        self._stop.set()  # the reader leaves at the next line (heartbeat every second)


class EditorSession:
    """An editor in the Wagtail admin of one app process: logs in, publishes and unpublishes."""

    def __init__(self, base_url: str, username: str, password: str):
        self.client = httpx.Client(base_url=base_url, timeout=20, follow_redirects=True)
        page = self.client.get("/admin/login/")
        response = self.client.post(
            "/admin/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": _csrf(page.text),
            },
        )
        assert "/admin/login/" not in str(response.url), "login failed"

    def _bulk(self, action: str, page_id: int) -> None:
        url = f"/admin/bulk/wagtailcore/page/{action}/?id={page_id}"
        form = self.client.get(url)
        response = self.client.post(
            url, data={"csrfmiddlewaretoken": _csrf(form.text)}, follow_redirects=False
        )
        assert response.status_code == 302, response.text[:500]  # done: back to the listing

    def publish(self, page_id: int) -> None:
        self._bulk("publish", page_id)

    def unpublish(self, page_id: int) -> None:
        self._bulk("unpublish", page_id)


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


_WRITER = """
import json, sys
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from vestnik.feed import services

class Rollback(Exception):
    pass

for line in sys.stdin:
    command = json.loads(line)
    try:
        with transaction.atomic():
            if command["op"] == "channel_event":
                event = services.channel_event(*command["args"], **command.get("kwargs", {}))
            else:
                event = None
                services.entry_upsert(published_at=timezone.now(), **command["kwargs"])
            if command.get("rollback"):
                raise Rollback
        reply = {"id": event.pk if event else None}
    except Rollback:
        reply = {"rolled_back": True}
    except Exception as exc:
        reply = {"error": repr(exc)}
    print(json.dumps(reply), flush=True)
"""


class Writer:
    """Another app process that writes through the real services (and their on-commit wake-up)
    into the database the app processes share: on SQLite the test's own database is a copy in
    memory, so the test can't write there itself."""

    def __init__(self, db_url: str):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vestnik.settings.test",
            "DATABASE_URL": db_url,
            "REDIS_URL": settings.REDIS_URL,
            "VESTNIK_FEED_CHANNEL": f"vestnik-feed-test:{db_url}",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WRITER], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip

    def _ask(self, command: dict) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        assert "error" not in reply, reply["error"]
        return reply

    def channel_event(self, *args, rollback: bool = False, **kwargs) -> int | None:
        """services.channel_event in a transaction of its own; the new event's id."""
        return self._ask(
            {"op": "channel_event", "args": args, "kwargs": kwargs, "rollback": rollback}
        ).get("id")

    def feed_line(self, key: str, title: str) -> None:
        """A line of the news feed (services.entry_upsert), now."""
        self._ask({"op": "entry_upsert", "kwargs": {"key": key, "title": title, "url": "/"}})

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
