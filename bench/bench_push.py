"""Web push for «Молния» (issue 12): one published «молния» to 10,000 subscribers.

A throwaway site (production settings, SQLite unless BENCH_DATABASE_URL) with VAPID keys and
10,000 subscriptions, each with its own P-256 key, pointing at a local push endpoint: a small
asyncio HTTP/1.1 server in this process that counts the POSTs and answers 201 (keep-alive, as
push services do; it does not decrypt, the tests do that). `manage.py db_worker` runs the task as
in production (`VESTNIK_TASKS=database`). Measured: from the publish (the event sent after its
commit) to the 10,000th POST received, and from the worker taking the task (first POST) to the
last. Baseline in the same run: the same number of plain POSTs of the same size from the same
number of threads (a requests.Session each) with no encryption, no VAPID and no database: what
the HTTP part alone costs on this box.

Target: all 10,000 within 60 s.
"""

import asyncio
import json
import os
import secrets
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import common
import requests

SUBSCRIBERS = int(os.environ.get("BENCH_PUSH_SUBSCRIBERS", "10000"))
THREADS = int(os.environ.get("BENCH_PUSH_THREADS", "16"))
TARGET_SECONDS = 60
RESULTS = Path(__file__).resolve().parent / "results"


class Endpoint:
    """A push service that only counts: HTTP/1.1 keep-alive, 201 to every POST."""

    def __init__(self, port: int):
        self.port = port
        self.count = 0
        self.first = self.last = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", self.port, backlog=512)
        )
        self.server = server
        self.loop.run_forever()

    async def _client(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                now = time.time()
                self.first = self.first or now
                self.last = now
                self.count += 1
                writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def __enter__(self):
        self.thread.start()
        common.wait_port(self.port)
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.loop.stop)


def _free_port(start: int) -> int:
    for port in range(start, start + 10):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


def baseline(url: str, count: int, size: int) -> float:
    """Seconds for `count` plain POSTs of `size` bytes from THREADS threads (a Session each)."""
    local = threading.local()
    body = secrets.token_bytes(size)

    def post(n):
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        session.post(f"{url}/{n}", data=body, headers={"TTL": "1800"}, timeout=10)

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(post, range(count)))
    return time.monotonic() - started


def main() -> int:
    port = _free_port(common.BASE_PORT + 30)
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-push-"))
    public, private = _keys()
    env = common.site_env(
        var_dir,
        VESTNIK_TASKS="database",
        VESTNIK_VAPID_PUBLIC_KEY=public,
        VESTNIK_VAPID_PRIVATE_KEY=private,
        VESTNIK_VAPID_SUBJECT="mailto:bench@vestnik.test",
        VESTNIK_PUSH_ALLOW_LOCAL="true",
        VESTNIK_PUSH_THREADS=THREADS,
        VESTNIK_BASE_URL="https://news.example.com",
    )
    common.manage(env, "migrate", "--noinput", "-v0")
    with Endpoint(port) as endpoint:
        origin = f"http://127.0.0.1:{port}"
        made = common.django_call(
            env, "push_subscribers", count=SUBSCRIBERS, endpoint_base=origin + "/wpush"
        )
        print(f"{made} subscriptions, {THREADS} threads, endpoint {origin}", flush=True)

        # Baseline first, then reset the counter.
        base_seconds = baseline(origin + "/plain", SUBSCRIBERS, 180)
        endpoint.count, endpoint.first, endpoint.last = 0, None, None

        log = var_dir / "worker.log"
        with common.background(env, "db_worker", "--interval", "0.5", log=log):
            time.sleep(3)  # the worker is up and polling
            # The moment of the commit, taken in the publishing process (its start-up excluded).
            published = common.django_call(
                env, "push_publish", key="article:1", title="Молния: бенчмарк"
            )
            deadline = time.time() + 10 * TARGET_SECONDS
            while endpoint.count < SUBSCRIBERS and time.time() < deadline:
                time.sleep(0.05)
            done = endpoint.last or time.time()
            time.sleep(1)  # the last batch's outcomes are written
            progress = common.django_call(env, "push_progress", key="article:1")
    total = done - published
    sending = done - (endpoint.first or published)
    result = {
        "subscribers": SUBSCRIBERS,
        "threads": THREADS,
        "received": endpoint.count,
        "publish_to_last_s": round(total, 2),
        "first_to_last_s": round(sending, 2),
        "sends_per_s": round(endpoint.count / sending, 1) if sending else None,
        "baseline_plain_posts_s": round(base_seconds, 2),
        "baseline_posts_per_s": round(SUBSCRIBERS / base_seconds, 1),
        "progress": progress,
        "database": "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(
        f"received {endpoint.count}/{SUBSCRIBERS}; publish → last POST {total:.1f} s; "
        f"first → last {sending:.1f} s = {result['sends_per_s']} sends/s; "
        f"baseline plain POSTs {base_seconds:.1f} s = {result['baseline_posts_per_s']} /s "
        f"(push at {100 * base_seconds / sending:.0f} % of plain HTTP); deliveries {progress}"
    )
    print(f"target ≤ {TARGET_SECONDS} s: {'met' if total <= TARGET_SECONDS else 'NOT met'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "push.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if endpoint.count == SUBSCRIBERS else 1


def _keys() -> tuple[str, str]:
    sys.path.insert(0, str(common.ROOT))
    from vestnik.push.vapid import keys_generate

    return keys_generate()


if __name__ == "__main__":
    sys.exit(main())
