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
    """Production settings on a throwaway var dir (SQLite unless BENCH_DATABASE_URL is given)."""
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
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env: dict, *args: str, quiet: bool = True) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def django_run(env: dict, code: str) -> str:
    """Run Python code inside a configured Django process; returns its stdout."""
    return manage(env, "shell", "-c", code)


def build_site(var_dir: Path, port: int, env: dict, filler_per_rubric: int = 0) -> None:
    """Migrate, set up the newsroom, load the demo, collect static files (hashed names)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "setup_newsroom", "--hostname", "127.0.0.1", "--port", str(port))
    django_run(
        env,
        "from vestnik.demo.services import demo_seed; "
        f"demo_seed(filler_per_rubric={filler_per_rubric})",
    )
    manage(env, "collectstatic", "--noinput", "-v0")


BULK_ARTICLES = r"""
import datetime, itertools
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page
from vestnik.feed.models import FeedEntry
from vestnik.news.models import ArticlePage, RubricPage

TARGET = {target}
have = ArticlePage.objects.count()
rubrics = list(RubricPage.objects.order_by("path"))
ct = ContentType.objects.get_for_model(ArticlePage)
fields = [f for f in ArticlePage._meta.local_concrete_fields]
columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
marks = ", ".join(["%s"] * len(fields))
sql = f"INSERT INTO {{ArticlePage._meta.db_table}} ({{columns}}) VALUES ({{marks}})"
start = timezone.now() - datetime.timedelta(days=400)
left = max(0, TARGET - have)
per = -(-left // len(rubrics)) if left else 0
made = 0
for rubric in rubrics:
    last = rubric.get_last_child()
    pos = last._get_lastpos_in_path() if last else 0
    count = min(per, left - made)
    for lo in range(0, count, 1000):
        with transaction.atomic():
            pages = []
            for i in range(lo, min(count, lo + 1000)):
                n = made + i
                when = start - datetime.timedelta(minutes=n)
                slug = f"archive-{{rubric.pk}}-{{pos + i + 1}}"
                pages.append(ArticlePage(
                    title=f"Архивная новость {{n}}", slug=slug, draft_title=f"Архивная новость {{n}}",
                    path=ArticlePage._get_path(rubric.path, rubric.depth + 1, pos + i + 1),
                    depth=rubric.depth + 1, numchild=0, live=True, has_unpublished_changes=False,
                    content_type=ct, url_path=f"{{rubric.url_path}}{{slug}}/", locale_id=rubric.locale_id,
                    first_published_at=when, last_published_at=when, published_at=when,
                    rubric_id=rubric.pk, lead="Архив.", body=[],
                ))
            created = Page.objects.bulk_create([Page(**{{f.attname: getattr(p, f.attname) for f in Page._meta.concrete_fields if f.attname != "id"}}) for p in pages])
            rows = []
            for base, page in zip(created, pages):
                page.page_ptr_id = page.id = base.pk
                rows.append([f.get_db_prep_save(getattr(page, f.attname), connection) for f in fields])
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            FeedEntry.objects.bulk_create([
                FeedEntry(key=f"article:{{p.pk}}", title=p.title, url=p.url_path, rubric_title=rubric.title,
                          rubric_url=rubric.url_path, published_at=p.published_at) for p in pages])
    Page.objects.filter(pk=rubric.pk).update(numchild=rubric.numchild + count)
    made += count
print(ArticlePage.objects.count())
"""


def bulk_articles(env: dict, target: int) -> int:
    """Top the archive up to `target` articles with cheap bulk rows (minutes → seconds)."""
    return int(django_run(env, BULK_ARTICLES.format(target=target)).strip().splitlines()[-1])


QUERY_COUNT = r"""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from vestnik.news.models import ArticlePage
client = Client(HTTP_HOST="127.0.0.1")
client.get("{path}")
with CaptureQueriesContext(connection) as ctx:
    status = client.get("{path}").status_code
print(status, len(ctx), ArticlePage.objects.count())
"""


def article_queries(env: dict, path: str = DEMO_ARTICLE) -> tuple[int, int]:
    """(SQL queries for one warm render of `path`, articles in the database); page cache off."""
    env = dict(env, VESTNIK_PAGE_CACHE="false")
    out = django_run(env, QUERY_COUNT.format(path=path)).strip().splitlines()[-1]
    status, queries, articles = (int(x) for x in out.split())
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


# PostgreSQL fast path for big archives: one INSERT … SELECT … FROM generate_series per chunk
# writes the wagtailcore_page rows (treebeard paths computed in SQL), their news_articlepage rows
# and feed entries at once (data-modifying CTEs). Values not computed per row come from an unsaved
# ArticlePage, so new NOT NULL columns keep working. Runs inside Django; the target and chunk size
# come from the environment (no str.format: the code is full of braces).
BULK_ARTICLES_POSTGRES = r"""
import os
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from wagtail.models import Page, Site
from vestnik.feed.models import FeedEntry
from vestnik.news.models import ArticlePage, RubricPage

TARGET = int(os.environ["BENCH_TARGET"])
CHUNK = int(os.environ.get("BENCH_CHUNK", "50000"))
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
assert connection.vendor == "postgresql", connection.vendor
assert Page.steplen == 4 and Page.alphabet == ALPHABET, (Page.steplen, Page.alphabet)
qn = connection.ops.quote_name


def base36(expr):
    # Child number → its 4-character treebeard step (0-9A-Z, left-padded with 0).
    return " || ".join(f"substr('{ALPHABET}', mod(({expr}) / {36 ** k}, 36) + 1, 1)" for k in (3, 2, 1, 0))


def columns(model, fields, overrides, template):
    # (column list, SELECT expressions, parameters) for every concrete local field of `model`.
    names, exprs, params = [], [], []
    for field in fields:
        if field.primary_key and field.auto_created and field.attname not in overrides:
            continue
        names.append(qn(field.column))
        if field.attname in overrides:
            expr, *extra = overrides[field.attname]
            exprs.append(expr)
            params.extend(extra)
        else:
            exprs.append("%s")
            params.append(field.get_db_prep_save(getattr(template, field.attname), connection))
    return ", ".join(names), ", ".join(exprs), params


have = ArticlePage.objects.count()
left = max(0, TARGET - have)
rubrics = list(RubricPage.objects.order_by("path"))
root_url = Site.objects.get(is_default_site=True).root_page.url_path  # "/home/"
ct = ContentType.objects.get_for_model(ArticlePage)
oldest = ArticlePage.objects.aggregate(m=Min("published_at"))["m"] or timezone.now()
per = -(-left // len(rubrics)) if left else 0
made = 0
for index, rubric in enumerate(rubrics):
    count = min(per, left - made)
    if count <= 0:
        break
    last = rubric.get_last_child()
    pos = last._get_lastpos_in_path() if last else 0
    assert pos + count < 36 ** 4, "too many children for one rubric"
    rubric_url = rubric.url_path[len(root_url) - 1 :]
    slug = f"'archive-{rubric.pk}-' || n"
    title = f"'Архивная новость {rubric.pk}-' || n"
    # Interleaved over rubrics, one minute apart, all older than anything already there.
    when = f"%s::timestamptz - ((n - {pos + 1}) * {len(rubrics)} + {index + 1}) * interval '1 minute'"
    template = ArticlePage(
        title="", slug="", depth=rubric.depth + 1, numchild=0, live=True,
        has_unpublished_changes=False, content_type=ct, locale_id=rubric.locale_id,
        rubric_id=rubric.pk, lead="Архив.", body=[],
    )
    page_cols, page_exprs, page_params = columns(Page, Page._meta.concrete_fields, {
        "path": (f"%s || {base36('n')}", rubric.path),
        "title": (title,), "draft_title": (title,), "slug": (slug,),
        "url_path": (f"%s || {slug} || '/'", rubric.url_path),
        "translation_key": ("gen_random_uuid()",),
        "first_published_at": (when, oldest), "last_published_at": (when, oldest),
    }, template)
    art_cols, art_exprs, art_params = columns(ArticlePage, ArticlePage._meta.local_concrete_fields, {
        "page_ptr_id": ("ins.id",), "published_at": ("ins.first_published_at",),
        "rubric_id": ("%s", rubric.pk),
    }, template)
    entry = FeedEntry(key="", title="", url="", rubric_title=rubric.title, rubric_url=rubric_url,
                      published_at=oldest, updated_at=timezone.now())
    feed_cols, feed_exprs, feed_params = columns(FeedEntry, FeedEntry._meta.concrete_fields, {
        "key": ("'article:' || ins.id",), "title": ("ins.title",),
        "url": (f"%s || substr(ins.url_path, {len(rubric.url_path) + 1})", rubric_url),
        "published_at": ("ins.first_published_at",),
    }, entry)
    sql = (
        f"WITH ins AS (INSERT INTO {qn(Page._meta.db_table)} ({page_cols}) "
        f"SELECT {page_exprs} FROM generate_series(%s, %s) AS n "
        "RETURNING id, title, url_path, first_published_at), "
        f"art AS (INSERT INTO {qn(ArticlePage._meta.db_table)} ({art_cols}) SELECT {art_exprs} FROM ins) "
        f"INSERT INTO {qn(FeedEntry._meta.db_table)} ({feed_cols}) SELECT {feed_exprs} FROM ins"
    )
    for lo in range(pos + 1, pos + count + 1, CHUNK):
        hi = min(pos + count, lo + CHUNK - 1)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*page_params, lo, hi, *art_params, *feed_params])
    Page.objects.filter(pk=rubric.pk).update(numchild=rubric.numchild + count)
    made += count
    print(f"  {rubric.slug}: +{count}", flush=True)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(ArticlePage.objects.count())
"""


def bulk_articles_postgres(env: dict, target: int, chunk: int = 50_000) -> int:
    """Top the archive up to `target` articles in SQL (PostgreSQL only; 1,000,000 in minutes)."""
    out = django_run(
        dict(env, BENCH_TARGET=str(target), BENCH_CHUNK=str(chunk)), BULK_ARTICLES_POSTGRES
    )
    return int(out.strip().splitlines()[-1])
