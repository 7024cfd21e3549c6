"""`python bench/django_call.py <function> ['<JSON keyword arguments>']`: calls
`bench/inprocess.py`'s `<function>` inside a configured Django process (settings from the
environment, as `manage.py` would) and prints its result as JSON on the last line of stdout.

The benches run it through `common.django_call`; it exists so that the code they run inside
Django is ordinary Python that ruff checks, not text handed to `manage.py shell -c`.
"""

import importlib
import json
import os
import sys
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent


def main() -> int:
    function, arguments = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    sys.path[:0] = [str(HERE.parent), str(HERE)]  # `vestnik` and `inprocess`
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.dev")
    django.setup()
    # Imported by name after django.setup(): inprocess imports models at its top.
    inprocess = importlib.import_module("inprocess")
    result = getattr(inprocess, function)(**arguments)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
