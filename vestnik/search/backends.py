"""The two full-text engines behind one call. Chosen by the database vendor, never by a setting."""

from itertools import islice, product

from django.db import connection

from .morphology import ParsedQuery

MAX_PHRASE_VARIANTS = 16
# Counting stops here: readers page through 50 pages at most, and counting every match of a
# common word would cost more than finding the first page.
COUNT_LIMIT = 1000


def _phrase_variants(phrase):
    return list(islice(product(*phrase), MAX_PHRASE_VARIANTS))


def _filters(filters: dict, column_prefix: str) -> tuple[list[str], list]:
    where, params = [], []
    for key, op in (("rubric_id", "="), ("story_id", "="), ("date_from", ">="), ("date_to", "<")):
        value = filters.get(key)
        if value is not None:
            column = "published_at" if key.startswith("date_") else key
            where.append(f"{column_prefix}{column} {op} %s")
            if column == "published_at":
                value = connection.ops.adapt_datetimefield_value(value)
            params.append(value)
    return where, params


class SQLiteBackend:
    """FTS5 with bm25: a title match weighs most, then the lead, then the body."""

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

    def search(self, query, filters, order, limit, offset):
        where, params = _filters(filters, "e.")
        order_by = (
            "e.published_at DESC, e.article_id DESC"
            if order == "newest"
            else "hits.score, e.published_at DESC"
        )
        # The FTS match runs first and alone; the planner may otherwise walk search_entry by date
        # and probe the FTS table row by row.
        base = "FROM hits JOIN search_entry e ON e.article_id = hits.id" + (
            " WHERE " + " AND ".join(where) if where else ""
        )
        with_hits = (
            "WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, 10.0, 4.0, 1.0) AS score"
            " FROM search_fts WHERE search_fts MATCH %s) "
        )
        match = [self.match_expression(query), *params]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{with_hits}SELECT count(*) FROM (SELECT 1 {base} LIMIT {COUNT_LIMIT}) AS counted",
                match,
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                f"{with_hits}SELECT e.article_id {base} ORDER BY {order_by} LIMIT %s OFFSET %s",
                [*match, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return ids, total

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_%%'"
            )
            return cursor.fetchone()[0]


class PostgresBackend:
    """tsvector ('simple' over lemmas) with a GIN index, ranked by ts_rank_cd."""

    @staticmethod
    def tsquery(query: ParsedQuery) -> str:
        def alternatives(options):
            return "(" + " | ".join(options) + ")"

        parts = [alternatives(f"'{form}'" for form in variants) for variants in query.terms]
        parts += [
            alternatives(
                "(" + " <-> ".join(f"'{form}'" for form in combo) + ")"
                for combo in _phrase_variants(phrase)
            )
            for phrase in query.phrases
        ]
        return " & ".join(parts)

    def search(self, query, filters, order, limit, offset):
        where, params = _filters(filters, "")
        sql_where = "".join(f" AND {clause}" for clause in where)
        base = f"FROM search_entry, to_tsquery('simple', %s) q WHERE document @@ q{sql_where}"
        order_by = (
            "published_at DESC, article_id DESC"
            if order == "newest"
            else "ts_rank_cd(document, q) DESC, published_at DESC"
        )
        match = [self.tsquery(query), *params]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {COUNT_LIMIT}) AS hits", match
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT article_id {base} ORDER BY {order_by} LIMIT %s OFFSET %s",
                [*match, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return ids, total

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_entry')")
            return cursor.fetchone()[0]


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
