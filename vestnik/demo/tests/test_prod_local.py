"""`make prod-local` from a checkout the postgres user cannot enter (under /root, a mode-700 folder)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "prod-local.sh"


def _check(prod_dir: Path) -> str:
    env = {**os.environ, "VESTNIK_PROD_DIR": str(prod_dir)}
    env.pop("VESTNIK_PROD_PG_DIR", None)
    done = subprocess.run(
        ["bash", str(SCRIPT), "--check"], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().removeprefix("PGDATA=")


@pytest.mark.skipif(os.geteuid() != 0, reason="as another user the cluster is the user's own")
def test_a_cluster_postgres_cannot_reach_moves_to_postgres_home(tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    pgdata = _check(closed / "checkout" / "var" / "prod")
    assert not pgdata.startswith(str(closed))
    # postgres can create it there: initdb would not fail with «Permission denied»
    parent = Path(pgdata).parent.parent
    done = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-w", str(parent)])
    assert done.returncode == 0
    assert not (closed / "checkout").exists()  # --check starts and creates nothing


def test_an_open_checkout_keeps_its_cluster_inside():
    # Not under pytest's tmp_path: its parent is mode 700, which is the other case.
    checkout = Path(tempfile.mkdtemp(prefix="vestnik-open-checkout-"))
    try:
        checkout.chmod(0o755)
        assert all(parent.stat().st_mode & 0o001 for parent in checkout.parents)
        assert _check(checkout / "var" / "prod") == str(checkout / "var" / "prod" / "pgdata")
    finally:
        shutil.rmtree(checkout, ignore_errors=True)
