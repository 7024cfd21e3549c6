"""Shared parts of the benchmarks: a throwaway site under a temporary var dir, granian, nginx, wrk.

Everything listens on 127.0.0.1 in the delivery range (VESTNIK_BENCH_PORT, default 8610) and is
stopped by the benchmark itself; nothing here touches the machine's shared servers.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GRANIAN = str(Path(PY).parent / "granian")
BASE_PORT = int(os.environ.get("VESTNIK_BENCH_PORT", "8610"))
DEMO_ARTICLE = "/politika/peskov-rasskazal-o-raznoglasiiakh-putina-i-baidena/"


def site_env(var_dir: Path, **extra) -> dict:
    """Production settings on a throwaway var dir: SQLite and local memory unless BENCH_DATABASE_URL
    or BENCH_REDIS_URL are given."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="vestnik.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_DEBUG="false",
        VESTNIK_HTTPS="false",
        VESTNIK_VAR_DIR=str(var_dir),
        VESTNIK_LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env: dict, *args: str, quiet: bool = True) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def django_command(function: str, **arguments) -> list[str]:
    """The command line that calls bench/inprocess.py's `function` inside Django (for benches
    that talk to it while it runs; run it with cwd=ROOT and a site_env)."""
    return [PY, str(ROOT / "bench" / "django_call.py"), function, json.dumps(arguments)]


def django_call(env: dict, function: str, **arguments):
    """Call bench/inprocess.py's `function(**arguments)` in a configured Django process; its result."""
    result = subprocess.run(
        django_command(function, **arguments), cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"{function} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def django_run(env: dict, code: str) -> str:
    """Run Python code kept in a string inside Django; returns its stdout. Kept for scripts
    written before django_call: new code belongs in bench/inprocess.py, where ruff sees it."""
    return manage(env, "shell", "-c", code)


def build_site(var_dir: Path, port: int, env: dict, filler_per_rubric: int = 0) -> None:
    """Migrate, set up the newsroom, load the demo, collect static files (hashed names)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "setup_newsroom", "--hostname", "127.0.0.1", "--port", str(port))
    django_call(env, "seed", filler_per_rubric=filler_per_rubric)
    manage(env, "collectstatic", "--noinput", "-v0")


def bulk_articles(env: dict, target: int) -> int:
    """Top the archive up to `target` articles with cheap bulk rows (minutes → seconds)."""
    return django_call(env, "bulk_articles", target=target)


def article_queries(env: dict, path: str = DEMO_ARTICLE) -> tuple[int, int]:
    """(SQL queries for one warm render of `path`, articles in the database); page cache off."""
    env = dict(env, VESTNIK_PAGE_CACHE="false")
    status, queries, articles = django_call(env, "article_queries", path=path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return queries, articles


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def db_worker(env: dict) -> subprocess.Popen:
    """The database task worker, as `scripts/serve` runs it; stop it with `_stop`."""
    return subprocess.Popen(
        [PY, "manage.py", "db_worker", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # _stop signals the process group
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def granian(env: dict, port: int, workers: int = 2, var_dir: Path | None = None):
    """granian (ASGI) with `workers` processes, serving static files itself like scripts/serve."""
    args = [GRANIAN, "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port)]
    args += ["--workers", str(workers), "--log-level", "warning"]
    if var_dir is not None:
        args += ["--static-path-route", "/static", "--static-path-mount", str(var_dir / "static")]
    process = subprocess.Popen(
        [*args, "vestnik.asgi:application"], cwd=ROOT, env=env, start_new_session=True
    )
    try:
        wait_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


@contextmanager
def background(env: dict, *args: str, nice: int = 0, log: Path | None = None):
    """A `manage.py` process (the worker, the scheduler) beside the server, stopped with it; its
    output goes to `log` (appended) when given."""
    command = [PY, "manage.py", *args]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    out = open(log, "ab") if log else None  # closed below, after the process
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=out, stderr=out
    )
    try:
        yield process
    finally:
        _stop(process)
        if out:
            out.close()


NGINX_CONF = """
worker_processes {workers};
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  default_type text/html;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/root;
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""


@contextmanager
def nginx_static(files: dict[str, bytes], port: int, workers: int = 2):
    """nginx serving `files` (URL path → bytes) as static files: the baseline."""
    directory = Path(tempfile.mkdtemp(prefix="vestnik-bench-nginx-"))
    os.chmod(directory, 0o755)
    for path, body in files.items():
        target = directory / "root" / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    for path in directory.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, dir=directory, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen(
        [nginx, "-c", str(conf), "-e", str(directory / "error.log")], start_new_session=True
    )
    try:
        wait_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
        shutil.rmtree(directory, ignore_errors=True)


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int = 10, connections: int = 16, threads: int = 1) -> dict:
    """wrk --latency: requests per second, p50 and p99 (ms), errors (non-2xx/3xx and socket)."""
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        result[f"p{pct}_ms"] = _ms(re.search(rf"\s{pct}(?:\.000)?%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(bad.group(1)) if bad else 0) + (
        sum(int(x) for x in sock.groups()) if sock else 0
    )
    return result


def nginx_cpu_per_request(
    master_pid: int, url: str, seconds: int = 5, connections: int = 16
) -> float:
    """CPU µs nginx's workers spend per request on `url` (utime + stime over a wrk run).

    Unlike requests per second this hardly moves with what else the machine runs, so it shows
    what a path costs nginx itself even on a busy box."""
    workers = [
        int(pid)
        for pid in subprocess.run(
            ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
        ).stdout.split()
    ]

    def ticks() -> int:
        total = 0
        for pid in workers:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total

    before = ticks()
    out = subprocess.run(
        ["wrk", "-t1", "-c", str(connections), "-d", f"{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    used = ticks() - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return used / os.sysconf("SC_CLK_TCK") * 1e6 / requests


def save(name: str, data: dict) -> None:
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.1%}" if baseline else "n/a"


def static_baseline(body: bytes, port: int, seconds: int, connections: int) -> dict:
    """wrk against nginx serving `body` at the demo article's path: the same-run baseline."""
    with nginx_static({DEMO_ARTICLE: body}, port) as base:
        wrk(base + DEMO_ARTICLE, seconds=1, connections=4)
        return wrk(base + DEMO_ARTICLE, seconds=seconds, connections=connections)


def bulk_articles_postgres(env: dict, target: int, chunk: int = 50_000) -> int:
    """Top the archive up to `target` articles in SQL (PostgreSQL only; 1,000,000 in minutes)."""
    return django_call(env, "bulk_articles_postgres", target=target, chunk=chunk)
