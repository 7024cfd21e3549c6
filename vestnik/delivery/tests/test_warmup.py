"""A new app process pays its one-time costs when granian imports the ASGI entry, not on the
first readers' requests after a start; manage.py commands and runserver do not pay them."""

import os
import subprocess
import sys
from pathlib import Path

from django.template.loader import get_template

from vestnik.delivery.warmup import reader_templates, warm_up
from vestnik.search import morphology

ROOT = Path(__file__).resolve().parents[3]
LEMMATISER_LOADED = (
    "from vestnik.search.morphology import _analyzer; print(_analyzer.cache_info().currsize)"
)


def _python(code: str) -> str:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="vestnik.settings.test")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_warm_up_loads_the_lemmatiser_and_compiles_every_reader_template():
    names = reader_templates()
    assert "base.html" in names
    assert any(name.startswith("search/") for name in names)
    assert warm_up() >= 0
    assert morphology._analyzer.cache_info().currsize == 1
    for name in names:
        get_template(name)  # every one compiles (a broken one would only be logged by warm_up)


def test_the_asgi_entry_warms_up_and_a_plain_django_process_does_not():
    assert _python(f"import vestnik.asgi; {LEMMATISER_LOADED}") == "1"
    assert _python(f"import django; django.setup(); {LEMMATISER_LOADED}") == "0"
