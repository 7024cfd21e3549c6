"""The rate limit holds across app processes when Redis is the cache (make test-prod)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs REDIS_URL (make test-prod): local memory is per process"
)

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import sys, django
django.setup()
from vestnik.core.ratelimit import ratelimit_hit
print(sum(ratelimit_hit(sys.argv[1], 6, 60) for _ in range(5)))
"""


def test_two_processes_share_one_count():
    key = f"test:{uuid.uuid4().hex}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vestnik.settings.test"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, key],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    allowed = [int(worker.communicate(timeout=60)[0].strip()) for worker in workers]
    # 10 attempts in one window against a limit of 6: exactly 6 pass, whichever process made them.
    assert sum(allowed) == 6, allowed
