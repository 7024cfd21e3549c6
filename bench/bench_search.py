"""Search, entity-free: 100,000 generated Russian articles in the lemmatised index on SQLite FTS5 and
PostgreSQL; index build time and size, p50/p95 of 200 mixed queries against a LIKE-scan baseline;
the cost of embeddings and of the related-article lookup.

`make bench BENCH=search` (BENCH_SEARCH_N=20000 for a quicker run). PostgreSQL: the database of
VESTNIK_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/vestnik_search), skipped when down.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("BENCH_SEARCH_N", "100000"))
PG_URL = os.environ.get("VESTNIK_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/vestnik_search")
SQLITE_PATH = ROOT / "var" / "bench_search.sqlite3"
QUERIES = 200
SEED = 5

# A word list built here (no downloads): words in the forms news texts use them, plus the demo's.
NOUNS = (
    "президент президента президенту министр министра правительство правительства закон закона "
    "законопроект бюджет бюджета рубль рубля доллар курс курса нефть нефти газ газа банк банка "
    "банки прибыль прибыли санкции санкций переговоры переговоров встреча встречи саммит саммита "
    "выборы выборов партия партии суд суда приговор дело дела город города область области "
    "станция метро школа школы больница врачи пациенты цены цен инфляция инфляции ставка ставки "
    "компания компании акции акций биржа биржи индекс индекса рынок рынка инвесторы инвесторов "
    "ураган урагана пожар пожара авария аварии дорога дороги поезд поезда самолет самолета "
    "линия линии граница границы армия армии война войны мир мира договор договора "
    "сервис сервиса приложение приложения пользователи пользователей сеть сети данные данных "
    "ёлка ёлки праздник праздника зима зимы погода погоды снег снега мороз мороза".split()
)
VERBS = (
    "заявил заявила заявили сообщил сообщила сообщили обсудили обсудил объявил объявила "
    "снизился снизилась вырос выросла выросли подписал подписала принял приняла приняли "
    "открыли открыл закрыли запустил запустили представил представила назвал назвала "
    "отметил отметила рассказал рассказала ответил ответила потребовал предложил".split()
)
ADJECTIVES = (
    "новый новая новые нового новой красные красных красная российский российского российские "
    "американский американского экономический экономического федеральный федерального "
    "главный главного крупный крупнейший важный важных последний последних государственный "
    "международный международных национальный национальных серьезный серьезное".split()
)
NAMES = (
    "Путин Путина Путину Байден Байдена Байдену Песков Пескова Пескову Захарова Захаровой "
    "Ушаков Ушакова Лавров Лаврова Набиуллина Набиуллиной Мишустин Мишустина Собянин Собянина "
    "Трамп Трампа Дуров Дурова Москва Москве Москвы Россия России США Украина Украины Китай Китая "
    "НАТО МИД Кремль Кремля Госдума Госдумы Сбербанк Сбербанка Газпром Газпрома Яндекс Telegram".split()
)
GLUE = "в на о по с и что для из за к от до при".split()
QUERY_WORDS = [
    "Пескову",
    "Байден",
    "красные линии",
    "курс рубля",
    "прибыль банка",
    "ураган",
    "Захаровой",
    "санкции",
    "новый закон",
    "президента США",
    "станция метро",
    "индекс биржи",
    "ёлка",
    "елки",
    "Набиуллина ставка",
    "нефть газ",
    "переговоры",
    "саммит Путина",
    "российский рынок",
    "мороз",
]


def _sentence(rng, n):
    words = []
    for _ in range(n):
        pick = rng.random()
        pool = (
            NAMES
            if pick < 0.12
            else VERBS
            if pick < 0.25
            else ADJECTIVES
            if pick < 0.45
            else GLUE
            if pick < 0.6
            else NOUNS
        )
        words.append(rng.choice(pool))
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + "."


def articles(n):
    rng = random.Random(SEED)
    for i in range(n):
        yield {
            "id": i + 1,
            "title": _sentence(rng, 8)[:-1],
            "lead": _sentence(rng, 16),
            "body": " ".join(_sentence(rng, 12) for _ in range(10)),
            "rubric_id": 1 + i % 5,
        }


def queries():
    rng = random.Random(SEED + 1)
    mixed = []
    for i in range(QUERIES):
        text = rng.choice(QUERY_WORDS)
        if i % 5 == 1:
            text = f"«{text}»" if " " in text else text
        mixed.append(
            {
                "text": text,
                "rubric_id": 1 + i % 5 if i % 4 == 2 else None,
                "order": "newest" if i % 3 == 0 else "relevance",
            }
        )
    return mixed


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_backend(label):
    """Inside a child process whose DATABASE_URL names the database to measure."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.test")
    django.setup()
    from datetime import UTC, datetime, timedelta

    from django.core.management import call_command
    from django.db import connection

    from vestnik.search.backends import backend
    from vestnik.search.models import SearchEntry
    from vestnik.search.morphology import lemmatize, parse_query

    for app in ("auth", "search"):  # auth brings contenttypes; post_migrate handlers need both
        call_command("migrate", app, verbosity=0)
    SearchEntry.objects.all().delete()
    start_time = datetime(2024, 10, 1, tzinfo=UTC)

    started = time.perf_counter()
    rows = []
    for a in articles(N):
        rows.append(
            SearchEntry(
                article_id=a["id"],
                title=a["title"],
                lead=a["lead"],
                body=a["body"],
                title_lemmas=lemmatize(a["title"]),
                lead_lemmas=lemmatize(a["lead"]),
                body_lemmas=lemmatize(a["body"]),
                rubric_id=a["rubric_id"],
                story_id=None,
                published_at=start_time - timedelta(minutes=a["id"]),
            )
        )
    lemmatise_s = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(0, len(rows), 2000):
        SearchEntry.objects.bulk_create(rows[i : i + 2000])
        print(f"\r  {label}: indexed {min(i + 2000, len(rows))}/{len(rows)}", end="", flush=True)
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_entry")
    index_s = time.perf_counter() - started
    size = backend().size_bytes()

    engine = backend()
    timings, found = [], 0
    for q in queries():
        parsed = parse_query(q["text"])
        t = time.perf_counter()
        ids, total = engine.search(parsed, {"rubric_id": q["rubric_id"]}, q["order"], 20, 0)
        timings.append((time.perf_counter() - t) * 1000)
        found += bool(ids)

    # Baseline: the same words, as typed, matched with LIKE over the raw text (no index).
    like_timings = []
    with connection.cursor() as cursor:
        for q in queries()[:20]:
            word = q["text"].strip("«»").split()[0]
            t = time.perf_counter()
            cursor.execute(
                "SELECT article_id FROM search_entry WHERE body LIKE %s ORDER BY published_at DESC LIMIT 20",
                [f"%{word}%"],
            )
            cursor.fetchall()
            like_timings.append((time.perf_counter() - t) * 1000)
    SearchEntry.objects.all().delete()
    return {
        "backend": connection.vendor,
        "articles": N,
        "lemmatise_s": round(lemmatise_s, 1),
        "index_build_s": round(index_s, 1),
        "index_size_mb": round(size / 2**20, 1),
        "query_p50_ms": round(_pct(timings, 50), 2),
        "query_p95_ms": round(_pct(timings, 95), 2),
        "queries_with_hits": found,
        "like_scan_p50_ms": round(statistics.median(like_timings), 2),
    }


def run_embeddings():
    import numpy as np

    from vestnik.related import embeddings

    sample = [f"{a['title']}. {a['lead']}" for a in articles(500)]
    t = time.perf_counter()
    embeddings.encode(sample[:1])
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    vectors = np.vstack([embeddings.encode(sample[i : i + 50]) for i in range(0, len(sample), 50)])
    per_article_ms = (time.perf_counter() - t) * 1000 / len(sample)
    rng = np.random.default_rng(SEED)
    # 100k vectors: the sample's, jittered and re-normalised (the lookup cost depends on the shape only).
    big = np.repeat(vectors, N // len(vectors) + 1, axis=0)[:N]
    big = big + rng.normal(0, 0.02, big.shape).astype(np.float32)
    big /= np.linalg.norm(big, axis=1, keepdims=True)
    blobs = [row.tobytes() for row in big]
    results = {
        "model_load_s": round(load_s, 1),
        "embed_ms_per_article": round(per_article_ms, 1),
        "embed_100k_extrapolated_min": round(per_article_ms * N / 60000, 1),
    }
    for candidates in sorted({min(20000, N), N}):
        t = time.perf_counter()
        matrix = np.frombuffer(b"".join(blobs[:candidates]), dtype=np.float32).reshape(
            candidates, 512
        )
        scores = matrix @ big[0]
        np.argsort(-scores)[:6]
        results[f"neighbours_{candidates}_ms"] = round((time.perf_counter() - t) * 1000, 1)
    return results


def main():
    if len(sys.argv) > 1:
        print(json.dumps(run_backend(sys.argv[1])))
        return 0
    SQLITE_PATH.parent.mkdir(exist_ok=True)
    SQLITE_PATH.unlink(missing_ok=True)
    results = {}
    for label, url in (("sqlite", f"sqlite:///{SQLITE_PATH}"), ("postgresql", PG_URL)):
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "vestnik.settings.test"}
        done = subprocess.run(
            [sys.executable, __file__, label], cwd=ROOT, env=env, capture_output=True, text=True
        )
        sys.stderr.write(done.stdout.rsplit("\n", 2)[0] + "\n")
        if done.returncode != 0:
            print(f"{label}: failed\n{done.stderr[-2000:]}")
            continue
        results[label] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[label]
        print(
            f"{label}: {r['articles']} articles · lemmatise {r['lemmatise_s']} s · index build "
            f"{r['index_build_s']} s · size {r['index_size_mb']} MB · query p50 {r['query_p50_ms']} ms"
            f" p95 {r['query_p95_ms']} ms ({r['queries_with_hits']}/{QUERIES} with hits) · LIKE scan"
            f" p50 {r['like_scan_p50_ms']} ms (×{r['like_scan_p50_ms'] / max(r['query_p50_ms'], 0.01):.0f} slower)"
        )
    SQLITE_PATH.unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.test")
    import django

    django.setup()
    results["embeddings"] = e = run_embeddings()
    print(
        f"embeddings: model load {e['model_load_s']} s · {e['embed_ms_per_article']} ms/article "
        f"(100k ≈ {e['embed_100k_extrapolated_min']} min, measured on 500) · top-6 over {min(20000, N)} "
        f"{e[f'neighbours_{min(20000, N)}_ms']} ms, over {N} {e[f'neighbours_{N}_ms']} ms (on publish, not per view)"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "search.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
