"""What the benches run inside a configured Django process: filling the archive, counting queries,
publishing on a clock. Imported only under django.setup() by bench/django_call.py (the benches
call `common.django_call(env, "<function>", ...)`); each function returns something JSON can carry.

Bulk filling writes treebeard paths itself (a `Page.add_child` per article would take minutes at
10,000 and hours at 1,000,000). It uses only treebeard's public description of the tree: a child's
path is its parent's path plus its position, written in `Page.alphabet` in `Page.steplen`
characters (`child_path`, `last_position`); `check_tree` verifies the result with
`Page.find_problems()`.
"""

import datetime
import json
import statistics
import sys
import time

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max, Min
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from modelsearch.backends.database.postgres.weights import get_weight
from modelsearch.conf import get_app_config
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from vestnik.demo import services as demo_services
from vestnik.demo.services import demo_seed, demo_users
from vestnik.feed.models import FeedEntry
from vestnik.news import services
from vestnik.news.models import ArticlePage, RubricPage
from vestnik.related.models import RelatedSuggestion
from vestnik.search import selectors as search_selectors
from vestnik.search.backends import backend as search_backend
from vestnik.search.morphology import parse_query

IndexEntry = get_app_config().get_model("IndexEntry")  # Wagtail's search index (wagtailsearch)

# --- the page tree ---------------------------------------------------------------------------


def child_path(parent: Page, position: int) -> str:
    """The path of `parent`'s child number `position` (1-based), as treebeard numbers them."""
    base, step, left = len(Page.alphabet), "", position
    for _ in range(Page.steplen):
        left, digit = divmod(left, base)
        step = Page.alphabet[digit] + step
    if left:
        raise ValueError(f"{parent.slug}: child number {position} does not fit in one step")
    return parent.path + step


def last_position(parent: Page) -> int:
    """The position of `parent`'s last child (0 when it has none), read back from its path."""
    last = parent.get_last_child()
    if last is None:
        return 0
    position = 0
    for char in last.path[-Page.steplen :]:
        position = position * len(Page.alphabet) + Page.alphabet.index(char)
    return position


def check_tree() -> str:
    """ "ok", or what is wrong with the page tree after bulk filling."""
    problems = []
    if Page.objects.count() <= 20000:
        found = Page.find_problems()
        names = ("evil chars", "bad steplen", "orphans", "wrong depth", "wrong numchild")
        problems += [f"{name}: {ids}" for name, ids in zip(names, found, strict=True) if ids]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM wagtailcore_page WHERE length(path) <> %s * depth",
            [Page.steplen],
        )
        if cursor.fetchone()[0]:
            problems.append(f"paths whose length is not {Page.steplen} × depth")
    for rubric in RubricPage.objects.all():
        children = rubric.get_children()
        if children.count() != rubric.numchild:
            problems.append(
                f"{rubric.slug}: numchild {rubric.numchild}, children {children.count()}"
            )
        last = rubric.get_last_child()
        if last and last.path != child_path(rubric, rubric.numchild):
            problems.append(
                f"{rubric.slug}: last child {last.path} is not number {rubric.numchild}"
            )
        if last and last.get_parent().pk != rubric.pk:
            problems.append(f"{rubric.slug}: its last child's parent is another page")
    return "ok" if not problems else "; ".join(problems)


# --- building the site -----------------------------------------------------------------------


def seed(filler_per_rubric: int) -> bool:
    """The demo content with `filler_per_rubric` extra articles per rubric."""
    return demo_seed(filler_per_rubric=filler_per_rubric)


def bulk_articles(target: int) -> int:
    """Top the archive up to `target` articles with cheap bulk rows; returns the article count."""
    have = ArticlePage.objects.count()
    rubrics = list(RubricPage.objects.order_by("path"))
    content_type = ContentType.objects.get_for_model(ArticlePage)
    fields = list(ArticlePage._meta.local_concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {ArticlePage._meta.db_table} ({columns}) VALUES ({marks})"
    page_fields = [f for f in Page._meta.concrete_fields if f.attname != "id"]
    start = timezone.now() - datetime.timedelta(days=400)
    left = max(0, target - have)
    per = -(-left // len(rubrics)) if left else 0
    made = 0
    for rubric in rubrics:
        pos = last_position(rubric)
        count = min(per, left - made)
        for lo in range(0, count, 1000):
            with transaction.atomic():
                pages = []
                for i in range(lo, min(count, lo + 1000)):
                    n = made + i
                    when = start - datetime.timedelta(minutes=n)
                    slug = f"archive-{rubric.pk}-{pos + i + 1}"
                    pages.append(
                        ArticlePage(
                            title=f"Архивная новость {n}",
                            slug=slug,
                            draft_title=f"Архивная новость {n}",
                            path=child_path(rubric, pos + i + 1),
                            depth=rubric.depth + 1,
                            numchild=0,
                            live=True,
                            has_unpublished_changes=False,
                            content_type=content_type,
                            url_path=f"{rubric.url_path}{slug}/",
                            locale_id=rubric.locale_id,
                            first_published_at=when,
                            last_published_at=when,
                            published_at=when,
                            rubric_id=rubric.pk,
                            lead="Архив.",
                            body=[],
                        )
                    )
                created = Page.objects.bulk_create(
                    [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages]
                )
                rows = []
                for base, page in zip(created, pages, strict=True):
                    page.page_ptr_id = page.id = base.pk
                    rows.append(
                        [f.get_db_prep_save(getattr(page, f.attname), connection) for f in fields]
                    )
                with connection.cursor() as cursor:
                    cursor.executemany(sql, rows)
                FeedEntry.objects.bulk_create(
                    [
                        FeedEntry(
                            key=f"article:{p.pk}",
                            title=p.title,
                            url=p.url_path,
                            rubric_title=rubric.title,
                            rubric_url=rubric.url_path,
                            published_at=p.published_at,
                        )
                        for p in pages
                    ]
                )
        Page.objects.filter(pk=rubric.pk).update(numchild=rubric.numchild + count)
        made += count
    return ArticlePage.objects.count()


# PostgreSQL fast path for big archives: one INSERT … SELECT … FROM generate_series per chunk
# writes the wagtailcore_page rows (treebeard paths computed in SQL, as child_path does), their
# news_articlepage rows and feed entries at once (data-modifying CTEs). Values not computed per
# row come from an unsaved ArticlePage, so new NOT NULL columns keep working.


def _sql_step(expr: str) -> str:
    """SQL for child_path's step: the number `expr` in Page.alphabet, Page.steplen wide."""
    base = len(Page.alphabet)
    return " || ".join(
        f"substr('{Page.alphabet}', mod(({expr}) / {base**k}, {base}) + 1, 1)"
        for k in reversed(range(Page.steplen))
    )


def _insert_columns(model, fields, overrides: dict, template) -> tuple[str, str, list]:
    """(column list, SELECT expressions, parameters) for every concrete local field of `model`."""
    quote = connection.ops.quote_name
    names, exprs, params = [], [], []
    for field in fields:
        if field.primary_key and field.auto_created and field.attname not in overrides:
            continue
        names.append(quote(field.column))
        if field.attname in overrides:
            expr, *extra = overrides[field.attname]
            exprs.append(expr)
            params.extend(extra)
        else:
            exprs.append("%s")
            params.append(field.get_db_prep_save(getattr(template, field.attname), connection))
    return ", ".join(names), ", ".join(exprs), params


def bulk_articles_postgres(target: int, chunk: int = 50_000) -> int:
    """Top the archive up to `target` articles in SQL (PostgreSQL only; 1,000,000 in minutes)."""
    if connection.vendor != "postgresql":
        raise RuntimeError(f"bulk_articles_postgres needs PostgreSQL, not {connection.vendor}")
    quote = connection.ops.quote_name
    have = ArticlePage.objects.count()
    left = max(0, target - have)
    rubrics = list(RubricPage.objects.order_by("path"))
    root_url = Site.objects.get(is_default_site=True).root_page.url_path  # "/home/"
    content_type = ContentType.objects.get_for_model(ArticlePage)
    oldest = ArticlePage.objects.aggregate(m=Min("published_at"))["m"] or timezone.now()
    per = -(-left // len(rubrics)) if left else 0
    made = 0
    for index, rubric in enumerate(rubrics):
        count = min(per, left - made)
        if count <= 0:
            break
        pos = last_position(rubric)
        child_path(rubric, pos + count)  # raises when the last one would not fit
        rubric_url = rubric.url_path[len(root_url) - 1 :]
        slug = f"'archive-{rubric.pk}-' || n"
        title = f"'Архивная новость {rubric.pk}-' || n"
        # Interleaved over rubrics, one minute apart, all older than anything already there.
        when = (
            f"%s::timestamptz - ((n - {pos + 1}) * {len(rubrics)} + {index + 1})"
            " * interval '1 minute'"
        )
        template = ArticlePage(
            title="",
            slug="",
            depth=rubric.depth + 1,
            numchild=0,
            live=True,
            has_unpublished_changes=False,
            content_type=content_type,
            locale_id=rubric.locale_id,
            rubric_id=rubric.pk,
            lead="Архив.",
            body=[],
        )
        page_cols, page_exprs, page_params = _insert_columns(
            Page,
            Page._meta.concrete_fields,
            {
                "path": (f"%s || {_sql_step('n')}", rubric.path),
                "title": (title,),
                "draft_title": (title,),
                "slug": (slug,),
                "url_path": (f"%s || {slug} || '/'", rubric.url_path),
                "translation_key": ("gen_random_uuid()",),
                "first_published_at": (when, oldest),
                "last_published_at": (when, oldest),
            },
            template,
        )
        art_cols, art_exprs, art_params = _insert_columns(
            ArticlePage,
            ArticlePage._meta.local_concrete_fields,
            {
                "page_ptr_id": ("ins.id",),
                "published_at": ("ins.first_published_at",),
                "rubric_id": ("%s", rubric.pk),
            },
            template,
        )
        entry = FeedEntry(
            key="",
            title="",
            url="",
            rubric_title=rubric.title,
            rubric_url=rubric_url,
            published_at=oldest,
            updated_at=timezone.now(),
        )
        feed_cols, feed_exprs, feed_params = _insert_columns(
            FeedEntry,
            FeedEntry._meta.concrete_fields,
            {
                "key": ("'article:' || ins.id",),
                "title": ("ins.title",),
                "url": (f"%s || substr(ins.url_path, {len(rubric.url_path) + 1})", rubric_url),
                "published_at": ("ins.first_published_at",),
            },
            entry,
        )
        sql = (
            f"WITH ins AS (INSERT INTO {quote(Page._meta.db_table)} ({page_cols}) "
            f"SELECT {page_exprs} FROM generate_series(%s, %s) AS n "
            "RETURNING id, title, url_path, first_published_at), "
            f"art AS (INSERT INTO {quote(ArticlePage._meta.db_table)} ({art_cols}) "
            f"SELECT {art_exprs} FROM ins) "
            f"INSERT INTO {quote(FeedEntry._meta.db_table)} ({feed_cols}) SELECT {feed_exprs} FROM ins"
        )
        for lo in range(pos + 1, pos + count + 1, chunk):
            hi = min(pos + count, lo + chunk - 1)
            with connection.cursor() as cursor:
                cursor.execute(sql, [*page_params, lo, hi, *art_params, *feed_params])
        Page.objects.filter(pk=rubric.pk).update(numchild=rubric.numchild + count)
        made += count
        print(f"  {rubric.slug}: +{count}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return ArticlePage.objects.count()


def _index_entry_sql(where: str) -> str:
    """INSERT of Wagtail's admin search rows (IndexEntry) for the articles matching `where`, as
    the database backend's PostgresIndex.add_items writes them: the title (Page's boost) and the
    lead (the archive's body is empty) as weighted tsvectors, the title again for autocomplete."""
    backend = get_search_backend()
    fields = {f.field_name: f for f in ArticlePage.get_search_fields() if hasattr(f, "boost")}
    weight_title = get_weight(fields["title"].boost)
    weight_lead = get_weight(fields["lead"].boost)
    config = f"'{backend.config}', " if backend.config else ""

    def vector(text: str, weight: str, config: str = config) -> str:
        return f"setweight(to_tsvector({config}COALESCE({text}, '')), '{weight}')"

    entry = IndexEntry._meta.db_table
    return (
        f"INSERT INTO {entry} (content_type_id, object_id, title, autocomplete, body, title_norm,"
        " title_text, body_text)"
        f" SELECT %s, p.id::text, {vector('p.title', weight_title)},"
        f" {vector('p.title', 'D', config=chr(39) + backend.autocomplete_config + chr(39) + ', ')},"
        f" CASE WHEN a.lead = '' THEN ''::tsvector ELSE {vector('a.lead', weight_lead)} END,"
        " 1.0, p.title, a.lead"
        f" FROM {Page._meta.db_table} p JOIN {ArticlePage._meta.db_table} a ON a.page_ptr_id = p.id"
        f" WHERE {where} AND NOT EXISTS (SELECT 1 FROM {entry} e WHERE e.content_type_id = %s"
        " AND e.object_id = p.id::text)"
    )


def admin_search_index(chunk: int = 100_000) -> dict:
    """Put the archive rows filled in SQL into Wagtail's admin search index (the database
    backend's IndexEntry rows, which /admin/pages/search/ queries), in bulk SQL by id range:
    `update_index` or backend.add_bulk build one Python object and one VALUES row per page.
    First checks on one archive article that the SQL writes what the backend's own add() does."""
    if connection.vendor != "postgresql":
        raise RuntimeError("admin_search_index needs PostgreSQL")
    backend = get_search_backend()
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    sample = ArticlePage.objects.filter(slug__startswith="archive-").order_by("pk").first()
    columns = "content_type_id, object_id, title::text, autocomplete::text, body::text, title_text, body_text"
    entries = IndexEntry.objects.filter(content_type_id=content_type, object_id=str(sample.pk))
    entries.delete()
    backend.add(sample)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {IndexEntry._meta.db_table} WHERE object_id = %s",
            [str(sample.pk)],
        )
        theirs = cursor.fetchall()
        entries.delete()
        cursor.execute(_index_entry_sql("p.id = %s"), [content_type, sample.pk, content_type])
        cursor.execute(
            f"SELECT {columns} FROM {IndexEntry._meta.db_table} WHERE object_id = %s",
            [str(sample.pk)],
        )
        ours = cursor.fetchall()
    if theirs != ours:
        raise RuntimeError(f"bulk index rows differ from the backend's:\n{theirs}\n{ours}")
    start = time.monotonic()
    bounds = ArticlePage.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    sql = _index_entry_sql("p.id BETWEEN %s AND %s")
    for lo in range(bounds["lo"], bounds["hi"] + 1, chunk):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [content_type, lo, lo + chunk - 1, content_type])
    backend.get_index_for_model(ArticlePage)._refresh_title_norms()
    # What autovacuum does after a bulk insert, here at once: a visibility map for index-only
    # scans and fresh statistics (the migrations' expression index has none before ANALYZE).
    with connection.cursor() as cursor:
        for table in (Page._meta.db_table, IndexEntry._meta.db_table):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "entries": IndexEntry.objects.count(),
        "articles": ArticlePage.objects.count(),
        "seconds": round(time.monotonic() - start),
    }


def admin_targets() -> dict:
    """Ids the admin bench needs: the rubric «Политика» and its article count; makes the demo
    accounts (the bench logs in as the editor) and clears failed logins (django-axes)."""
    demo_users()
    AccessAttempt.objects.all().delete()
    rubric = RubricPage.objects.get(slug="politika")
    return {"rubric": rubric.pk, "children": rubric.get_children().count()}


def admin_profile(paths: list[str], user: str = "editor", top: int = 4) -> list[dict]:
    """Each admin `path` rendered in-process for `user` (after one warm render): its time, query
    count, SQL time, and the slowest queries EXPLAIN ANALYZEd (to find what a view waits for)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=user))
    profiles = []
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            status = client.get(path).status_code
            total = (time.perf_counter() - start) * 1000
        slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:top]
        profiles.append(
            {
                "path": path,
                "status": status,
                "ms": round(total),
                "queries": len(ctx),
                "sql_ms": round(sum(float(q["time"]) for q in ctx.captured_queries) * 1000),
                "slowest": _explain(slow),
            }
        )
    return profiles


# --- measuring -------------------------------------------------------------------------------


def article_queries(path: str) -> list[int]:
    """[status, SQL queries of one warm render of `path`, articles in the database]."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    return [status, len(ctx), ArticlePage.objects.count()]


def sample_paths(count: int, related: int) -> list[str]:
    """`count` archive articles drawn at random, each given `related` precomputed neighbours
    (other drawn articles, so spread over the whole table too) as the related task would."""
    root = Site.objects.get(is_default_site=True).root_page.url_path
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.url_path FROM wagtailcore_page p"
            " JOIN news_articlepage a ON a.page_ptr_id = p.id"
            " WHERE p.slug LIKE 'archive-%%' ORDER BY random() LIMIT %s",
            [count],
        )
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    RelatedSuggestion.objects.bulk_create(
        [
            RelatedSuggestion(article_id=pk, related_id=ids[(i + k) % len(ids)], score=1 - k / 10)
            for i, pk in enumerate(ids)
            for k in range(1, related + 1)
        ],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE related_relatedsuggestion")
    return [row[1][len(root) - 1 :] for row in rows]


def _explain(captured: list[dict]) -> list[dict]:
    """EXPLAIN ANALYZE of each SELECT in `captured`, the slowest first."""
    explained = []
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            try:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                cursor.execute("EXPLAIN " + sql)
                text = "\n".join(row[0] for row in cursor.fetchall())
            except Exception as error:  # noqa: BLE001 - a query that cannot be explained is reported
                if not connection.get_autocommit():
                    connection.rollback()
                explained.append({"sql": sql[:3000], "error": str(error)[:200]})
                continue
            explained.append({"sql": sql[:3000], "ms": plan["Execution Time"], "plan": text})
    explained.sort(key=lambda item: -item.get("ms", 0))
    return explained


def cold_render(demo: str, paths: list[str], explain: bool) -> dict:
    """SQL queries of a first render of each of `paths` (after the home page and `demo`), and
    with `explain` the slowest queries of the last one, explained."""
    client = Client(HTTP_HOST="127.0.0.1")
    if client.get("/").status_code != 200 or client.get(demo).status_code != 200:
        raise RuntimeError("the home page or the demo article does not answer 200")
    renders, captured = [], []
    for path in paths:
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
        renders.append({"path": path, "status": status, "queries": len(ctx)})
        captured = ctx.captured_queries
    return {"renders": renders, "explained": _explain(captured)[:6] if explain else []}


def pending_tasks() -> int:
    """Tasks queued for db_worker and not finished yet."""
    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def search_range(runs: int) -> dict:
    """Median and worst milliseconds of a plain search and of one with a hostile date range,
    through the backend as typed («before» the clamp) and through selectors.search («after»)."""
    wide = {"date_from": datetime.date(1, 1, 2), "date_to": datetime.date(9998, 12, 30)}

    def timed(call) -> tuple[float, float]:
        call()  # warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        return round(statistics.median(times), 1), round(max(times), 1)

    query = parse_query("путин")
    raw = dict(rubric_id=None, story_id=None, **wide)
    return {
        "plain": timed(lambda: search_selectors.search("путин")),
        "wide_before": timed(lambda: search_backend().search(query, raw, "relevance", 20, 0)),
        "wide_after": timed(lambda: search_selectors.search("путин", **wide)),
        "span": [str(day) for day in search_selectors.archive_span()],
    }


# --- an editor publishing ----------------------------------------------------------------------


def publish_series(count: int) -> None:
    """Publish `count` articles a second apart, printing "<time> Молния<n>x" after each commit."""
    rubric = RubricPage.objects.get(slug="politika")
    for n in range(count):
        services.article_publish(rubric, title=f"Молния{n}x{int(time.time())}")
        print(f"{time.time():.3f} Молния{n}x", flush=True)
        time.sleep(1)


def spike_editor(count: int, headline: str, run: int) -> None:
    """Warm up (a running newsroom process has its models loaded), say "ready", wait for a line
    on stdin, then publish `count` articles one a second on a fixed clock, printing
    "published <n> <start> <end>" after each."""
    rubric = RubricPage.objects.get(slug="politika")
    services.article_publish(rubric, title=f"Разминка редактора {run}", lead="Срочно.")
    print("ready", flush=True)
    sys.stdin.readline()
    clock = time.time()
    for n in range(count):
        time.sleep(max(0.0, clock + n - time.time()))
        start = time.time()
        services.article_publish(rubric, title=headline.format(n=n, run=run), lead="Срочно.")
        print("published", n, f"{start:.3f}", f"{time.time():.3f}", flush=True)


def live_editor(count: int, headline: str, run: int) -> None:
    """spike_editor for the demo's live broadcast: a published post a second, as the broadcast
    screen saves it (`live.services.post_save`: channel event, feed line, purge)."""
    from vestnik.live import services as live_services
    from vestnik.live.models import LiveBroadcastPage, LivePost

    page = LiveBroadcastPage.objects.live().get(slug="sammit-putina-i-baidena-onlain")
    editor = get_user_model().objects.filter(is_superuser=True).first()
    if editor is None:  # the bench's site has no demo accounts
        editor = get_user_model().objects.create_superuser("bench-editor", "bench@example.com")

    def publish(text: str) -> None:
        post = LivePost(text=f"<p>{text}</p>", status=LivePost.PUBLISHED)
        live_services.post_save(page, editor, post)

    publish(f"Разминка редактора {run}")
    print("ready", flush=True)
    sys.stdin.readline()
    clock = time.time()
    for n in range(count):
        time.sleep(max(0.0, clock + n - time.time()))
        start = time.time()
        publish(headline.format(n=n, run=run))
        print("published", n, f"{start:.3f}", f"{time.time():.3f}", flush=True)


# --- the newsroom in a browser -------------------------------------------------------------------


def newsroom_rubric() -> dict:
    """The demo's first rubric: its page id (the admin's «add article» URL) and public path."""
    rubric = RubricPage.objects.live().order_by("path").first()
    return {"id": rubric.pk, "url": rubric.relative_url(Site.objects.get(is_default_site=True))}


def demo_analysis_queue() -> str:
    """Queue the demo's analysis as a fresh `seed_demo` does (VESTNIK_TASKS=database)."""
    return demo_services.demo_analysis_queue()


def push_subscribers(count: int, endpoint_base: str) -> int:
    """`count` push subscriptions at `endpoint_base`/<n>, each with its own P-256 key and secret."""
    import os as _os

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from vestnik.push.models import PushSubscription
    from vestnik.push.vapid import b64url_encode

    def key() -> str:
        point = ec.generate_private_key(ec.SECP256R1()).public_key()
        raw = point.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url_encode(raw)

    PushSubscription.objects.all().delete()
    rows = [
        PushSubscription(
            endpoint=f"{endpoint_base}/{n}", p256dh=key(), auth=b64url_encode(_os.urandom(16))
        )
        for n in range(count)
    ]
    PushSubscription.objects.bulk_create(rows, batch_size=1000)
    return PushSubscription.objects.count()


def push_publish(key: str, title: str) -> float:
    """A «молния» published, as news or live send it (the push task is queued after the commit);
    the wall-clock time of the commit."""
    from vestnik.core.events import PUBLISHED, BreakingEvent, breaking_changed_send

    with transaction.atomic():
        breaking_changed_send(
            BreakingEvent(PUBLISHED, key, title, "/politika/molniya/", timezone.now())
        )
        committed = time.time()
    return committed


def push_progress(key: str) -> dict:
    from django.db.models import Count

    from vestnik.push.models import PushDelivery, PushMessage

    message = PushMessage.objects.filter(key=key).first()
    if message is None:
        return {"queued": False}
    counts = dict(
        PushDelivery.objects.filter(message=message)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {"queued": True, "finished": message.finished_at is not None, **counts}
