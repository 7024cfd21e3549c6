"""deploy/nginx.conf.template filled as deploy/prod-local.sh fills it, for tests that run nginx."""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf.template"
# prod-local.sh's defaults for what the tests do not care about.
DEFAULTS = {
    "LITE_VAR": "x_vestnik_lite",
    "PUBLIC_MAX_BODY_KB": 64,
    "ADMIN_MAX_BODY_MB": 300,
    "NGINX_WORKERS": 2,
}


def nginx_config(**values) -> str:
    """The template with every @NAME@ filled; a placeholder nobody filled fails here, not in nginx."""
    text = TEMPLATE.read_text()
    for name, value in {**DEFAULTS, **values}.items():
        text = text.replace(f"@{name}@", str(value))
    left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
    assert not left, f"deploy/nginx.conf.template: no value for {', '.join(left)}"
    return text


@contextmanager
def nginx_running(nginx: str, **values):
    """nginx started (daemonised, as prod-local starts it) from the filled template in a folder of
    its own, stopped and removed afterwards; yields the folder. Not under pytest's tmp_path: when
    run as root, nginx's workers (user nobody) write its cache and must reach the folder."""
    directory = Path(tempfile.mkdtemp(prefix="vestnik-test-nginx-"))
    directory.chmod(0o755)
    for sub in ("run", "log", "var"):
        (directory / sub).mkdir()
        (directory / sub).chmod(0o777)
    config = directory / "nginx.conf"
    config.write_text(
        nginx_config(RUN=directory / "run", LOG=directory / "log", VAR=directory / "var", **values)
    )
    subprocess.run([nginx, "-c", str(config), "-e", str(directory / "log/error.log")], check=True)
    pid_file = directory / "run" / "nginx.pid"
    try:
        yield directory
    finally:
        os.kill(int(pid_file.read_text()), signal.SIGQUIT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and pid_file.exists():
            time.sleep(0.05)
        shutil.rmtree(directory, ignore_errors=True)
