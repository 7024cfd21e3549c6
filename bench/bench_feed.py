"""Live feed under load: 2,000 open event streams on granian (2 workers), 20 items published.

Reports publish-to-delivery latency p50/p99 (from just before the write to the event's arrival on
each stream), streams dropped, and the RSS memory of the app processes. Baseline, same run, same
client: 2,000 keep-alive connections to nginx each receiving a small static response at once
(20 rounds); ratios are SSE over nginx. The database is a fresh SQLite file under a temporary
directory (the embedded default: each process polls the event log); with DATABASE_URL and
REDIS_URL set, those are used instead (Redis pub/sub). Client and servers share this machine's
cores, so the client's own work is in both figures.

    make bench BENCH=feed          # STREAMS=500 make bench BENCH=feed for a quick look

Channel mode (`FEED_BENCH=channel`, issue 12: a live broadcast's channel on the same stream):
the same 2,000 streams on ONE channel (`/news/stream/?channel=live-1`) get 20 events written by
`services.channel_event`, measured like the feed's and against the feed-stream figure of the same
run (measured first); then a soak: 200 readers on the channel while an event is published every
second for 60 s, counting errors (a stream dropped, an event missing, twice or out of order).
No nginx baseline in this mode.

    FEED_BENCH=channel .venv/bin/python bench/bench_feed.py
"""

import asyncio
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
STREAMS = int(os.environ.get("STREAMS", 2000))
PUBLISH_INTERVAL = float(os.environ.get("PUBLISH_INTERVAL", 0.25))  # seconds between the 20 items
ITEMS = 20
# VESTNIK_BENCH_PORT: the first of two free ports (the app, then nginx)
APP_PORT = int(os.environ.get("VESTNIK_BENCH_PORT", 8101))
NGINX_PORT = APP_PORT + 1
CONNECT_CONCURRENCY = 200  # opening 2,000 sockets at once overflows the listen backlog
DELIVERY_TIMEOUT = 20.0  # seconds to wait for the last event of the run
MODE = os.environ.get("FEED_BENCH", "feed")  # "feed" or "channel"
CHANNEL = "live-1"
SOAK_READERS = int(os.environ.get("SOAK_READERS", 200))
SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", 60))


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, STREAMS * 2 + 1000))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < STREAMS + 200:
        sys.exit(f"fd limit {hard} is too low for {STREAMS} streams")


def rss_mb(root_pid: int) -> float:
    """Resident memory of a process and its descendants, in MB."""
    pids, total = [root_pid], 0
    while pids:
        pid = pids.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(
                next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]
            )
            for task in Path(f"/proc/{pid}/task").iterdir():
                children = (task / "children").read_text().split()
                pids.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def wait_up(url: str, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not come up")


# --- the app under test ----------------------------------------------------------------------


def prepare_app(tmp: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vestnik.settings.test",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "VESTNIK_FEED_HEARTBEAT": "15",
        "VESTNIK_LOG_LEVEL": "WARNING",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (["migrate", "--noinput", "-v0"], ["setup_newsroom", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return env


def start_app(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "granian"), "--interface", "asginl", "--host", "127.0.0.1",
         "--port", str(APP_PORT), "--workers", "2", "--backlog", "4096", "--log-level", "warning",
         "vestnik.asgi:application"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def start_nginx(tmp: Path) -> subprocess.Popen:
    (tmp / "www").mkdir()
    (tmp / "www" / "ping.txt").write_text("data: ok\n\n")
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections {STREAMS * 2 + 256}; }}
http {{
  access_log off;
  keepalive_requests 100000;
  keepalive_timeout 120s;
  server {{ listen 127.0.0.1:{NGINX_PORT} backlog=4096; root {tmp}/www; }}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.Popen([nginx, "-e", str(tmp / "nginx-error.log"), "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
                            start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)  # the server's own process group only
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- clients ---------------------------------------------------------------------------------


async def open_streams(
    session, url: str, arrivals: dict, state: dict, streams: int = STREAMS, items: int = ITEMS
) -> list[asyncio.Task]:
    """`streams` readers of `url`; arrivals[reader][event id] = arrival time (order kept)."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    opened = asyncio.Event()

    async def one_stream(number: int):
        received = arrivals.setdefault(number, {})
        try:
            async with gate:
                response = await session.get(url)
                await response.content.readline()  # "retry: …": subscribed
            state["open"] += 1
            if state["open"] == streams:
                opened.set()
            event_id = None
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("id: "):
                    event_id = int(line[4:])
                elif line.startswith("data: ") and event_id is not None:
                    if event_id in received:
                        state["repeated"] = state.get("repeated", 0) + 1
                    received[event_id] = time.monotonic()
                    if len(received) == items:
                        state["complete"] += 1
                        if state["complete"] == streams:
                            state["all_done"].set()
            state["dropped"] += 1  # the server ended a stream
        except asyncio.CancelledError:
            raise
        except (aiohttp.ClientError, OSError):
            state["dropped"] += 1

    tasks = [asyncio.create_task(one_stream(n)) for n in range(streams)]
    try:
        await asyncio.wait_for(opened.wait(), 120)
    except TimeoutError:
        print(f"only {state['open']} of {streams} streams opened")
    return tasks


def publish_one(number: int) -> tuple[int, float]:
    from django.utils import timezone

    from vestnik.feed.models import FeedEvent
    from vestnik.feed.services import entry_upsert

    started = time.monotonic()
    entry_upsert(key=f"bench:{number}:{time.time_ns()}", title=f"Новость нагрузочного теста {number}",
                 url="/", published_at=timezone.now(), rubric_title="Политика")  # fmt: skip
    return FeedEvent.objects.order_by("-id").values_list("id", flat=True).first(), started


def publish_channel(number: int) -> tuple[int, float]:
    """A broadcast's post, as the live app writes it: `channel_event` in the writer's transaction."""
    from django.db import transaction

    from vestnik.feed.services import channel_event

    started = time.monotonic()
    with transaction.atomic():
        event = channel_event(CHANNEL, "upsert", f"post:{number}",
                              f'<li data-key="post:{number}" data-ts="{time.time():.0f}" data-pinned="0">'
                              f"<p>Пост нагрузочного теста {number}</p></li>")  # fmt: skip
    return event.pk, started


async def bench_sse(env: dict, path: str = "/news/stream/", publish=publish_one) -> dict:
    arrivals: dict[int, dict[int, float]] = {}
    state = {"open": 0, "complete": 0, "dropped": 0, "all_done": asyncio.Event()}
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        tasks = await open_streams(session, f"http://127.0.0.1:{APP_PORT}{path}", arrivals, state)
        await asyncio.sleep(1)
        rss_open = rss_mb(env["_app_pid"])
        published = {}
        for number in range(ITEMS):
            event_id, started = await asyncio.to_thread(publish, number)
            published[event_id] = started
            await asyncio.sleep(PUBLISH_INTERVAL)
        try:
            await asyncio.wait_for(state["all_done"].wait(), DELIVERY_TIMEOUT)
        except TimeoutError:
            pass
        rss_after = rss_mb(env["_app_pid"])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [
        arrived - published[event_id]
        for received in arrivals.values()
        for event_id, arrived in received.items()
        if event_id in published
    ]
    return {
        "streams_opened": state["open"],
        "streams_dropped": state["dropped"],
        "deliveries": len(latencies),
        "deliveries_expected": STREAMS * ITEMS,
        "latencies": latencies,
        "rss_mb_streams_open": round(rss_open, 1),
        "rss_mb_after": round(rss_after, 1),
    }


async def bench_soak() -> dict:
    """SOAK_READERS readers on the channel, an event a second for SOAK_SECONDS: every reader must
    get every event once and in order; anything else is an error."""
    arrivals: dict[int, dict[int, float]] = {}
    state = {"open": 0, "complete": 0, "dropped": 0, "all_done": asyncio.Event()}
    url = f"http://127.0.0.1:{APP_PORT}/news/stream/?channel={CHANNEL}"
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=timeout
    ) as session:
        tasks = await open_streams(session, url, arrivals, state, SOAK_READERS, SOAK_SECONDS)
        published, write_errors = {}, 0
        for number in range(SOAK_SECONDS):
            tick = time.monotonic()
            try:
                event_id, started = await asyncio.to_thread(publish_channel, 10_000 + number)
                published[event_id] = started
            except Exception:  # noqa: BLE001 (counted)
                write_errors += 1
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
        try:
            await asyncio.wait_for(state["all_done"].wait(), DELIVERY_TIMEOUT)
        except TimeoutError:
            pass
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    expected = sorted(published)
    missing = sum(len(set(expected) - set(received)) for received in arrivals.values())
    out_of_order = sum(1 for received in arrivals.values() if list(received) != sorted(received))
    latencies = [arrived - published[event_id] for received in arrivals.values()
                 for event_id, arrived in received.items() if event_id in published]  # fmt: skip
    errors = write_errors + state["dropped"] + missing + out_of_order + state.get("repeated", 0)
    return {
        "readers": SOAK_READERS, "seconds": SOAK_SECONDS, "events": len(published),
        "streams_opened": state["open"], "streams_dropped": state["dropped"],
        "write_errors": write_errors, "missing": missing, "out_of_order_streams": out_of_order,
        "repeated": state.get("repeated", 0), "errors": errors, "latencies": latencies,
    }  # fmt: skip


async def bench_nginx(nginx_pid: int) -> dict:
    """Baseline: the same number of kept-alive connections, each getting a small response at once."""
    url = f"http://127.0.0.1:{NGINX_PORT}/ping.txt"
    latencies, failures = [], 0
    rounds = [asyncio.Event() for _ in range(ITEMS)]
    round_done = [asyncio.Event() for _ in range(ITEMS)]
    started = [0.0] * ITEMS
    answered = [0] * ITEMS
    ready = asyncio.Event()
    connected = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def client():
            nonlocal connected, failures
            async with gate, session.get(url) as response:  # opens the connection, kept alive
                await response.read()
            connected += 1
            if connected == STREAMS:
                ready.set()
            for number in range(ITEMS):
                await rounds[number].wait()
                try:
                    async with session.get(url) as response:
                        await response.read()
                    latencies.append(time.monotonic() - started[number])
                except (aiohttp.ClientError, OSError):
                    failures += 1
                answered[number] += 1
                if answered[number] == STREAMS:
                    round_done[number].set()

        tasks = [asyncio.create_task(client()) for _ in range(STREAMS)]
        await asyncio.wait_for(ready.wait(), 120)
        rss = rss_mb(nginx_pid)
        for number in range(ITEMS):
            started[number] = time.monotonic()
            rounds[number].set()
            await asyncio.wait_for(round_done[number].wait(), 60)
            await asyncio.sleep(0.25)
        await asyncio.gather(*tasks)
    return {"latencies": latencies, "failures": failures, "rss_mb": round(rss, 1)}


def summary(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 50) * 1000, 1), "p99_ms": round(percentile(values, 99) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1)} if values else {}  # fmt: skip


def main_channel() -> int:
    """The channel mode: feed streams, then channel streams on the same app, then the soak."""
    raise_fd_limit()
    tmp = Path(tempfile.mkdtemp(prefix="vestnik-bench-channel-"))
    app = None
    try:
        env = prepare_app(tmp)
        os.environ.update(
            {k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        runs = {}
        for name, path, publish in [
            ("feed", "/news/stream/", publish_one),
            ("channel", f"/news/stream/?channel={CHANNEL}", publish_channel),
        ]:
            env.pop("_app_pid", None)
            app = start_app(env)  # a fresh app for each, as the feed bench does
            wait_up(f"http://127.0.0.1:{APP_PORT}/news/latest.json")
            env["_app_pid"] = app.pid
            runs[name] = asyncio.run(bench_sse(env, path, publish))
            if name == "channel":
                soak = asyncio.run(bench_soak())
            stop(app)
            app = None
    finally:
        if app is not None:
            stop(app)
        shutil.rmtree(tmp, ignore_errors=True)

    stats = {name: summary(run.pop("latencies")) for name, run in runs.items()}
    soak_stats = summary(soak.pop("latencies"))
    backend = (
        "PostgreSQL + Redis pub/sub" if os.environ.get("REDIS_URL") else "SQLite, event-log polling"
    )
    result = {"streams": STREAMS, "items": ITEMS, "publish_interval_s": PUBLISH_INTERVAL,
              "backend": backend, "feed": {**runs["feed"], **stats["feed"]},
              "channel": {**runs["channel"], **stats["channel"]},
              "soak": {**soak, **soak_stats}}  # fmt: skip
    if stats["feed"] and stats["channel"]:
        for p in ("p50", "p99"):
            result[f"ratio_{p}"] = round(
                stats["channel"][f"{p}_ms"] / max(stats["feed"][f"{p}_ms"], 0.1), 2
            )
    print(
        f"backend: {backend}; {STREAMS} streams, {ITEMS} events {PUBLISH_INTERVAL} s apart; granian 2 workers"
    )
    for name, run in runs.items():
        print(f"{name:7} opened {run['streams_opened']}, dropped {run['streams_dropped']}, "
              f"deliveries {run['deliveries']}/{run['deliveries_expected']}; p50 {stats[name].get('p50_ms')} ms "
              f"p99 {stats[name].get('p99_ms')} ms max {stats[name].get('max_ms')} ms")  # fmt: skip
    print(f"ratio channel/feed: p50 ×{result.get('ratio_p50')}  p99 ×{result.get('ratio_p99')}")
    print(f"soak: {soak['readers']} readers, {soak['events']} events over {soak['seconds']} s: "
          f"errors {soak['errors']} (dropped {soak['streams_dropped']}, missing {soak['missing']}, "
          f"out of order {soak['out_of_order_streams']}, twice {soak['repeated']}, writes {soak['write_errors']}); "
          f"p50 {soak_stats.get('p50_ms')} ms p99 {soak_stats.get('p99_ms')} ms")  # fmt: skip
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "feed_channel.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False)
    )
    channel = runs["channel"]
    ok = (channel["streams_dropped"] == 0 and channel["deliveries"] == channel["deliveries_expected"]
          and soak["errors"] == 0)  # fmt: skip
    return 0 if ok else 1


def main() -> int:
    if MODE == "channel":
        return main_channel()
    raise_fd_limit()
    tmp = Path(tempfile.mkdtemp(prefix="vestnik-bench-feed-"))
    tmp.chmod(0o755)  # nginx workers started as root run as nobody and must read the file
    app = nginx = None
    try:
        env = prepare_app(tmp)
        os.environ.update(
            {k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

        app = start_app(env)
        wait_up(f"http://127.0.0.1:{APP_PORT}/news/latest.json")
        env["_app_pid"] = app.pid
        rss_idle = rss_mb(app.pid)
        sse = asyncio.run(bench_sse(env))
        stop(app)
        app = None

        nginx = start_nginx(tmp)
        wait_up(f"http://127.0.0.1:{NGINX_PORT}/ping.txt")
        base = asyncio.run(bench_nginx(nginx.pid))
    finally:
        for process in (app, nginx):
            if process is not None:
                stop(process)
        shutil.rmtree(tmp, ignore_errors=True)

    sse_stats, base_stats = summary(sse.pop("latencies")), summary(base.pop("latencies"))
    backend = (
        "PostgreSQL + Redis pub/sub" if os.environ.get("REDIS_URL") else "SQLite, event-log polling"
    )
    result = {
        "streams": STREAMS, "items": ITEMS, "publish_interval_s": PUBLISH_INTERVAL, "backend": backend, "app_rss_mb_idle": round(rss_idle, 1),
        "sse": {**sse, **sse_stats}, "nginx_baseline": {**base, **base_stats},
    }  # fmt: skip
    if sse_stats and base_stats:
        result["ratio_p50"] = round(sse_stats["p50_ms"] / max(base_stats["p50_ms"], 0.1), 2)
        result["ratio_p99"] = round(sse_stats["p99_ms"] / max(base_stats["p99_ms"], 0.1), 2)
        result["ratio_rss"] = round(sse["rss_mb_after"] / max(base["rss_mb"], 0.1), 1)
    print(
        f"backend: {backend}; {STREAMS} streams, {ITEMS} items {PUBLISH_INTERVAL} s apart; granian 2 workers"
    )
    print(f"streams opened {sse['streams_opened']}, dropped {sse['streams_dropped']}, "
          f"deliveries {sse['deliveries']}/{sse['deliveries_expected']}")  # fmt: skip
    print(f"publish→delivery  p50 {sse_stats.get('p50_ms')} ms  p99 {sse_stats.get('p99_ms')} ms  "
          f"max {sse_stats.get('max_ms')} ms")  # fmt: skip
    print(f"nginx static, same connections: p50 {base_stats.get('p50_ms')} ms  p99 {base_stats.get('p99_ms')} ms"
          f"  (failures {base['failures']})")  # fmt: skip
    print(f"ratio SSE/nginx: p50 ×{result.get('ratio_p50')}  p99 ×{result.get('ratio_p99')}")
    print(f"RSS app: idle {rss_idle:.0f} MB, with streams {sse['rss_mb_after']:.0f} MB; "
          f"nginx with connections {base['rss_mb']:.0f} MB (×{result.get('ratio_rss')})")  # fmt: skip
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "feed.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False)
    )
    ok = sse["streams_dropped"] == 0 and sse["deliveries"] == sse["deliveries_expected"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
