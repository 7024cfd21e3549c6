"""A cold article page at 1,000 and at 1,000,000 articles in PostgreSQL (issue 6 §4).

Production settings on throwaway PostgreSQL databases, one per size (BENCH_DATABASE_URL + "_<size>",
default vestnik_bench_scale_<size> on 127.0.0.1; each a copy of the one before, topped up in SQL
by common.bulk_articles_postgres; all dropped at the end), granian with 2 workers, the page cache
off and the fragment caches on. The sizes are measured in BENCH_SCALE_ROUNDS alternating rounds
(load drift on a shared machine hits both alike). Each measurement starts granian, warms the shared
fragments (home page, demo article, a few unmeasured archive articles), then fetches distinct
archive articles drawn at random over the whole table, each once (their own fragments and
article-at-path values are cold), BENCH_SCALE_N per size in all, with BENCH_SCALE_CONCURRENCY
connections. Also: SQL queries for one cold archive article at each size,
with the slowest ones EXPLAIN ANALYZEd at the largest size. Each measured article gets 6 related
articles (other measured ones) as the related task would write them, so «Читайте также» renders. Baseline in the same run: nginx
serving the same pages' bytes as static files to the same client.
Target: the cold page costs the same within 20 % at both sizes.
"""

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
import common
import psycopg

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vestnik_bench_scale"
)
SIZES = [int(x) for x in os.environ.get("BENCH_SCALE_SIZES", "1000,1000000").split(",")]
N = int(os.environ.get("BENCH_SCALE_N", "500"))
CONCURRENCY = int(os.environ.get("BENCH_SCALE_CONCURRENCY", "8"))
ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "2"))  # alternating sizes, N / ROUNDS each
COLD_QUERIES = 3  # archive articles whose cold render is counted (and explained) per size
RELATED = 6  # precomputed related articles given to each measured one (3 shown)
WARM = 16  # archive articles fetched (not measured) to warm the code in every worker


def _admin_dsn(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(url: str, drop_only: bool = False) -> None:
    dsn, name = _admin_dsn(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def sample_paths(env: dict, count: int) -> list[str]:
    """Draws the articles to measure; each gets RELATED precomputed neighbours, so their cards
    render (bench/inprocess.py)."""
    return common.django_call(env, "sample_paths", count=count, related=RELATED)


def cold_render(env: dict, paths: list[str], explain: bool) -> dict:
    return common.django_call(
        env, "cold_render", demo=common.DEMO_ARTICLE, paths=paths, explain=explain
    )


async def _fetch_all(base: str, paths: list[str], concurrency: int) -> dict:
    latencies, statuses, bodies = [], {}, {}
    queue = list(paths)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker():
            while queue:
                path = queue.pop()
                start = time.perf_counter()
                async with session.get(base + path) as response:
                    body = await response.read()
                latencies.append((time.perf_counter() - start) * 1000)
                statuses[response.status] = statuses.get(response.status, 0) + 1
                bodies[path] = body

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - start
    latencies.sort()
    return {
        **summary(latencies, wall),
        "statuses": statuses,
        "bodies": bodies,
        "latencies": latencies,
    }


def summary(latencies: list[float], wall: float) -> dict:
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "mean_ms": statistics.fmean(latencies),
        "p50_ms": latencies[len(latencies) // 2],
        "p95_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))],
    }


def fetch_all(base: str, paths: list[str], concurrency: int = CONCURRENCY) -> dict:
    return asyncio.run(_fetch_all(base, paths, concurrency))


def measure(env: dict, var_dir: Path, port: int, warm: list[str], paths: list[str]) -> dict:
    """Warm the shared fragments and the code in every worker (home page, demo article, a few
    archive articles not measured), then fetch the cold archive articles, each once."""
    with common.granian(env, port, workers=2, var_dir=var_dir) as base:
        warm = ["/", common.DEMO_ARTICLE] * 8 + warm
        result = fetch_all(base, warm, concurrency=8)
        assert result["statuses"] == {200: len(warm)}, result["statuses"]
        result = fetch_all(base, paths)
        if result["statuses"] != {200: len(paths)}:
            raise RuntimeError(f"not every archive article answered 200: {result['statuses']}")
        return result


def fmt(result: dict) -> str:
    return (
        f"{result['rps']:.1f} req/s, p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"mean {result['mean_ms']:.1f} ms ({result['requests']} requests)"
    )


def _db_url(size: int) -> str:
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def clone_database(source: str, target: str) -> None:
    dsn, source_name = _admin_dsn(source)
    target_name = _admin_dsn(target)[1]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target_name}" TEMPLATE "{source_name}"')


def main() -> int:
    app_port, nginx_port = common.BASE_PORT, common.BASE_PORT + 1
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-scale-"))
    sizes = sorted(SIZES)
    urls = {size: _db_url(size) for size in sizes}
    envs = {
        size: common.site_env(var_dir, VESTNIK_PAGE_CACHE="false", DATABASE_URL=url)
        for size, url in urls.items()
    }
    runs, samples, last_bodies = {}, {}, {}
    recreate_database(urls[sizes[0]])
    try:
        print(f"building the demo site (production settings, {urls[sizes[0]]})…", flush=True)
        common.build_site(var_dir, app_port, envs[sizes[0]])
        # One database per size (each a copy of the one before, topped up), so that the sizes
        # can be measured in alternating rounds: load drift on a shared machine hits both alike.
        for previous, size in zip([None, *sizes], sizes, strict=False):
            if previous is not None:
                clone_database(urls[previous], urls[size])
            env = envs[size]
            start = time.monotonic()
            articles = common.bulk_articles_postgres(env, size)
            fill = time.monotonic() - start
            tree = common.django_call(env, "check_tree")
            print(f"{articles:,} articles (filled in {fill:.0f} s); tree: {tree}", flush=True)
            if tree != "ok":
                raise RuntimeError(f"the page tree is broken: {tree}")
            paths = sample_paths(env, N + COLD_QUERIES + WARM)
            counted = paths[:COLD_QUERIES]
            cold = cold_render(env, counted, explain=size == sizes[-1])
            queries = [r["queries"] for r in cold["renders"]]
            assert all(r["status"] == 200 for r in cold["renders"]), cold["renders"]
            print(f"  SQL queries of one cold archive article: {queries}", flush=True)
            samples[size] = paths[COLD_QUERIES:]
            runs[size] = {
                "articles": articles,
                "fill_seconds": round(fill),
                "cold_queries": queries,
                "explained": cold["explained"],
                "latencies": [],
                "rounds": [],
            }
        per_round = N // ROUNDS
        for number in range(ROUNDS):
            for size in sizes:
                warm = samples[size][:WARM]
                paths = samples[size][WARM + number * per_round : WARM + (number + 1) * per_round]
                result = measure(envs[size], var_dir, app_port, warm, paths)
                last_bodies = result.pop("bodies")
                runs[size]["latencies"] += result.pop("latencies")
                runs[size]["rounds"].append({**result, "load": os.getloadavg()})
                print(
                    f"round {number + 1}, {runs[size]['articles']:,} articles: {fmt(result)}",
                    flush=True,
                )
        with common.nginx_static(last_bodies, nginx_port) as base:
            fetch_all(base, list(last_bodies)[:50])
            static = fetch_all(base, list(last_bodies))
            static.pop("bodies")
            static.pop("latencies")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if not os.environ.get("BENCH_KEEP_DATABASE"):
            for url in urls.values():
                recreate_database(url, drop_only=True)

    for size in sizes:
        run = runs[size]
        latencies = sorted(run.pop("latencies"))
        run.update(summary(latencies, sum(r["requests"] / r["rps"] for r in run["rounds"])))
    small, large = runs[sizes[0]], runs[sizes[-1]]
    print(f"\nnginx, the same {len(last_bodies)} pages as static files: {fmt(static)}")
    print("slowest SQL of one cold render at the largest size (EXPLAIN ANALYZE):")
    for item in large["explained"]:
        print(f"  {item.get('ms', 0):.2f} ms  {item['sql'][:150]}")
        scans = [line.strip() for line in item.get("plan", "").splitlines() if "Scan" in line]
        print("".join(f"           {line[:140]}\n" for line in scans), end="")
    for size in sizes:
        print(
            f"{runs[size]['articles']:>9,} articles, all rounds: {fmt(runs[size])}, "
            f"queries {runs[size]['cold_queries']}"
        )
    ratio_mean = large["mean_ms"] / small["mean_ms"]
    ratio_p50 = large["p50_ms"] / small["p50_ms"]
    print(
        f"cold page {large['articles']:,} ÷ {small['articles']:,} articles: mean ×{ratio_mean:.2f}, "
        f"p50 ×{ratio_p50:.2f}, p95 ×{large['p95_ms'] / small['p95_ms']:.2f}, "
        f"req/s ×{large['rps'] / small['rps']:.2f}; "
        f"app ÷ static req/s: {common.ratio(large['rps'], static['rps'])}"
    )
    met = ratio_mean <= 1.2 and large["cold_queries"] == small["cold_queries"]
    print(f"target (same within 20 %, same queries): {'met' if met else 'MISSED'}")
    common.save(
        "scale",
        {
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "n": N,
            "rounds": ROUNDS,
            "concurrency": CONCURRENCY,
            "runs": {str(k): v for k, v in runs.items()},
            "nginx_static": static,
            "ratio_mean": ratio_mean,
            "ratio_p50": ratio_p50,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
