"""The production stack (`deploy/prod-local.sh`: nginx with its microcache, granian, PostgreSQL,
Redis, the scheduler, the worker) on one machine against nginx serving the same bytes as a
static file (issue 6 §4 and issue 13 §6: target ≥ 80 % of every baseline), and the time from a
publish to the headline on the home page through the whole stack (target < 2 s; purges reach
readers within VESTNIK_PROXY_CACHE_SECONDS = 1 behind the microcache).

Two windows: right after prod-local reports ready, while the worker drains the demo's queue
(stack and baselines alternate, 5 s each, 16 connections), and at rest, at 16 and 32
connections. Three baselines: a bare nginx with one worker, a bare nginx with two, and the
stack's own nginx serving the page as a file. wrk runs one thread on the same two cores, so a
baseline that leaves wrk a core (one nginx worker) is what shows nginx's own cost per request.

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


def _pairs(stack_url: str, bare: dict[str, str], connections: int, seconds: int) -> dict:
    """The stack and each baseline in turn, at the same connection count."""
    row = {"stack": common.wrk(stack_url, seconds=seconds, connections=connections)}
    for name, url in bare.items():
        row[name] = common.wrk(url, seconds=seconds, connections=connections)
    return row


def _show(label: str, row: dict) -> None:
    stack = row["stack"]["rps"]
    parts = ", ".join(
        f"{name} {value['rps']:.0f} ({common.ratio(stack, value['rps'])})"
        for name, value in row.items()
        if name != "stack" and isinstance(value, dict)
    )
    print(f"  {label}: stack {stack:.0f} req/s, p99 {row['stack']['p99_ms']:.2f} ms; {parts}")


def main() -> int:
    port = common.BASE_PORT + 20
    prod = Path(tempfile.mkdtemp(prefix="vestnik-bench-prod-"))
    stack = dict(os.environ, PORT=str(port), VESTNIK_PROD_DIR=str(prod))
    if os.geteuid() == 0:
        prod.chmod(0o755)  # the cluster runs as the postgres user
    draining: list[dict] = []
    rest: dict[int, dict] = {}
    try:
        print("starting the production stack (deploy/prod-local.sh)…", flush=True)
        subprocess.run(["deploy/prod-local.sh"], cwd=common.ROOT, env=stack, check=True)
        app_env = _env_file(prod / "env")
        base = f"http://127.0.0.1:{port}"
        url = base + common.DEMO_ARTICLE
        status, headers, body = common.fetch(url)
        assert status == 200, status
        # The baselines run beside the stack, so the window right after «ready», while the worker
        # still drains the demo's queue, is measured against them in the same seconds.
        with (
            common.nginx_static({common.DEMO_ARTICLE: body}, port + 9, workers=1) as one,
            common.nginx_static({common.DEMO_ARTICLE: body}, port + 10, workers=2) as two,
        ):
            bare = {"nginx ×1": one + common.DEMO_ARTICLE, "nginx ×2": two + common.DEMO_ARTICLE}
            common.wrk(url, seconds=1, connections=4)
            pending = common.django_call(app_env, "pending_tasks")
            print(f"  ready; the worker has {pending} queued tasks", flush=True)
            while pending > 0 and len(draining) < 4:
                row = _pairs(url, bare, 16, 5)
                row["pending_after"] = pending = common.django_call(app_env, "pending_tasks")
                draining.append(row)
                _show(f"draining (then {pending} left), 16 connections", row)
            waited = _drain_tasks(app_env)
            print(f"  the worker finished the demo's queue {waited:.0f} s later", flush=True)
            # The same bytes as a static file through the stack's own nginx: what the stack adds.
            (prod / "var" / "static" / "bench-article.html").write_bytes(body)
            bare["stack's nginx, file"] = base + "/static/bench-article.html"
            for connections in (16, 32):
                rest[connections] = _pairs(url, bare, connections, SECONDS)
                _show(f"at rest, {connections} connections", rest[connections])
            master = int((prod / "run" / "nginx.pid").read_text())
            cpu = {
                "microcache hit": common.nginx_cpu_per_request(master, url),
                "file": common.nginx_cpu_per_request(master, bare["stack's nginx, file"]),
            }
            print(
                f"  nginx CPU per request in the stack's nginx: microcache hit "
                f"{cpu['microcache hit']:.1f} µs, the same bytes as a file {cpu['file']:.1f} µs",
                flush=True,
            )
        _, headers, _ = common.fetch(url)
        delays = bench_delivery.publish_visibility(app_env, base)
    finally:
        subprocess.run(["deploy/prod-stop.sh"], cwd=common.ROOT, env=stack, check=False)
        shutil.rmtree(prod, ignore_errors=True)

    results = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "draining": draining,
        "at_rest": rest,
        "nginx_cpu_us_per_request": cpu,
        "publish_visible_seconds": delays,
        "edge_cache": headers.get("X-Edge-Cache"),
        "wrk": {"seconds": SECONDS, "threads": 1},
    }
    common.save("prod", results)
    worst = min(
        row["stack"]["rps"] / value["rps"]
        for row in [*draining, *rest.values()]
        for name, value in row.items()
        if name != "stack" and isinstance(value, dict)
    )
    print(f"worst ratio stack / a baseline: {worst:.1%} (target ≥ 80 %)")
    print(f"publish → visible on the home page through the stack (s): {delays} (target < 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
