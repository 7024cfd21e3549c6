"""Search with a hostile date range (0001-01-02..9998-12-30) against a plain query, on the demo
site (SQLite FTS5): the range is clamped to the archive's span, so it costs what a plain search
does. «before» runs the backend with the range as typed (what search did before the clamp).

`python bench/bench_search_range.py` (or `make bench BENCH=search_range`); 20 runs each, medians.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import build_site, django_call, save, site_env

RUNS = 20


def main():
    with tempfile.TemporaryDirectory(prefix="vestnik-bench-range-") as tmp:
        env = site_env(Path(tmp))
        build_site(Path(tmp), 8000, env)
        result = django_call(env, "search_range", runs=RUNS)
    for name in ("plain", "wide_before", "wide_after"):
        median, worst = result[name]
        print(f"{name:12} median {median:8.1f} ms   max {worst:8.1f} ms")
    print("archive span:", " .. ".join(result["span"]))
    save("search_range", result)


if __name__ == "__main__":
    main()
