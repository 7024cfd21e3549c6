"""The Wagtail admin at a large archive in PostgreSQL (issue 13 §6): the explorer of a rubric, its
page 500, the admin page search, the page chooser and the site history report, ≤ 1 s p95.

Production settings on a throwaway PostgreSQL database (BENCH_DATABASE_URL, default
vestnik_bench_admin on 127.0.0.1; dropped at the end unless BENCH_KEEP_DATABASE is set, and reused
as it is when it already holds ADMIN_ARTICLES articles and BENCH_REUSE_DATABASE is set), granian
with 2 workers. The demo is loaded, the archive topped up to ADMIN_ARTICLES (default 1,000,000;
ADMIN_ARTICLES=100000 for a quick run) in SQL (common.bulk_articles_postgres) and its rows put
into Wagtail's admin search index in bulk SQL (inprocess.admin_search_index). Then the demo editor
logs in over HTTP (httpx, CSRF token from the login form) and each view is fetched ADMIN_N times
in turn, one request at a time; median and p95 per view. Baselines in the same run: the admin
dashboard and a static file through the same granian.
"""

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

import common
import httpx
import psycopg

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vestnik_bench_admin"
)
ARTICLES = int(os.environ.get("ADMIN_ARTICLES", "1000000"))
N = int(os.environ.get("ADMIN_N", "20"))
TARGET_MS = 1000
EDITOR = ("editor", "vestnik-editor")  # demo account (vestnik/demo/services.py DEMO_USERS)
RARE_WORD = "Песков"  # in one demo title
COMMON_WORD = "архивная"  # in every archive title
# Views that may be timed fewer times (ADMIN_FEW_N): the search for a word in every archive title
# took 16–20 s while Wagtail ranked every match; since news/admin_search.py it is timed ADMIN_N
# times like the others unless ADMIN_FEW_N says otherwise.
FEW_N = int(os.environ.get("ADMIN_FEW_N", str(N)))
FEW = {f"admin search «{COMMON_WORD}»"}


def _admin_dsn(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _articles_in(url: str) -> int | None:
    """Articles in the database at `url`, or None when it does not exist or is not built."""
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute("SELECT count(*) FROM news_articlepage").fetchone()[0]
    except psycopg.Error:
        return None


def recreate_database(url: str, drop_only: bool = False) -> None:
    dsn, name = _admin_dsn(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def login(client: httpx.Client) -> None:
    client.get("/admin/login/")
    token = client.cookies["csrftoken"]
    response = client.post(
        "/admin/login/",
        data={"username": EDITOR[0], "password": EDITOR[1], "csrfmiddlewaretoken": token},
        headers={"Referer": str(client.base_url) + "/admin/login/"},
    )
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"login failed: {response.status_code}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(base: str, views: dict[str, str]) -> dict:
    """Each view ADMIN_N times (FEW: ADMIN_FEW_N), interleaved (one round visits every view),
    after two unmeasured rounds that warm the code in both workers."""
    times = {name: [] for name in views}
    with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
        login(client)
        for number in range(N + 2):
            for name, path in views.items():
                if name in FEW and number >= FEW_N + 2:
                    continue
                start = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{name} {path}: {response.status_code}")
                if number >= 2:  # two warm-up rounds: one per worker at least
                    times[name].append(elapsed)
    return {
        name: {
            "path": views[name],
            "median_ms": statistics.median(values),
            "p95_ms": percentile(values, 0.95),
            "max_ms": max(values),
        }
        for name, values in times.items()
    }


def main() -> int:
    port = common.BASE_PORT
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-admin-"))
    env = common.site_env(var_dir, DATABASE_URL=DATABASE_URL)
    reuse = os.environ.get("BENCH_REUSE_DATABASE") and (_articles_in(DATABASE_URL) or 0) >= ARTICLES
    load = [os.getloadavg()]
    try:
        if reuse:
            print(f"reusing {DATABASE_URL}", flush=True)
            var_dir.mkdir(parents=True, exist_ok=True)
            common.manage(env, "migrate", "--noinput", "-v0")
            common.manage(env, "collectstatic", "--noinput", "-v0")
        else:
            recreate_database(DATABASE_URL)
            print(f"building the demo site (production settings, {DATABASE_URL})…", flush=True)
            common.build_site(var_dir, port, env)
            start = time.monotonic()
            articles = common.bulk_articles_postgres(env, ARTICLES)
            print(f"{articles:,} articles, filled in {time.monotonic() - start:.0f} s", flush=True)
        indexed = common.django_call(env, "admin_search_index")
        print(f"admin search index: {indexed}", flush=True)
        target = common.django_call(env, "admin_targets")
        rubric = target["rubric"]
        static = next((var_dir / "static").rglob("*.css")).relative_to(var_dir)
        views = {
            "static file (baseline)": f"/{static}",
            "dashboard (baseline)": "/admin/",
            "explorer «Политика»": f"/admin/pages/{rubric}/",
            "explorer «Политика», page 500": f"/admin/pages/{rubric}/?p=500",
            f"admin search «{RARE_WORD}»": f"/admin/pages/search/?q={RARE_WORD}",
            f"admin search «{COMMON_WORD}»": f"/admin/pages/search/?q={COMMON_WORD}",
            "page chooser": "/admin/choose-page/",
            "page chooser, «Политика»": f"/admin/choose-page/{rubric}/",
            "site history report": "/admin/reports/site-history/",
        }
        load.append(os.getloadavg())
        with common.granian(env, port, workers=2, var_dir=var_dir) as base:
            results = measure(base, views)
        load.append(os.getloadavg())
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if not os.environ.get("BENCH_KEEP_DATABASE"):
            recreate_database(DATABASE_URL, drop_only=True)

    print(f"\n{target['children']:,} articles in «Политика»; {N} requests per view, one at a time")
    print(f"load average before / at start / after: {load}")
    print(f"{'view':<36} {'median':>9} {'p95':>9} {'max':>9}")
    for name, result in results.items():
        print(
            f"{name:<36} {result['median_ms']:>6.0f} ms {result['p95_ms']:>6.0f} ms"
            f" {result['max_ms']:>6.0f} ms"
        )
    measured = [r for name, r in results.items() if "baseline" not in name]
    met = all(r["p95_ms"] <= TARGET_MS for r in measured)
    print(f"target (every admin view ≤ {TARGET_MS} ms p95): {'met' if met else 'MISSED'}")
    common.save(
        "admin",
        {
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "articles": ARTICLES,
            "n": N,
            "load": load,
            "views": results,
            "met": met,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
