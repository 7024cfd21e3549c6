"""The event stream's two adapters over one core (feed/stream.py), driven in-process through ASGI:
the raw ASGI app (feed/asgi.py, what vestnik/asgi.py dispatches the path to) and the Django view
(views.feed_stream, behind Django's own ASGI handler and middleware).

test_live.py covers the raw app end to end in real granian processes; these pin down what both
do on their own, the same way: refusals, headers, replay, heartbeat, fan-out, leaving on
disconnect.
"""

import asyncio
import threading
from pathlib import Path

import pytest
from django.core.asgi import get_asgi_application
from django.urls import reverse
from django.utils import timezone

from vestnik.feed import live, paths, selectors, services, stream
from vestnik.feed.asgi import stream_app

ADAPTERS = {"raw": stream_app, "django": get_asgi_application()}


@pytest.fixture
def hub(monkeypatch):
    """A hub of our own whose follower never runs: the test pushes what it would deliver."""
    quiet = live.Hub()
    quiet._thread = threading.Thread()  # never started
    monkeypatch.setattr(live, "hub", quiet)
    return quiet


@pytest.fixture(params=ADAPTERS)
def app(request):
    return ADAPTERS[request.param]


def _scope(method="GET", query=b"", headers=()):
    return {
        "type": "http",
        "method": method,
        "path": paths.STREAM,
        "query_string": query,
        "headers": [(b"host", b"testserver"), *headers],
    }


class Client:
    """Runs the app once; `sent` collects its ASGI messages, `disconnect()` hangs up."""

    def __init__(self, scope, app=stream_app):
        self.scope = scope
        self.app = app
        self.sent: list[dict] = []
        self._gone = asyncio.Event()
        self._asked = False

    async def receive(self):
        if not self._asked:  # the (empty) request body first, then silence until hang-up
            self._asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self._gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message):
        self.sent.append(message)

    def disconnect(self):
        self._gone.set()

    def start(self):
        return asyncio.ensure_future(self.app(self.scope, self.receive, self.send))

    @property
    def status(self):
        return self.sent[0]["status"]

    @property
    def headers(self):
        return {name.lower(): value for name, value in self.sent[0]["headers"]}

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])


async def _settle():
    for _ in range(20):
        await asyncio.sleep(0)


async def _until(condition, timeout=5.0):
    """Django runs its middleware in threads: wait for what a few loop turns can't promise."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def _run_once(scope, app=stream_app) -> Client:
    client = Client(scope, app)

    async def main():
        await asyncio.wait_for(client.start(), 5)

    asyncio.run(main())
    return client


@pytest.mark.parametrize(
    ("scope", "status", "text"),
    [
        (_scope(method="POST"), 405, "можно только получать"),
        (_scope(query=b"last_id=abc"), 400, "Неверный номер события"),
        (_scope(query=b"last_id=9223372036854775808"), 400, "Неверный номер события"),
        (_scope(headers=[(b"last-event-id", b"-1")]), 400, "Неверный номер события"),
    ],
)
def test_refusals_answer_at_once_with_a_plain_message(hub, app, scope, status, text):
    client = _run_once(scope, app)
    assert client.status == status
    assert client.headers[b"content-type"] == b"text/plain; charset=utf-8"
    assert client.headers[b"cache-control"] == b"no-store"
    assert text in client.body.decode()
    if status == 405:
        assert client.headers[b"allow"] == b"GET"
    assert hub._subscribers == set()


def test_a_host_outside_allowed_hosts_is_refused(hub, settings):
    settings.ALLOWED_HOSTS = ["vestnik.example"]
    client = _run_once(_scope())
    assert client.status == 400
    settings.ALLOWED_HOSTS = [".example"]
    scope = _scope()
    scope["headers"] = [(b"host", b"vestnik.example:8000")]
    client = Client(scope)

    async def main():
        task = client.start()
        await _settle()
        client.disconnect()
        await asyncio.wait_for(task, 5)

    asyncio.run(main())
    assert client.status == 200


def test_a_stream_gets_every_event_once_a_heartbeat_when_idle_and_leaves_on_disconnect(
    hub, app, settings
):
    settings.VESTNIK_FEED_HEARTBEAT = 0.05
    settings.VESTNIK_FEED_RETRY_MS = 2000
    first, second = Client(_scope(), app), Client(_scope(), app)
    one, two = live.message(1, {"id": 1}), live.message(2, {"id": 2})

    async def main():
        tasks = [first.start(), second.start()]
        await _until(lambda: len(hub._subscribers) == 2)
        hub._dispatch([one])
        await _until(lambda: all(one.sse in client.body for client in (first, second)))
        hub._dispatch([two, one])  # a repeat (e.g. replayed and live) goes out once
        await _settle()
        await asyncio.sleep(0.12)  # idle: heartbeats
        first.disconnect()
        second.disconnect()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)

    asyncio.run(main())
    for client in (first, second):
        assert client.status == 200
        assert client.headers[b"content-type"] == b"text/event-stream"
        assert client.headers[b"cache-control"] == b"no-cache"
        assert client.headers[b"x-accel-buffering"] == b"no"
        assert b"content-encoding" not in client.headers
        body = client.body
        assert body.startswith(b"retry: 2000\n\n" + one.sse + two.sse)
        assert body.count(b'data: {"id": 1}') == 1
        assert b": ping\n\n" in body[len(b"retry: 2000\n\n" + one.sse + two.sse) :]
    assert hub._subscribers == set()  # both gone, nothing left to feed


@pytest.mark.django_db(transaction=True)
def test_last_event_id_replays_the_missed_changes_in_order_before_live_ones(hub, app, rubric):
    def note(key):
        return services.entry_upsert(key=key, title=key, url="/", published_at=timezone.now())

    note("note:a")
    seen = selectors.event_latest_id()
    note("note:b")
    services.entry_withdraw("note:a")
    missed = live.messages_after(seen)
    client = Client(_scope(headers=[(b"last-event-id", str(seen).encode())]), app)

    async def main():
        task = client.start()
        for _ in range(200):  # the replay reads the database in a thread
            await asyncio.sleep(0.01)
            if client.sent:
                break
        hub._dispatch(missed)  # the follower catching up with the same events: not sent twice
        live_one = live.message(missed[-1].id + 1, {"id": missed[-1].id + 1})
        hub._dispatch([live_one])
        await _until(lambda: live_one.sse in client.body)
        client.disconnect()
        await asyncio.wait_for(task, 5)
        return live_one

    live_one = asyncio.run(main())
    assert [m.id for m in missed] == [seen + 1, seen + 2]
    assert client.body == b"retry: 2000\n\n" + b"".join(m.sse for m in missed) + live_one.sse


def test_a_database_failure_during_the_replay_answers_503(hub, app, monkeypatch):
    def broken(last_id):
        raise RuntimeError("database is down")

    monkeypatch.setattr(stream, "replay", broken)
    monkeypatch.setattr(stream, "close_old_connections", lambda: None)
    client = _run_once(_scope(query=b"last_id=5"), app)
    assert client.status == 503
    assert "Лента временно недоступна" in client.body.decode()
    assert client.headers[b"retry-after"] == b"30"
    assert hub._subscribers == set()


@pytest.mark.django_db(transaction=True)
def test_a_last_event_id_past_the_newest_event_is_clamped_so_new_events_arrive(hub, app, rubric):
    services.entry_upsert(key="note:a", title="a", url="/", published_at=timezone.now())
    latest = selectors.event_latest_id()
    client = Client(_scope(headers=[(b"last-event-id", str(latest + 10**12).encode())]), app)

    async def main():
        task = client.start()
        for _ in range(200):  # the replay reads the database in a thread
            await asyncio.sleep(0.01)
            if client.sent:
                break
        next_one = live.message(latest + 1, {"id": latest + 1})
        hub._dispatch([next_one])
        await _until(lambda: next_one.sse in client.body)
        client.disconnect()
        await asyncio.wait_for(task, 5)
        return next_one

    next_one = asyncio.run(main())
    assert client.status == 200
    assert client.body == b"retry: 2000\n\n" + next_one.sse


@pytest.mark.django_db
def test_the_stream_has_one_address_everywhere(client, settings):
    assert reverse("feed:stream") == paths.STREAM
    assert paths.STREAM in settings.VESTNIK_DATABASE_PRIMARY_PATHS  # the replay reads the primary
    assert f"Disallow: {paths.STREAM}\n" in client.get("/robots.txt").content.decode()
    # nginx's template is filled by a shell script, so it spells the path out: same one, unbuffered.
    nginx = (Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf.template").read_text()
    block = nginx.split(f"location {paths.STREAM} {{", 1)[1].split("}", 1)[0]
    assert "proxy_buffering off;" in block


def test_a_repeat_taken_in_the_same_batch_goes_out_once_and_the_cursor_never_goes_back():
    one, two = live.message(1, {"id": 1}), live.message(2, {"id": 2})
    assert live.frames([one, two, one], 0) == (2, one.sse + two.sse)
    assert live.frames([two, one], 1) == (2, two.sse)
    assert live.frames([one], 2) == (2, b"")
