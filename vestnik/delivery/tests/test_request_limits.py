"""Request sizes and methods: bodies refused by size before they are read, Russian pages for
405/413/414/431, HEAD where GET works, OPTIONS without the page, TRACE refused, quiet bad hosts."""

import asyncio
import logging

import pytest

from vestnik.asgi import application
from vestnik.delivery.limits import request_limits

pytestmark = pytest.mark.django_db

CHUNK = 16 * 1024


class Upload:
    """An ASGI client sending `chunks` body chunks of 16 KB; counts what the app consumed."""

    def __init__(self, path, chunks, content_length=None, method="POST", headers=()):
        self.scope = {
            "type": "http",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"testserver"),
                (b"content-type", b"application/x-www-form-urlencoded"),
                *([(b"content-length", str(content_length).encode())] if content_length else []),
                *headers,
            ],
        }
        self.chunks = chunks
        self.consumed = 0
        self.sent = []

    async def receive(self):
        if self.chunks:
            self.chunks -= 1
            self.consumed += CHUNK
            return {"type": "http.request", "body": b"x" * CHUNK, "more_body": self.chunks > 0}
        await asyncio.sleep(3600)  # a client that stays connected

    async def send(self, message):
        self.sent.append(message)

    def run(self, app=application):
        asyncio.run(asyncio.wait_for(app(self.scope, self.receive, self.send), 10))
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        assert len(starts) == 1  # one answer, never the app's too
        body = b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")
        return starts[0]["status"], body.decode()


def test_a_large_declared_body_is_refused_before_a_byte_is_read():
    upload = Upload("/comments/11/", chunks=32_000, content_length=500 * 1024 * 1024)
    status, body = upload.run()
    assert status == 413
    assert "Слишком много данных" in body
    assert upload.consumed == 0


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(settings):
    settings.VESTNIK_PUBLIC_MAX_BODY_KB = 64
    upload = Upload("/comments/11/", chunks=32_000)  # 500 MB if it were all read
    status, body = upload.run()
    assert status == 413
    assert "Слишком много данных" in body
    assert upload.consumed <= 64 * 1024 + CHUNK


def test_small_public_bodies_and_large_newsroom_bodies_pass(settings):
    settings.VESTNIK_PUBLIC_MAX_BODY_KB = 64
    settings.VESTNIK_ADMIN_MAX_BODY_MB = 1

    async def inner(scope, receive, send):
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    app = request_limits(inner)
    assert Upload("/comments/11/", chunks=3, content_length=3 * CHUNK).run(app)[0] == 200
    upload = Upload("/admin/images/multiple/add/", chunks=60, content_length=60 * CHUNK)
    assert upload.run(app)[0] == 200
    assert upload.consumed == 60 * CHUNK
    too_much = Upload("/admin/images/multiple/add/", chunks=80, content_length=80 * CHUNK)
    assert too_much.run(app)[0] == 413


def test_long_addresses_and_headers_get_russian_414_and_431():
    status, body = Upload("/search/" + "я" * 9000, chunks=0, method="GET").run()
    assert status == 414
    assert "Слишком длинный адрес" in body
    cookie = (b"cookie", b"a=" + b"x" * 40_000)
    status, body = Upload("/", chunks=0, method="GET", headers=[cookie]).run()
    assert status == 431
    assert "cookie" in body.lower()


def test_oversized_bodies_are_refused_in_django_too(client, settings):
    """WSGI servers and the test client skip the ASGI guard: the middleware checks the length."""
    settings.VESTNIK_PUBLIC_MAX_BODY_KB = 1
    response = client.post("/comments/11/", {"text": "я" * 4000})
    assert response.status_code == 413
    assert "Слишком много данных" in response.content.decode()


def test_405_has_a_russian_body_and_trace_is_refused(client, home):
    response = client.post("/news/latest.json")
    assert response.status_code == 405
    assert "не принимает" in response.content.decode()
    assert response["Allow"] == "GET, HEAD"
    response = client.generic("TRACE", "/")
    assert response.status_code == 405
    assert "не принимает" in response.content.decode()


def test_options_answers_allow_without_the_page(client, home):
    response = client.options("/")
    assert response.status_code == 204
    assert response.content == b""
    assert "GET" in response["Allow"]


def test_head_works_wherever_get_does(client, home, monkeypatch):
    from vestnik.promos import services
    from vestnik.promos.tests.factories import promo

    counted = []
    monkeypatch.setattr(services, "promo_event_count", lambda pk, kind: counted.append(kind))
    shown = promo(target="url", url="https://example.com/")
    for url in ["/", "/news/latest.json", "/comments/token/", f"/promo/{shown.pk}/go/"]:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code, url
        assert head.content == b"", url
    assert counted == [services.CLICKS]  # the GET; a HEAD (link checkers) is not a click


def test_a_bulk_action_with_a_forged_id_is_a_400(client, admin_user_):
    client.force_login(admin_user_)
    response = client.get("/admin/bulk/comments/comment/approve/?id=None")
    assert response.status_code == 400
    assert "Не удалось обработать запрос" in response.content.decode()


def test_a_bad_host_is_one_warning_without_a_traceback(client, home, settings, caplog):
    settings.ALLOWED_HOSTS = ["vestnik.example"]
    for _ in range(3):
        response = client.get("/", HTTP_HOST="scanner.example")
        assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.WARNING, None)]
