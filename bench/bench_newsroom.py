"""The newsroom's day in chromium: each action's response and how long until readers see it.

A demo site served as `scripts/serve` serves it (production settings, granian with 2 workers, the
scheduler, `VESTNIK_TASKS=database` with a worker at `nice` 10). Debian's chromium (Playwright)
signs in as the demo's author and editor and, for NEWSROOM_ROUNDS rounds (default 10):

- the author opens a new article in a rubric, types a title and a paragraph, «Сохранить черновик»,
  then «Отправить на …» (the review workflow);
- the editor «Больше действий → Одобрить и Опубликовать»; retitles and «Опубликовать»;
  «Снять с публикации»; then sets «Опубликовать в» 1–2 minutes ahead and «Опубликовать» (a
  schedule: response only). Scheduling comes last because Wagtail locks a page with a scheduled
  version (nobody may unpublish it until the schedule is cancelled); the scheduler publishes
  the article a minute or two later, during a later round, as it would in a newsroom.

Each action's figure is the POST's response (click → the response's headers; the browser then
follows the redirect), and for approve, retitle and unpublish the time from that response until
every reader page shows the change: the article, home, the rubric, /news/, /rss/ and
/search/?q=<a word of the title>, polled in parallel without cookies. Baseline in the same run:
the editor's GET of the admin dashboard. Targets (issue 13 §6): p95 ≤ 1 s per action, visible
within 2 s. The first round after the start is printed on its own as well.
"""

import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

from vestnik.news.tests.admin_ui import add_paragraph

ROUNDS = int(os.environ.get("NEWSROOM_ROUNDS", "10"))
# 1: start as a fresh demo does, the worker draining the demo's analysis (entities, «Читайте
# также», renditions) during the first rounds; 0: an idle worker.
FRESH = os.environ.get("NEWSROOM_FRESH", "1") == "1"
VISIBLE_TIMEOUT = 20.0  # seconds before a page counts as never showing the change
MSK = ZoneInfo("Europe/Moscow")
ACTIONS = ("save_draft", "submit", "approve", "retitle", "unpublish", "schedule")
PAGES = ("article", "home", "rubric", "feed", "rss", "search")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def stats(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "median": round(statistics.median(ordered), 3),
        "p95": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 3),
        "max": round(ordered[-1], 3),
        "first": round(values[0], 3),
    }


def sign_in(browser, base: str, username: str, password: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    return page


def timed_post(page, click) -> float:
    """Seconds from the click to the response of the form's POST; then waits for the next page."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.is_navigation_request(), timeout=60_000
    ) as info:
        start = time.perf_counter()
        click()
    info.value  # noqa: B018  (waits for the response)
    elapsed = time.perf_counter() - start
    page.wait_for_load_state("load")
    return elapsed


def more_actions(page, button: str) -> None:
    page.get_by_role("button", name="Больше действий").click()
    page.locator(f"button[name={button}]").first.click()


def open_editor(page, base: str, pk: int) -> None:
    page.goto(f"{base}/admin/pages/{pk}/edit/")
    page.locator("#id_title").wait_for()


def time_to_visible(base: str, urls: dict[str, str], shown, since: float) -> dict[str, float]:
    """Seconds from `since` until `shown(status, body)` holds for each page (None: never)."""

    def poll(url: str) -> float | None:
        with httpx.Client(timeout=10) as client:
            while time.perf_counter() - since < VISIBLE_TIMEOUT:
                response = client.get(base + url)
                if shown(response.status_code, response.text):
                    return round(time.perf_counter() - since, 3)
                time.sleep(0.05)
        return None

    with ThreadPoolExecutor(len(urls)) as pool:
        found = dict(zip(urls, pool.map(poll, urls.values()), strict=True))
    found["all"] = None if None in found.values() else max(found.values())
    return found


def newsroom_round(author, editor, base: str, rubric: dict, word: str) -> tuple[dict, dict]:
    """One article through the day; (seconds per action, seconds until visible per action)."""
    took, visible = {}, {}
    title, new_title = f"Редакция проверяет выпуск {word}a", f"Редакция уточнила выпуск {word}b"

    author.goto(f"{base}/admin/pages/add/news/articlepage/{rubric['id']}/")
    author.locator("#id_title").fill(title)
    add_paragraph(author, "Первый абзац заметки, набранный автором в редакторе.")
    took["save_draft"] = timed_post(
        author, lambda: author.get_by_role("button", name="Сохранить черновик").click()
    )
    pk = int(author.url.rstrip("/").split("/")[-2])
    slug = author.locator("#id_slug").input_value()
    took["submit"] = timed_post(author, lambda: more_actions(author, "action-submit"))

    urls = {
        "article": f"{rubric['url']}{slug}/",
        "home": "/",
        "rubric": rubric["url"],
        "feed": "/news/",
        "rss": "/rss/",
    }

    open_editor(editor, base, pk)
    took["approve"] = timed_post(
        editor,
        lambda: (
            editor.get_by_role("button", name="Больше действий").click(),
            editor.get_by_role("button", name="Одобрить и Опубликовать").click(),
        ),
    )
    since = time.perf_counter()
    visible["approve"] = time_to_visible(
        base,
        {**urls, "search": f"/search/?q={word}a"},
        lambda status, body: status == 200 and title in body,
        since,
    )

    open_editor(editor, base, pk)
    editor.locator("#id_title").fill(new_title)
    took["retitle"] = timed_post(editor, lambda: more_actions(editor, "action-publish"))
    since = time.perf_counter()
    visible["retitle"] = time_to_visible(
        base,
        {**urls, "search": f"/search/?q={word}b"},
        lambda status, body: status == 200 and new_title in body,
        since,
    )

    editor.goto(f"{base}/admin/pages/{pk}/unpublish/")
    took["unpublish"] = timed_post(
        editor, lambda: editor.locator("form[action*=unpublish] button[type=submit]").click()
    )
    since = time.perf_counter()
    visible["unpublish"] = time_to_visible(
        base,
        {**urls, "search": f"/search/?q={word}b"},
        # The article answers 404 (with the title it would be 200); lists and search drop it.
        lambda status, body: status in (404, 410) or (status == 200 and new_title not in body),
        since,
    )
    open_editor(editor, base, pk)
    editor.get_by_role("tab", name="Настройки").click()
    go_live = (datetime.now(UTC) + timedelta(minutes=2)).astimezone(MSK)
    field = editor.get_by_label("Опубликовать в")
    field.fill(go_live.strftime("%d.%m.%Y %H:%M"))
    field.press("Tab")
    editor.locator("body").dispatch_event("mousedown")
    took["schedule"] = timed_post(editor, lambda: more_actions(editor, "action-publish"))

    return took, visible


def dashboard_baseline(editor, base: str, count: int) -> list[float]:
    """The editor's GET of /admin/ (the same session, server and machine): the run's yardstick."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = editor.request.get(base + "/admin/")
        times.append(time.perf_counter() - start)
        assert response.status == 200, response.status
    return times


def main() -> int:
    # Playwright's sync API and these threads never touch Django; nothing to allow here.
    from playwright.sync_api import sync_playwright

    port = common.BASE_PORT
    var_dir = Path(tempfile.mkdtemp(prefix="vestnik-bench-newsroom-"))
    log = Path(tempfile.gettempdir()) / "vestnik-bench-newsroom.log"  # the worker's and scheduler's
    log.write_bytes(b"")
    env = common.site_env(
        var_dir,
        VESTNIK_TASKS="database",
        VESTNIK_BASE_URL=f"http://127.0.0.1:{port}",
        # Wagtail's workflow e-mails are rendered and "sent" inline, as in the demo (console).
        VESTNIK_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    took: dict[str, list[float]] = {action: [] for action in ACTIONS}
    visible: dict[str, dict[str, list]] = {
        action: {page: [] for page in (*PAGES, "all")}
        for action in ("approve", "retitle", "unpublish")
    }
    stamp = datetime.now(UTC).strftime("%H%M%S")
    load_before = os.getloadavg()
    try:
        print("building the demo site (production settings, SQLite)…", flush=True)
        common.build_site(var_dir, port, env)
        common.manage(env, "seed_demo")  # content already there: only the demo accounts
        if FRESH:
            common.django_call(env, "demo_analysis_queue")
        rubric = common.django_call(env, "newsroom_rubric")
        with (
            common.background(env, "run_scheduler", log=log),
            common.background(env, "db_worker", "--interval", "0.5", nice=10, log=log),
            common.granian(env, port, workers=2, var_dir=var_dir) as base,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            author = sign_in(browser, base, "author", "vestnik-author")
            editor = sign_in(browser, base, "editor", "vestnik-editor")
            for number in range(ROUNDS):
                try:
                    round_took, round_visible = newsroom_round(
                        author, editor, base, rubric, f"zq{stamp}r{number}"
                    )
                except Exception:
                    for who, page in (("author", author), ("editor", editor)):
                        shot = Path(tempfile.gettempdir()) / f"vestnik-bench-newsroom-{who}.png"
                        page.screenshot(path=shot, full_page=True)
                        print(f"{who} at {page.url}: {shot}", file=sys.stderr)
                    raise
                for action, seconds in round_took.items():
                    took[action].append(seconds)
                for action, pages in round_visible.items():
                    for page, seconds in pages.items():
                        visible[action][page].append(seconds)
                print(
                    f"  round {number + 1}: "
                    + ", ".join(f"{a} {s:.2f}s" for a, s in round_took.items())
                    + "; visible "
                    + ", ".join(f"{a} {v['all']}s" for a, v in round_visible.items()),
                    flush=True,
                )
            baseline = dashboard_baseline(editor, base, max(ROUNDS, 10))
            browser.close()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"(the worker's and the scheduler's output: {log})")

    base_median = statistics.median(baseline)
    print(f"\nbaseline: admin dashboard GET median {base_median:.3f}s (n={len(baseline)})")
    print(f"{'action':<12}{'n':>4}{'median':>9}{'p95':>8}{'max':>8}{'first':>8}  × dashboard")
    response_stats = {action: stats(values) for action, values in took.items()}
    for action, row in response_stats.items():
        print(
            f"{action:<12}{row['n']:>4}{row['median']:>8.3f}s{row['p95']:>7.3f}s"
            f"{row['max']:>7.3f}s{row['first']:>7.3f}s  {row['median'] / base_median:.1f}×"
        )
    print("\ntime to visible after the response (every page; `never` = not within 20 s)")
    visible_stats = {}
    for action, pages in visible.items():
        visible_stats[action] = {}
        for page, values in pages.items():
            seen = [v for v in values if v is not None]
            row = stats(seen) | {"never": len(values) - len(seen)}
            visible_stats[action][page] = row
        row = visible_stats[action]["all"]
        slowest = {p: visible_stats[action][p].get("p95") for p in PAGES}
        print(
            f"{action:<12}{row['n']:>4}{row.get('median', 0):>8.3f}s{row.get('p95', 0):>7.3f}s"
            f"{row.get('max', 0):>7.3f}s{row.get('first', 0):>7.3f}s  never {row['never']}"
            f"  p95 by page {slowest}"
        )
    worst_p95 = max(row["p95"] for row in response_stats.values())
    worst_visible = max(v["all"].get("max", math.inf) for v in visible_stats.values())
    print(
        f"\ntargets: p95 ≤ 1 s per action: {'met' if worst_p95 <= 1 else 'NOT met'} "
        f"(worst {worst_p95:.3f}s); visible within 2 s: "
        f"{'met' if worst_visible <= 2 else 'NOT met'} (worst {worst_visible:.3f}s)"
    )
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    common.save(
        "newsroom",
        {
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "rounds": ROUNDS,
            "fresh": FRESH,
            "load_average": {"before": load_before, "after": load_after},
            "baseline_dashboard_get": stats(baseline),
            "response": response_stats,
            "visible": visible_stats,
            "raw": {"response": took, "visible": visible},
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
