"""Delivery under load (issue 6 §4, the parts measured so far), against nginx in the same run.

- The embedded default (granian alone, 2 workers, SQLite, local memory) with a warm page cache:
  requests per second and p99 on the demo article vs nginx serving the same bytes statically.
- Publish-to-visible: an editor publishes while readers hit the home page; the time until each
  new headline is on the home page (the purge crosses processes through the tag table).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
PUBLISHES = int(os.environ.get("BENCH_PUBLISHES", "5"))


def publish_visibility(env, base) -> list[float]:
    """Seconds from each publish's commit to the headline showing on the home page."""
    seen: dict[str, float] = {}
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            _, _, body = common.fetch(base + "/")
            text = body.decode()
            now = time.time()
            for n in range(PUBLISHES):
                if f"Молния{n}x" in text:
                    seen.setdefault(f"Молния{n}x", now)
            time.sleep(0.02)

    poller = threading.Thread(target=poll)
    poller.start()
    out = subprocess.run(
        common.django_command("publish_series", count=PUBLISHES),
        cwd=common.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    time.sleep(2)
    stop.set()
    poller.join()
    delays = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] in seen:
            delays.append(round(seen[parts[1]] - float(parts[0]), 3))
        elif len(parts) == 2 and parts[1].startswith("Молния"):
            delays.append(float("inf"))
    return delays


def main() -> int:
    app_port, nginx_port = common.BASE_PORT + 10, common.BASE_PORT + 11
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-delivery-"))
    env = common.site_env(var_dir)
    try:
        print("building the demo site (production settings, SQLite, local memory)…", flush=True)
        common.build_site(var_dir, app_port, env)
        with common.granian(env, app_port, workers=2, var_dir=var_dir) as base:
            url = base + common.DEMO_ARTICLE
            status, headers, body = common.fetch(url)
            assert status == 200, status
            common.wrk(url, seconds=2, connections=4)  # fill each worker's cache
            cached = common.wrk(url, seconds=SECONDS, connections=CONNECTIONS)
            delays = publish_visibility(env, base)
        static = common.static_baseline(body, nginx_port, SECONDS, CONNECTIONS)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    results = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "embedded_cached": cached,
        "nginx_static": static,
        "publish_visible_seconds": delays,
        "wrk": {"seconds": SECONDS, "connections": CONNECTIONS, "threads": 1},
    }
    common.save("delivery", results)
    print(
        f"embedded default, warm page cache (granian ×2): {cached['rps']:.0f} req/s, "
        f"p50 {cached['p50_ms']:.1f} ms, p99 {cached['p99_ms']:.1f} ms, errors {cached['errors']}"
    )
    print(
        f"nginx static copy:                              {static['rps']:.0f} req/s, "
        f"p99 {static['p99_ms']:.2f} ms"
    )
    print(f"ratio cached / static: {common.ratio(cached['rps'], static['rps'])}")
    print(f"publish → visible on the home page (s): {delays}  (target < 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
