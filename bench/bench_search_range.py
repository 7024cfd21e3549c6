"""Search with a hostile date range (0001-01-02..9998-12-30) against a plain query, on the demo
site (SQLite FTS5): the range is clamped to the archive's span, so it costs what a plain search
does. «before» runs the backend with the range as typed (what search did before the clamp).

`python bench/bench_search_range.py` (or `make bench BENCH=search_range`); 20 runs each, medians.
"""

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import build_site, django_run, save, site_env

RUNS = 20
CODE = r"""
import json, statistics, time
from datetime import date
from vestnik.search import selectors
from vestnik.search.backends import backend
from vestnik.search.morphology import parse_query

WIDE = dict(date_from=date(1, 1, 2), date_to=date(9998, 12, 30))

def timed(call):
    call()  # warm
    runs = []
    for _ in range({runs}):
        start = time.perf_counter()
        call()
        runs.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(runs), 1), round(max(runs), 1)

query = parse_query("путин")
raw = dict(rubric_id=None, story_id=None, **WIDE)
print(json.dumps({{
    "plain": timed(lambda: selectors.search("путин")),
    "wide_before": timed(lambda: backend().search(query, raw, "relevance", 20, 0)),
    "wide_after": timed(lambda: selectors.search("путин", **WIDE)),
    "span": [str(day) for day in selectors.archive_span()],
}}))
"""


def main():
    with tempfile.TemporaryDirectory(prefix="vestnik-bench-range-") as tmp:
        env = site_env(Path(tmp))
        build_site(Path(tmp), 8000, env)
        result = json.loads(django_run(env, CODE.format(runs=RUNS)).strip().splitlines()[-1])
    for name in ("plain", "wide_before", "wide_after"):
        median, worst = result[name]
        print(f"{name:12} median {median:8.1f} ms   max {worst:8.1f} ms")
    print("archive span:", " .. ".join(result["span"]))
    save("search_range", result)


if __name__ == "__main__":
    main()
