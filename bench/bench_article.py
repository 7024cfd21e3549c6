"""The demo article, fully rendered (no page cache), against nginx serving the same bytes.

Production settings, granian with 2 workers, wrk on the demo article: requests per second,
p50 and p99; SQL queries per article page with the demo's few articles and with 10,000. Every
request runs Django, routing and the templates; shared fragments, the site and the article at
its path are warm (as on any site with readers). The same without them, for comparison.
Targets (issue 2 §7): ≤ 12 queries, equal at both sizes; ≥ 250 requests per second.
"""

import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def main() -> int:
    app_port, nginx_port = common.BASE_PORT, common.BASE_PORT + 1
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-article-"))
    # Full render: the page cache stays off, fragments and renditions caches stay on.
    env = common.site_env(var_dir, VESTNIK_PAGE_CACHE="false")
    try:
        print("building the demo site (production settings, SQLite)…", flush=True)
        common.build_site(var_dir, app_port, env)
        small_queries, small_articles = common.article_queries(env)
        print(f"  queries per article page: {small_queries} with {small_articles} articles")
        common.bulk_articles(env, 10_000)
        large_queries, large_articles = common.article_queries(env)
        print(f"  queries per article page: {large_queries} with {large_articles} articles")

        with common.granian(env, app_port, workers=2, var_dir=var_dir) as base:
            url = base + common.DEMO_ARTICLE
            status, _, body = common.fetch(url)
            assert status == 200, status
            common.wrk(url, seconds=2, connections=4)  # warm every worker
            app = common.wrk(url, seconds=SECONDS, connections=CONNECTIONS)
        # For comparison: nothing shared between requests (fragments, site, routing all cold).
        cold_env = dict(env, VESTNIK_FRAGMENT_CACHE="false")
        cold_queries, _ = common.article_queries(cold_env)
        with common.granian(cold_env, app_port, workers=2, var_dir=var_dir) as base:
            url = base + common.DEMO_ARTICLE
            common.wrk(url, seconds=2, connections=4)
            cold = common.wrk(url, seconds=SECONDS, connections=CONNECTIONS)
        static = common.static_baseline(body, nginx_port, SECONDS, CONNECTIONS)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    results = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "page_bytes": len(body),
        "queries": {str(small_articles): small_queries, str(large_articles): large_queries},
        "app_full_render": app,
        "app_full_render_no_fragments": cold,
        "queries_no_fragments": cold_queries,
        "nginx_static": static,
        "wrk": {"seconds": SECONDS, "connections": CONNECTIONS, "threads": 1},
    }
    common.save("article", results)
    print(f"page: {len(body)} bytes; wrk {SECONDS}s, {CONNECTIONS} connections")
    print(
        f"full render (granian ×2): {app['rps']:.0f} req/s, p50 {app['p50_ms']:.1f} ms, "
        f"p99 {app['p99_ms']:.1f} ms, errors {app['errors']}"
    )
    print(
        f"  without shared fragments: {cold['rps']:.0f} req/s, p50 {cold['p50_ms']:.1f} ms, "
        f"p99 {cold['p99_ms']:.1f} ms, {cold_queries} queries"
    )
    print(
        f"nginx static copy:        {static['rps']:.0f} req/s, p50 {static['p50_ms']:.2f} ms, "
        f"p99 {static['p99_ms']:.2f} ms, errors {static['errors']}"
    )
    print(f"ratio full render / static: {common.ratio(app['rps'], static['rps'])}")
    print(
        f"SQL queries per article page: {small_queries} ({small_articles} articles), "
        f"{large_queries} ({large_articles} articles); target ≤ 12 and equal"
    )
    ok = large_queries <= 12 and small_queries == large_queries
    print(
        f"targets: queries {'met' if ok else 'MISSED'}, "
        f"≥ 250 req/s {'met' if app['rps'] >= 250 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
