"""A crawler over 1,000 archive pages during the breaking-news spike (issue 11).

- The spike of bench_spike.py as it is (granian ×2, production settings, the page cache on, an
  editor publishing an article a second, READERS readers on the home page and the hot article,
  background tasks in a db_worker), run for SPIKE_SECONDS (here 180 by default: longer than
  VESTNIK_FEED_SIDEBAR_MAX_AGE, so pages re-rendered for their sidebar are counted too).
- A crawler walks CRAWL_PAGES (1,000) archive articles (the oldest in the sitemap) with
  CRAWL_CONNECTIONS (8) connections: a first pass that renders them, then, during the spike,
  pass after pass. Each archive page shows the news feed sidebar but lists none of the new
  articles; X-Cache is counted per pass.
- Target: hit ratio ≥ 95 % over every request after the first pass. Baselines in the same run:
  CRAWL_QUIET_PASSES (2) passes with nobody publishing, and with CRAWL_COMPARE=1 the whole run
  again with VESTNIK_FEED_SIDEBAR_MAX_AGE=0 (a feed change makes a sidebar page stale at once: every
  publish empties the archive, as before issue 11).
"""

import asyncio
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

os.environ.setdefault("SPIKE_SECONDS", "180")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_spike
import common

PAGES = int(os.environ.get("CRAWL_PAGES", "1000"))
CONNECTIONS = int(os.environ.get("CRAWL_CONNECTIONS", "8"))
QUIET_PASSES = int(os.environ.get("CRAWL_QUIET_PASSES", "2"))
COMPARE = os.environ.get("CRAWL_COMPARE", "0") == "1"


def archive_paths(base: str) -> list[str]:
    """The CRAWL_PAGES oldest articles of the sitemap (bulk archive rows, older than the demo)."""
    status, _, body = common.fetch(base + "/sitemap.xml")
    assert status == 200, status
    paths = [
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>([^<]+)</loc>", body.decode())
    ]
    archive = [path for path in paths if "/archive-" in path]
    assert len(archive) >= PAGES, f"only {len(archive)} archive pages"
    return archive[-PAGES:]


async def crawl(
    base: str, paths: list[str], stop: asyncio.Event, most: int | None = None
) -> list[dict]:
    """Passes over `paths` until `stop` (or `most` passes); per pass: seconds and X-Cache counts."""
    passes = []
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        while not stop.is_set() and (most is None or len(passes) < most):
            queue = list(reversed(paths))
            states: dict[str, int] = {}
            started = time.monotonic()

            async def worker(queue: list[str], states: dict[str, int]) -> None:
                while queue and not stop.is_set():
                    path = queue.pop()
                    try:
                        async with session.get(base + path) as response:
                            await response.read()
                            state = response.headers.get("X-Cache", "-")
                            if response.status != 200:
                                state = str(response.status)
                    except (TimeoutError, aiohttp.ClientError) as exc:
                        state = type(exc).__name__
                    states[state] = states.get(state, 0) + 1

            await asyncio.gather(*(worker(queue, states) for _ in range(CONNECTIONS)))
            if queue:  # stopped mid-pass: not a full pass, not counted
                break
            passes.append({"seconds": round(time.monotonic() - started, 1), "x_cache": states})
    return passes


def summary(passes: list[dict]) -> dict:
    """Hit ratio over every request of `passes` (all of them come after the first pass)."""
    total = sum(sum(p["x_cache"].values()) for p in passes)
    hits = sum(p["x_cache"].get("HIT", 0) for p in passes)
    return {
        "passes": len(passes),
        "pass_s_median": sorted(p["seconds"] for p in passes)[len(passes) // 2] if passes else None,
        "requests": total,
        "hit_ratio": hits / total if total else float("nan"),
        "per_pass": passes,
    }


async def passes(base: str, paths: list[str], most: int) -> list[dict]:
    return await crawl(base, paths, asyncio.Event(), most)


async def during_spike(env: dict, base: str, paths: list[str]) -> tuple[dict, dict, list[dict]]:
    stop = asyncio.Event()
    crawler = asyncio.create_task(crawl(base, paths, stop))
    load, publishes = await bench_spike.spike(env, base)
    stop.set()
    return summary(await crawler), load, publishes


def run(max_age: int) -> dict:
    app_port = common.BASE_PORT + 14
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-crawl-"))
    env = common.site_env(
        var_dir, VESTNIK_TASKS=bench_spike.TASKS, VESTNIK_FEED_SIDEBAR_MAX_AGE=max_age
    )
    worker = None
    try:
        print(f"building the demo site with {PAGES}+ archive articles…", flush=True)
        common.build_site(var_dir, app_port, env)
        common.bulk_articles(env, PAGES + 200)
        if bench_spike.TASKS == "database":
            worker = common.db_worker(env)
        with common.granian(env, app_port, workers=2, var_dir=var_dir) as base:
            paths = archive_paths(base)
            print(f"first pass over {len(paths)} archive pages (renders them)…", flush=True)
            first = asyncio.run(passes(base, paths, 1))[0]
            print(f"baseline: {QUIET_PASSES} passes, nobody publishing…", flush=True)
            alone = summary(asyncio.run(passes(base, paths, QUIET_PASSES)))
            print(
                f"spike ({bench_spike.READERS} readers, a publish a second for "
                f"{bench_spike.SECONDS} s) with the crawler, sidebar max age {max_age} s…",
                flush=True,
            )
            spiked, load, publishes = asyncio.run(during_spike(env, base, paths))
    finally:
        if worker is not None:
            common._stop(worker)
        shutil.rmtree(var_dir, ignore_errors=True)
    return {
        "sidebar_max_age": max_age,
        "first_pass": first,
        "crawler_alone": alone,
        "crawler_during_spike": spiked,
        "spike_readers": load,
        "publishes": publishes,
    }


def report(result: dict) -> None:
    alone, spiked, load = (
        result["crawler_alone"],
        result["crawler_during_spike"],
        result["spike_readers"],
    )
    visible = [p["visible_s"] for p in result["publishes"] if p["visible_s"] is not None]
    first = result["first_pass"]
    print(f"--- sidebar max age {result['sidebar_max_age']} s")
    print(f"first pass: {first['seconds']} s, X-Cache {first['x_cache']}")
    for name, figures in (("after it, nobody publishing", alone), ("during the spike", spiked)):
        print(
            f"{name:28} passes {figures['passes']:3}  pass (median) {figures['pass_s_median']} s  "
            f"hit ratio {figures['hit_ratio']:.1%} of {figures['requests']}"
        )
    print(
        f"spike readers: {load['rps']:.0f} req/s, p99 {load['p99_ms']:.0f} ms, errors "
        f"{load['errors']}; publishes {len(result['publishes'])}, visible on the home page "
        f"{len(visible)}, p50 {bench_spike.percentile(visible, 50):.2f} s, "
        f"max {max(visible, default=0):.2f} s"
    )


def main() -> int:
    results = {"date": datetime.now(UTC).isoformat(timespec="minutes"), "runs": []}
    ages = [int(os.environ.get("VESTNIK_FEED_SIDEBAR_MAX_AGE", "120"))] + ([0] if COMPARE else [])
    for max_age in ages:
        result = run(max_age)
        results["runs"].append(result)
        report(result)
    common.save("crawl", results)
    spiked = results["runs"][0]["crawler_during_spike"]
    ratio = spiked["hit_ratio"]
    print(f"target: hit ratio ≥ 95% after the first pass: {'met' if ratio >= 0.95 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
