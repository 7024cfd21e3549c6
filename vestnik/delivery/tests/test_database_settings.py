"""Database connection settings, read in a fresh interpreter (settings are read once per process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = (
    "import json; from vestnik.settings import base; "
    "print(json.dumps(base.DATABASES['default']['CONN_MAX_AGE']))"
)


def conn_max_age(**environ) -> int:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_CONN_MAX_AGE")
    }
    env.update(environ)
    out = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_postgresql_connections_close_after_each_request_by_default():
    # Under ASGI each request has a thread of its own: a kept connection would never be reused,
    # only left open (dozens with a few concurrent readers, up to PostgreSQL's max_connections).
    assert conn_max_age(DATABASE_URL="postgres://u@127.0.0.1:5432/x") == 0


def test_a_wsgi_deployment_can_keep_connections():
    url = "postgres://u@127.0.0.1:5432/x"
    assert conn_max_age(DATABASE_URL=url, DATABASE_CONN_MAX_AGE="60") == 60


def test_sqlite_never_keeps_connections():
    assert conn_max_age(DATABASE_CONN_MAX_AGE="60") == 0
