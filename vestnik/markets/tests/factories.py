"""Saved Bank documents (tests/data, real format and encoding) and a fake HTTP client serving them."""

from pathlib import Path

from vestnik.http_client import HttpError
from vestnik.markets.sources import cbr

DATA = Path(__file__).parent / "data"


def raw(name: str) -> bytes:
    """`raw("2024-10-05")` is the Bank's document for that date; other names are the broken ones."""
    path = DATA / f"XML_daily_{name}.xml"
    return (path if path.exists() else DATA / f"{name}.xml").read_bytes()


def document(name: str) -> cbr.RatesDocument:
    return cbr.parse(raw(name))


class FakeClient:
    """Answers like XML_daily.asp: the document for `date_req`, or the latest set before it."""

    def __init__(self, by_date: dict[str, bytes] | None = None, error: str | None = None):
        self.by_date = by_date or {}
        self.error = error
        self.requests = []

    def get(self, url, params=None):
        self.requests.append((url, params))
        if self.error:
            raise HttpError(self.error)
        wanted = (params or {}).get("date_req")
        if wanted is None:
            return self.by_date[max(self.by_date)]
        day, month, year = wanted.split("/")
        key = f"{year}-{month}-{day}"
        earlier = [d for d in self.by_date if d <= key]
        return self.by_date[max(earlier)]


def bank(*dates: str, **kwargs) -> FakeClient:
    return FakeClient({d: raw(d) for d in dates}, **kwargs)
