"""The production stack (`deploy/prod-local.sh`: nginx with its microcache, granian, PostgreSQL,
Redis, the scheduler) on one machine, warm, against nginx serving the same bytes as a static
file (issue 6 §4, first item; target ≥ 80 % of the static figure: measured against a bare nginx
and against the stack's own nginx serving the page as a file), and the time from a publish
to the headline on the home page through the whole stack (target < 2 s; purges reach readers
within VESTNIK_PROXY_CACHE_SECONDS = 1 behind the microcache).

Everything runs under a temporary directory on ports from VESTNIK_BENCH_PORT + 20 and is
stopped by deploy/prod-stop.sh at the end.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_delivery
import common

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))


def _env_file(path: Path) -> dict:
    env = dict(os.environ)
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name:
            env[name] = value
    return env


def _drain_tasks(env: dict, timeout: float = 600) -> float:
    """Wait for the worker to finish what loading the demo queued (its entity analysis and
    embeddings): «warm» means a stack at rest, not one still busy with its first minute."""
    started = time.monotonic()
    while common.django_call(env, "pending_tasks") > 0:
        if time.monotonic() - started > timeout:
            raise RuntimeError("the worker did not finish the queued tasks")
        time.sleep(2)
    return time.monotonic() - started


def main() -> int:
    port = common.BASE_PORT + 20
    prod = Path(tempfile.mkdtemp(prefix="vestnik-bench-prod-"))
    stack = dict(os.environ, PORT=str(port), VESTNIK_PROD_DIR=str(prod))
    if os.geteuid() == 0:
        prod.chmod(0o755)  # the cluster runs as the postgres user
    try:
        print("starting the production stack (deploy/prod-local.sh)…", flush=True)
        subprocess.run(["deploy/prod-local.sh"], cwd=common.ROOT, env=stack, check=True)
        app_env = _env_file(prod / "env")
        waited = _drain_tasks(app_env)
        print(f"  the worker finished the demo's queued analysis in {waited:.0f} s", flush=True)
        base = f"http://127.0.0.1:{port}"
        url = base + common.DEMO_ARTICLE
        status, headers, body = common.fetch(url)
        assert status == 200, status
        common.wrk(url, seconds=2, connections=4)
        warm = common.wrk(url, seconds=SECONDS, connections=CONNECTIONS)
        _, headers, _ = common.fetch(url)
        # The same bytes as a static file through the stack's own nginx: what the stack adds.
        (prod / "var" / "static" / "bench-article.html").write_bytes(body)
        static_url = base + "/static/bench-article.html"
        common.wrk(static_url, seconds=1, connections=4)
        same_nginx = common.wrk(static_url, seconds=SECONDS, connections=CONNECTIONS)
        delays = bench_delivery.publish_visibility(app_env, base)
    finally:
        subprocess.run(["deploy/prod-stop.sh"], cwd=common.ROOT, env=stack, check=False)
        shutil.rmtree(prod, ignore_errors=True)
    static = common.static_baseline(body, common.BASE_PORT + 19, SECONDS, CONNECTIONS)

    results = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "prod_stack_warm": warm,
        "nginx_static": static,
        "stack_nginx_static": same_nginx,
        "publish_visible_seconds": delays,
        "edge_cache": headers.get("X-Edge-Cache"),
        "wrk": {"seconds": SECONDS, "connections": CONNECTIONS, "threads": 1},
    }
    common.save("prod", results)
    print(
        f"production stack, warm (nginx microcache → granian → Redis page cache): "
        f"{warm['rps']:.0f} req/s, p50 {warm['p50_ms']:.2f} ms, p99 {warm['p99_ms']:.2f} ms, "
        f"errors {warm['errors']} (X-Edge-Cache: {headers.get('X-Edge-Cache')})"
    )
    print(
        f"nginx static copy: {static['rps']:.0f} req/s, p50 {static['p50_ms']:.2f} ms, "
        f"p99 {static['p99_ms']:.2f} ms"
    )
    print(
        f"same bytes as a static file through the stack's nginx: {same_nginx['rps']:.0f} req/s, "
        f"p99 {same_nginx['p99_ms']:.2f} ms"
    )
    print(
        f"ratio stack / static: {common.ratio(warm['rps'], static['rps'])} against a bare nginx, "
        f"{common.ratio(warm['rps'], same_nginx['rps'])} against the stack's nginx (target ≥ 80 %)"
    )
    print(f"publish → visible on the home page through the stack (s): {delays} (target < 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
