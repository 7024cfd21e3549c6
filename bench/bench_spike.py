"""A breaking-news spike (issue 6 §4): readers pile in while an editor keeps publishing.

- The embedded default with production settings: granian with 2 workers, the page cache on,
  the demo site (SQLite unless BENCH_DATABASE_URL is given).
- READERS (200) concurrent anonymous readers, each looping over the home page and the hot (demo)
  article, for SPIKE_SECONDS (60); one aiohttp client in this process, kept-alive connections.
- Meanwhile an editor in a separate process publishes a new article through
  `news.services.article_publish` every second, and a watcher polls the home page as an anonymous
  reader: for each publish, the time from pressing «Опубликовать» (the call's start) until the
  headline is on the home page.
- Baseline in the same run: nginx serving the same bytes as static files, same readers, same
  duration. Reported: errors (target 0), p50/p99 latency, requests per second and the ratios.
- `SPIKE_MODE=live` (issue 12): the readers load the demo's running live broadcast instead, while
  the editor publishes a post on it every second through `live.services.post_save` (each purges
  that page and its feed line); the watcher waits for each post on the broadcast page.
- As in production, entity analysis and «Читайте также» run in a background worker
  (`VESTNIK_TASKS=database`, `manage.py db_worker`), not inside the editor's publish;
  `SPIKE_TASKS=immediate` runs them inline as the embedded default does. `READERS=` and
  `SPIKE_SECONDS=` change the load.
"""

import asyncio
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

READERS = int(os.environ.get("READERS", "200"))
SECONDS = int(os.environ.get("SPIKE_SECONDS", "60"))
TASKS = os.environ.get("SPIKE_TASKS", "database")
MODE = os.environ.get("SPIKE_MODE", "articles")  # or "live"
LIVE_PAGE = "/politika/sammit-putina-i-baidena-onlain/"
PATHS = [LIVE_PAGE] if MODE == "live" else ["/", common.DEMO_ARTICLE]
WATCHED = PATHS[0]  # where each publish must show up
WATCH_INTERVAL = 0.05  # how often the watcher reloads the home page
HEADLINE = "Молния-{n}-{run}"  # a headline no other page contains


async def readers_for(base: str, seconds: float) -> dict:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    return await readers(base, stop)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


async def readers(base: str, stop: asyncio.Event, watch: dict | None = None) -> dict:
    """READERS loops of GETs (home, article, home, …) until `stop`; optionally the watcher too.

    `watch` (headline → first time seen) is filled by a separate loop reloading the home page.
    """
    latencies: list[float] = []
    errors: dict[str, int] = {}
    cache_states: dict[str, dict[str, int]] = {}  # path → X-Cache value → count
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=READERS + 1)
    headers = {"Accept-Encoding": "identity"}  # the same bytes nginx serves

    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, headers=headers
    ) as session:

        async def reader(index: int) -> None:
            n = index
            while not stop.is_set():
                path = PATHS[n % len(PATHS)]
                n += 1
                started = time.perf_counter()
                try:
                    async with session.get(base + path) as response:
                        await response.read()
                        status = response.status
                        state = response.headers.get("X-Cache", "-")
                except (TimeoutError, aiohttp.ClientError) as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)
                states = cache_states.setdefault(path, {})
                states[state] = states.get(state, 0) + 1
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1

        async def watcher() -> None:
            while not stop.is_set():
                try:
                    async with session.get(base + WATCHED) as response:
                        text = (await response.read()).decode()
                except (TimeoutError, aiohttp.ClientError):
                    continue
                now = time.time()
                for headline in watch["pending"] - watch["seen"].keys():
                    if headline in text:
                        watch["seen"][headline] = now
                await asyncio.sleep(WATCH_INTERVAL)

        tasks = [reader(i) for i in range(READERS)]
        if watch is not None:
            tasks.append(watcher())
        started = time.monotonic()
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started

    return {
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies, default=float("nan")),
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
        "x_cache": cache_states,
    }


async def spike(env: dict, base: str) -> tuple[dict, list[dict]]:
    """Readers + watcher for SECONDS while the editor process publishes one article a second."""
    run = int(time.time())
    watch = {"pending": {HEADLINE.format(n=n, run=run) for n in range(SECONDS)}, "seen": {}}
    editor = await asyncio.create_subprocess_exec(
        *common.django_command(
            "live_editor" if MODE == "live" else "spike_editor",
            count=SECONDS,
            headline=HEADLINE,
            run=run,
        ),
        cwd=common.ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    while (line := await editor.stdout.readline()).strip() != b"ready":
        if not line:
            raise RuntimeError(f"the editor failed:\n{(await editor.stderr.read()).decode()}")
    stop = asyncio.Event()
    load = asyncio.create_task(readers(base, stop, watch))
    await asyncio.sleep(2)  # the readers are all in
    editor.stdin.write(b"go\n")
    await editor.stdin.drain()
    out, err = await editor.communicate()
    await asyncio.sleep(3)  # time for the last publish to show
    stop.set()
    load = await load
    publishes = []
    for line in out.decode().splitlines():
        if not line.startswith("published "):
            continue
        _, n, start, end = line.split()
        seen = watch["seen"].get(HEADLINE.format(n=n, run=run))
        publishes.append(
            {
                "n": int(n),
                "publish_s": round(float(end) - float(start), 3),
                "visible_s": round(seen - float(start), 3) if seen else None,
            }
        )
    return load, publishes


def main() -> int:
    app_port, nginx_port = common.BASE_PORT + 12, common.BASE_PORT + 13
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-spike-"))
    env = common.site_env(var_dir, VESTNIK_TASKS=TASKS)
    load_before = os.getloadavg()
    worker = None
    try:
        print("building the demo site (production settings, page cache on)…", flush=True)
        common.build_site(var_dir, app_port, env)
        if TASKS == "database":
            worker = common.db_worker(env)
        with common.granian(env, app_port, workers=2, var_dir=var_dir) as base:
            bodies = {}
            for path in PATHS:
                status, headers, body = common.fetch(base + path)
                assert status == 200, (path, status)
                bodies[path] = body
            asyncio.run(readers_for(base, 3))  # warm every worker's cache
            print(f"spike: {READERS} readers, one publish a second for {SECONDS} s…", flush=True)
            app, publishes = asyncio.run(spike(env, base))
        load_during = os.getloadavg()
        with common.nginx_static(bodies, nginx_port) as static_base:
            asyncio.run(readers_for(static_base, 3))
            static = asyncio.run(readers_for(static_base, app["seconds"]))
    finally:
        if worker is not None:
            common._stop(worker)
        shutil.rmtree(var_dir, ignore_errors=True)

    visible = [p["visible_s"] for p in publishes if p["visible_s"] is not None]
    never = [p["n"] for p in publishes if p["visible_s"] is None]
    results = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "readers": READERS,
        "tasks": TASKS,
        "publishes": publishes,
        "app": app,
        "nginx_static": static,
        "load_average": {"before": load_before, "after_spike": load_during},
    }
    name = "spike" if TASKS == "database" else f"spike-tasks-{TASKS}"
    common.save(name if MODE == "articles" else f"{name}-{MODE}", results)
    print(f"load average before {load_before[0]:.1f}, after the spike {load_during[0]:.1f}")
    for name, figures in (("app (granian ×2, page cache)", app), ("nginx static copy", static)):
        print(
            f"{name:30} {figures['rps']:7.0f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
            f"p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']} {figures['errors_by_kind']}"
        )
    print(
        f"X-Cache during the spike (path → counts; '-': not from the page cache): {app['x_cache']}"
    )
    print(
        f"ratio app / static: req/s {common.ratio(app['rps'], static['rps'])}, "
        f"p99 ×{app['p99_ms'] / static['p99_ms']:.1f}"
    )
    print(
        f"publishes: {len(publishes)}, visible on {WATCHED}: {len(visible)}, never: {never}; "
        f"publish → visible p50 {percentile(visible, 50):.2f} s, max {max(visible, default=0):.2f} s "
        f"(target < 2 s); publish call p50 "
        f"{percentile([p['publish_s'] for p in publishes], 50):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
