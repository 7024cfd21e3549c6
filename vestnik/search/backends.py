"""The two full-text engines behind one call. Chosen by the database vendor, never by a setting."""

import time as time_module
from datetime import date, datetime, time, timedelta
from itertools import islice, pairwise, product

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .keys import date_tokens
from .morphology import ParsedQuery

MAX_PHRASE_VARIANTS = 16
# Counting stops here: readers page through 50 pages at most, and counting every match of a
# common word would cost more than finding the first page.
COUNT_LIMIT = 1000
# Filters: {"rubric_id", "story_id": int or None, "date_from", "date_to": date or None (both days
# included, in the site's time zone)}.


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _phrase_variants(phrase):
    return list(islice(product(*phrase), MAX_PHRASE_VARIANTS))


def _rank_window() -> int:
    return max(COUNT_LIMIT, settings.VESTNIK_SEARCH_RANK_WINDOW)


class SQLiteBackend:
    """FTS5 with bm25 (title 10, lead 4, body 1), everything inside one MATCH.

    The FTS rowid is `recency_key` (sorts like published_at) and filters are words of the hidden
    `facets` column, so each step is a walk of FTS5's own doclists: newest first is
    `ORDER BY rowid DESC`, the count stops at COUNT_LIMIT, and relevance ranks only the newest
    VESTNIK_SEARCH_RANK_WINDOW matches (`rowid >=` the window's oldest), never every match.
    """

    TEXT_COLUMNS = "{title_lemmas lead_lemmas body_lemmas}"
    RANK = "bm25(10.0, 4.0, 1.0, 0.0)"

    @staticmethod
    def match_expression(query: ParsedQuery) -> str:
        def alternatives(options):
            return "(" + " OR ".join(options) + ")"

        parts = [alternatives(f'"{form}"' for form in variants) for variants in query.terms]
        parts += [
            alternatives('"' + " ".join(combo) + '"' for combo in _phrase_variants(phrase))
            for phrase in query.phrases
        ]
        return " AND ".join(parts)

    @classmethod
    def full_match(cls, query: ParsedQuery, filters: dict) -> str:
        parts = [f"{cls.TEXT_COLUMNS} : ({cls.match_expression(query)})"]
        for key, prefix in (("rubric_id", "r"), ("story_id", "s")):
            if filters.get(key) is not None:
                parts.append(f'facets : "{prefix}{int(filters[key])}"')
        if filters.get("date_from") or filters.get("date_to"):
            # "d0" is no day: a backwards range matches nothing (the form already refuses it).
            days = date_tokens(filters.get("date_from"), filters.get("date_to")) or ["d0"]
            parts.append("facets : (" + " OR ".join(f'"{t}"' for t in days) + ")")
        return " AND ".join(parts)

    def search(self, query, filters, order, limit, offset):
        match = self.full_match(query, filters)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s"
                f" LIMIT {COUNT_LIMIT})",
                [match],
            )
            total = cursor.fetchone()[0]
            if not total or offset >= total:
                return [], total
            if order == "newest":
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
                    " ORDER BY rowid DESC LIMIT %s OFFSET %s",
                    [match, limit, offset],
                )
            else:
                oldest = None
                if total >= COUNT_LIMIT:  # else every match is inside the window
                    cursor.execute(
                        "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
                        " ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                        [match, _rank_window() - 1],
                    )
                    oldest = cursor.fetchone()
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s"
                    f" AND rank MATCH '{self.RANK}' ORDER BY rank LIMIT %s OFFSET %s",
                    [match, oldest[0] if oldest else 0, limit, offset],
                )
            keys = [row[0] for row in cursor.fetchall()]
            if not keys:
                return [], total
            placeholders = ", ".join(["%s"] * len(keys))
            cursor.execute(
                "SELECT recency_key, article_id FROM search_entry"
                f" WHERE recency_key IN ({placeholders})",
                keys,
            )
            article_ids = dict(cursor.fetchall())
        return [article_ids[key] for key in keys if key in article_ids], total

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_%%'"
            )
            return cursor.fetchone()[0]


class PostgresBackend:
    """Generated tsvectors over the lemmas ('simple' configuration), each with a GIN index:
    `document` (title A, lead B, body D) matches words and long phrases, `pairs` (adjacent lemma
    pairs, migration 0003) matches two-word phrases. Relevance ranks the newest
    VESTNIK_SEARCH_RANK_WINDOW matches by ts_rank_cd over `head` (title A, lead B: small, kept in
    the row), then newest first; ranking over `document` would read and decompress a 2 KB vector
    per match. Without filters both orders first look among the newest RECENT_SLICE × window
    articles and go further back only when those hold too few matches.
    """

    PAIR = "ъъ"  # as in migration 0003
    RECENT_SLICE = 8

    @staticmethod
    def _alternatives(options):
        return "(" + " | ".join(options) + ")"

    @classmethod
    def tsquery(cls, query: ParsedQuery, long_phrases_only: bool = False) -> str:
        parts = [cls._alternatives(f"'{form}'" for form in variants) for variants in query.terms]
        parts += [
            cls._alternatives(
                "(" + " <-> ".join(f"'{form}'" for form in combo) + ")"
                for combo in _phrase_variants(phrase)
            )
            for phrase in query.phrases
            if len(phrase) > 2 or not long_phrases_only
        ]
        return " & ".join(parts)

    @classmethod
    def pairs_tsquery(cls, query: ParsedQuery) -> str:
        """Every adjacent pair of every phrase, in any of its forms (exact for two words; longer
        phrases are also checked by position in `document`)."""
        return " & ".join(
            cls._alternatives(f"'{a}{cls.PAIR}{b}'" for a in first for b in second)
            for phrase in query.phrases
            for first, second in pairwise(phrase)
        )

    def search(self, query, filters, order, limit, offset):
        where, params = self.filters(filters)
        filtered = bool(where)
        words, pairs = self.tsquery(query, long_phrases_only=True), self.pairs_tsquery(query)
        if words:
            where.insert(0, "document @@ to_tsquery('simple', %s)")
            params.insert(0, words)
        if pairs:
            where.insert(0, "pairs @@ %s::tsquery")
            params.insert(0, pairs)
        conditions = " AND ".join(where)
        window = _rank_window()
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner prices `@@` as cheap and would walk published_at backwards (or the whole
            # table), reading and decompressing the document of every row it passes; the GIN
            # bitmaps answer words and pairs without reading any document. The block is rolled
            # back at the end, so these settings never outlive the search.
            try:
                # A filter leaves only part of a slice's articles: it would seldom hold enough.
                recent = (
                    None if filtered else self._recent_since(cursor, window * self.RECENT_SLICE)
                )
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
                for since in [recent, None] if recent else [None]:
                    since_sql = " AND published_at >= %s" if since else ""
                    since_params = [since] if since else []
                    if order == "newest":
                        cursor.execute(
                            f"SELECT article_id FROM search_entry WHERE {conditions}{since_sql}"
                            " ORDER BY published_at DESC, article_id DESC LIMIT %s OFFSET %s",
                            [*params, *since_params, limit, offset],
                        )
                        ids = [row[0] for row in cursor.fetchall()]
                        complete = len(ids) == limit
                    else:
                        cursor.execute(
                            "SELECT article_id, count(*) OVER () FROM (SELECT article_id,"
                            f" published_at, head FROM search_entry WHERE {conditions}{since_sql}"
                            f" ORDER BY published_at DESC, article_id DESC LIMIT {window})"
                            " AS recent, to_tsquery('simple', %s) q"
                            " ORDER BY ts_rank_cd(head, q) DESC, published_at DESC, article_id DESC"
                            " LIMIT %s OFFSET %s",
                            [*params, *since_params, self.tsquery(query), limit, offset],
                        )
                        rows = cursor.fetchall()
                        ids = [row[0] for row in rows]
                        complete = bool(rows) and rows[0][1] == window
                    if complete:  # the slice held enough matches: older ones can't displace them
                        break
                total = len(ids) + offset
                if len(ids) == limit or not ids:  # else the page ends the matches
                    cursor.execute(
                        f"SELECT count(*) FROM (SELECT 1 FROM search_entry WHERE {conditions}"
                        f" LIMIT {COUNT_LIMIT}) AS hits",
                        params,
                    )
                    total = cursor.fetchone()[0]
            finally:
                transaction.set_rollback(True)
        return ids, total

    _since_cache: tuple[float, int, datetime | None] = (0.0, 0, None)

    @classmethod
    def _recent_since(cls, cursor, articles: int) -> datetime | None:
        """Publication time of the newest `articles`-th entry, remembered for a few minutes: any
        value is correct (a slice that holds too few matches is widened), only speed depends
        on it."""
        checked, count, since = cls._since_cache
        if time_module.monotonic() - checked > 300 or count != articles:
            cursor.execute(
                "SELECT published_at FROM search_entry ORDER BY published_at DESC"
                " LIMIT 1 OFFSET %s",
                [articles],
            )
            row = cursor.fetchone()
            since = row[0] if row else None
            cls._since_cache = (time_module.monotonic(), articles, since)
        return since

    @staticmethod
    def filters(filters: dict) -> tuple[list[str], list]:
        where, params = [], []
        for key in ("rubric_id", "story_id"):
            if filters.get(key) is not None:
                where.append(f"{key} = %s")
                params.append(filters[key])
        if filters.get("date_from"):
            where.append("published_at >= %s")
            params.append(_day_start(filters["date_from"]))
        if filters.get("date_to"):
            where.append("published_at < %s")
            params.append(_day_start(filters["date_to"] + timedelta(days=1)))
        return where, params

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_entry')")
            return cursor.fetchone()[0]


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
