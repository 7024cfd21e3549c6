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
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("BENCH_SEARCH_N", "100000"))
PG_URL = os.environ.get("VESTNIK_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/vestnik_search")
SQLITE_PATH = ROOT / "var" / "bench_search.sqlite3"
QUERIES = 200
SEED = 5
START = datetime(2024, 8, 1, tzinfo=UTC)

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


DICTIONARY_WORDS = 40_000
NEWS_SHARE, GLUE_SHARE = 0.15, 0.12  # the rest: dictionary forms, Zipf-distributed
STORIES = 200


def _vocabulary():
    """(words, lemma of each as written, lemma of each capitalised, cumulative weights).

    40,000 forms sampled evenly from pymorphy3's own dictionary, drawn Zipf-style (the 100th word
    about once per thousand words, like running text), plus the news words and names above (the
    ones the queries ask for) and glue words. Lemmas are made once per word with the index's own
    `lemma()`, so an article's lemmas are a lookup per word instead of a parse.
    """
    from itertools import islice

    from vestnik.search.morphology import _analyzer, lemma

    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    forms = []
    for a in letters:
        for b in letters:
            forms += [
                w
                for w, *_ in islice(_analyzer().dictionary.iter_known_words(a + b), 0, 1500, 13)
                if w.isalpha()
            ]
    rng = random.Random(SEED)
    forms = list(dict.fromkeys(forms))
    rng.shuffle(forms)
    forms = forms[:DICTIONARY_WORDS]
    news = NOUNS + VERBS + ADJECTIVES + NAMES
    words = GLUE + news + forms
    weights = [GLUE_SHARE / len(GLUE)] * len(GLUE) + [NEWS_SHARE / len(news)] * len(news)
    zipf = [1 / (rank + 2.7) for rank in range(len(forms))]
    scale = (1 - GLUE_SHARE - NEWS_SHARE) / sum(zipf)
    weights += [w * scale for w in zipf]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    as_written = [lemma(w) for w in words]
    capitalised = [lemma(w[:1].upper() + w[1:]) for w in words]
    return words, as_written, capitalised, cumulative


def articles(n):
    """n articles: title 8 words, lead 16, body 10 sentences of 12; ids in publishing order (the
    newest has the highest id, as on a site), 5 rubrics, one in ten in one of 200 stories."""
    words, as_written, capitalised, cumulative = _vocabulary()
    rng = random.Random(SEED)
    indices = range(len(words))
    sizes = [8, 16] + [12] * 10

    def sentence(picks):
        first, rest = picks[0], picks[1:]
        text = " ".join([words[first][:1].upper() + words[first][1:], *(words[i] for i in rest)])
        lemmas = " ".join([capitalised[first], *(as_written[i] for i in rest)])
        return text, lemmas

    for i in range(n):
        picks = rng.choices(indices, cum_weights=cumulative, k=sum(sizes))
        parts, at = [], 0
        for size in sizes:
            parts.append(sentence(picks[at : at + size]))
            at += size
        yield {
            "id": i + 1,
            "title": parts[0][0],
            "title_lemmas": parts[0][1],
            "lead": parts[1][0] + ".",
            "lead_lemmas": parts[1][1],
            "body": " ".join(text + "." for text, _ in parts[2:]),
            "body_lemmas": " ".join(lemmas for _, lemmas in parts[2:]),
            "rubric_id": 1 + i % 5,
            "story_id": 1 + i % STORIES if i % 10 == 0 else None,
        }


def queries():
    """200 queries: words, names, two-word queries, phrases in quotes; a quarter with a rubric,
    a tenth with a story, a tenth with a week's dates; a third newest first."""
    rng = random.Random(SEED + 1)
    mixed = []
    for i in range(QUERIES):
        text = rng.choice(QUERY_WORDS)
        if i % 5 == 1:
            text = f"«{text}»" if " " in text else text
        day = (START + timedelta(days=rng.randrange(max(1, N // 1440 - 7)))).date()
        mixed.append(
            {
                "text": text,
                "rubric_id": 1 + i % 5 if i % 4 == 2 else None,
                "story_id": 1 + rng.randrange(STORIES) if i % 10 == 3 else None,
                "date_from": day if i % 10 == 7 else None,
                "date_to": day + timedelta(days=7) if i % 10 == 7 else None,
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
    from django.core.management import call_command
    from django.db import connection

    from vestnik.search.backends import backend
    from vestnik.search.models import SearchEntry
    from vestnik.search.morphology import lemmatize, parse_query

    for app in ("auth", "search"):  # auth brings contenttypes; post_migrate handlers need both
        call_command("migrate", app, verbosity=0)
    SearchEntry.objects.all().delete()

    started = time.perf_counter()
    rows = []
    for a in articles(N):
        if a["id"] <= 20:  # the generator's lemmas are the index's own
            assert a["title_lemmas"] == lemmatize(a["title"]), a["title"]
            assert a["body_lemmas"] == lemmatize(a["body"]), a["id"]
        rows.append(
            SearchEntry(
                article_id=a["id"],
                title=a["title"],
                lead=a["lead"],
                body=a["body"],
                title_lemmas=a["title_lemmas"],
                lead_lemmas=a["lead_lemmas"],
                body_lemmas=a["body_lemmas"],
                rubric_id=a["rubric_id"],
                story_id=a["story_id"],
                published_at=START + timedelta(minutes=a["id"]),
            ).fill_keys()
        )
    generate_s = time.perf_counter() - started

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
    # Two passes over the same 200 queries: right after the build, then again (warm caches).
    passes = []
    load_before = os.getloadavg()[0]
    for _ in range(2):
        timings, found = [], 0
        for q in queries():
            parsed = parse_query(q["text"])
            t = time.perf_counter()
            filters = {k: q[k] for k in ("rubric_id", "story_id", "date_from", "date_to")}
            ids, total = engine.search(parsed, filters, q["order"], 20, 0)
            timings.append((time.perf_counter() - t) * 1000)
            found += bool(ids)
        passes.append(timings)
    load_after = os.getloadavg()[0]
    timings = passes[0]
    slowest = sorted(zip(timings, queries(), strict=True), key=lambda pair: -pair[0])[:8]

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
        "generate_s": round(generate_s, 1),
        "index_build_s": round(index_s, 1),
        "index_size_mb": round(size / 2**20, 1),
        "query_p50_ms": round(_pct(timings, 50), 2),
        "query_p95_ms": round(_pct(timings, 95), 2),
        "warm_p50_ms": round(_pct(passes[1], 50), 2),
        "warm_p95_ms": round(_pct(passes[1], 95), 2),
        "queries_with_hits": found,
        "load_average_1min": [round(load_before, 1), round(load_after, 1)],
        "like_scan_p50_ms": round(statistics.median(like_timings), 2),
        "slowest": [
            f"{ms:.1f} ms {q['text']} {q['order']}"
            + "".join(f" {k}={q[k]}" for k in ("rubric_id", "story_id", "date_from") if q[k])
            for ms, q in slowest
        ],
    }


EMBED_SAMPLE = 300


def run_embeddings():
    """Embedding cost per article (the real model, EMBED_SAMPLE generated title + lead texts) and
    the publish-time lookup (top 6 by dot product) over N synthetic unit vectors of the model's
    512 dimensions, read the way `related.services` reads them: newest first from a table of
    float32 blobs (here a bare SQLite table of the same shape, without the live-page join)."""
    import sqlite3

    import numpy as np

    from vestnik.related import embeddings

    sample = [f"{a['title']}. {a['lead']}" for a in articles(EMBED_SAMPLE)]
    t = time.perf_counter()
    embeddings.encode(sample[:1])
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(0, len(sample), 50):
        embeddings.encode(sample[i : i + 50])
    per_article_ms = (time.perf_counter() - t) * 1000 / len(sample)

    rng = np.random.default_rng(SEED)
    big = rng.normal(size=(N, embeddings.DIMENSIONS)).astype(np.float32)
    big /= np.linalg.norm(big, axis=1, keepdims=True)
    path = ROOT / "var" / "bench_vectors.sqlite3"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE v (article_id INTEGER PRIMARY KEY, vector BLOB, published_at TEXT)")
    db.execute("CREATE INDEX v_published ON v (published_at)")
    db.executemany(
        "INSERT INTO v VALUES (?, ?, ?)",
        (
            (i + 1, big[i].tobytes(), (START + timedelta(minutes=i + 1)).isoformat())
            for i in range(N)
        ),
    )
    db.commit()
    results = {
        "model_load_s": round(load_s, 1),
        "embed_ms_per_article": round(per_article_ms, 1),
        "embed_sample": EMBED_SAMPLE,
        "embed_100k_extrapolated_min": round(per_article_ms * 100_000 / 60000, 1),
    }
    query = big[N // 2]
    for candidates in sorted({min(20000, N), N}):
        load, product = [], []
        for _ in range(5):
            t = time.perf_counter()
            rows = db.execute(
                "SELECT article_id, vector FROM v ORDER BY published_at DESC LIMIT ?",
                [candidates],
            ).fetchall()
            matrix = np.frombuffer(b"".join(v for _, v in rows), dtype=np.float32).reshape(
                len(rows), embeddings.DIMENSIONS
            )
            t2 = time.perf_counter()
            scores = matrix @ query
            best = np.argpartition(-scores, 6)[:6]
            best[np.argsort(-scores[best])]
            t3 = time.perf_counter()
            load.append((t2 - t) * 1000)
            product.append((t3 - t2) * 1000)
        results[f"lookup_{candidates}_load_ms"] = round(statistics.median(load), 1)
        results[f"lookup_{candidates}_product_ms"] = round(statistics.median(product), 1)
    db.close()
    path.unlink(missing_ok=True)
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
            f"{label}: {r['articles']} articles · generate {r['generate_s']} s · index build "
            f"{r['index_build_s']} s · size {r['index_size_mb']} MB · query p50 {r['query_p50_ms']} ms"
            f" p95 {r['query_p95_ms']} ms ({r['queries_with_hits']}/{QUERIES} with hits) · LIKE scan"
            f" p50 {r['like_scan_p50_ms']} ms (×{r['like_scan_p50_ms'] / max(r['query_p50_ms'], 0.01):.0f} slower)"
        )
        print(
            f"  second pass (warm): p50 {r['warm_p50_ms']} ms p95 {r['warm_p95_ms']} ms · load"
            f" average (1 min) before/after the queries: {r['load_average_1min']}"
        )
        print("  slowest: " + "; ".join(r["slowest"]))
    SQLITE_PATH.unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.test")
    import django

    django.setup()
    results["embeddings"] = e = run_embeddings()
    print(
        f"embeddings: model load {e['model_load_s']} s · {e['embed_ms_per_article']} ms/article"
        f" (100k ≈ {e['embed_100k_extrapolated_min']} min, measured on {EMBED_SAMPLE})"
    )
    for candidates in sorted({min(20000, N), N}):
        print(
            f"top-6 over {candidates} vectors (on publish, not per view): read"
            f" {e[f'lookup_{candidates}_load_ms']} ms + product {e[f'lookup_{candidates}_product_ms']} ms"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "search.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
