"""The two full-text engines behind one call. Chosen by the database vendor, never by a setting."""

from itertools import islice, product

from django.db import connection

from .morphology import ParsedQuery

MAX_PHRASE_VARIANTS = 16


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
        sql_where = "".join(f" AND {clause}" for clause in where)
        order_by = (
            "e.published_at DESC, e.article_id DESC"
            if order == "newest"
            else "bm25(search_fts, 10.0, 4.0, 1.0), e.published_at DESC"
        )
        base = f"FROM search_fts JOIN search_entry e ON e.article_id = search_fts.rowid WHERE search_fts MATCH %s{sql_where}"
        match = [self.match_expression(query), *params]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", match)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT e.article_id {base} ORDER BY {order_by} LIMIT %s OFFSET %s",
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
            cursor.execute(f"SELECT count(*) {base}", match)
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
