"""Ids and cursors read from URLs, in one place: a hostile value is a clean 4xx.

Databases hold signed 64-bit integers; Python's are unbounded, so `2**63` reaches SQLite as an
OverflowError and PostgreSQL as an out-of-range error (a 500) unless it is refused here first.
Path segments use the `<id:…>` converter (a non-match is a 404); query parameters and form
fields call `id_parse` and answer 400 on `BadParameter`. Dates go through Django's DateField
(2024-02-30 is invalid there); search clamps a valid but absurd range to the archive's span.
"""

from datetime import UTC, datetime

from django.urls import register_converter

MAX_ID = 2**63 - 1  # the largest signed 64-bit integer: every id column fits in it


class BadParameter(ValueError):
    """A number or cursor that cannot be what the URL asks for."""


def id_parse(value: str | int | None) -> int | None:
    """An id (whole number 0…2**63-1) from text; None when absent; BadParameter otherwise.

    Only ASCII digits: `int()` alone would take « 7», «+7», «٧» and «1_000»."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise BadParameter(value)
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_ID:
        raise BadParameter(value)
    return int(text)


def ids_parse(values) -> list[int]:
    """Several ids (e.g. `getlist("id")`): BadParameter if any is not one."""
    return [parsed for parsed in map(id_parse, values) if parsed is not None]


def keyset_cursor_parse(cursor: str) -> tuple[datetime, int]:
    """`?before=<µs>-<id>` of keyset listings: (moment, id); BadParameter for anything else."""
    micros, _, pk = cursor.partition("-")
    if not (micros.isascii() and micros.isdigit()) or len(micros) > 18:  # past year 33000
        raise BadParameter(cursor)
    pk = id_parse(pk)
    if pk is None:
        raise BadParameter(cursor)
    return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), pk


class IdConverter:
    """`<id:name>` in URL patterns: like `<int:…>`, but 2**63 and beyond do not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        return id_parse(value)  # BadParameter is a ValueError: Django treats it as no match

    def to_url(self, value) -> str:
        return str(value)


def register_converters() -> None:
    register_converter(IdConverter, "id")
