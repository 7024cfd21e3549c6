"""Small pieces for answering in the ASGI layer, before Django (vestnik/asgi.py and the raw ASGI
parts of the apps: request limits, the feed's event stream)."""

from collections.abc import Iterable

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"


def header(scope, name: bytes) -> str | None:
    """The first value of a request header; `name` in lower case, as ASGI servers give it."""
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


async def answer(
    send,
    status: int,
    body: bytes,
    content_type: str = TEXT,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    """A whole short response no cache may keep: a refusal or an error page, sent without Django."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode("latin-1")),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
