"""`make bench`: runs every bench/bench_*.py in name order; each prints its figures.

Convention for a benchmark script: measure against a baseline taken in the same run (nginx serving
the same bytes as a static file is the usual one) and print ratios, never bare absolute numbers
alone; write machine-readable results to bench/results/<name>.json; stop by itself (bounded loops).
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    only = sys.argv[1:]
    failed = []
    for script in scripts:
        if only and not any(name in script.stem for name in only):
            continue
        print(f"\n=== {script.stem}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
