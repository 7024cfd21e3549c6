"""Channels on the feed's stream: a live broadcast's posts (`services.channel_event`) reach only
the streams of their channel, replay on reconnect once and in order, and leave the news feed
(channel "") exactly as it was.

In-process through both adapters (the raw ASGI app and the Django view, as test_stream_app.py),
then across real granian processes (servers.py: SQLite file, or PostgreSQL + Redis)."""

import asyncio
import json
import shutil
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from django.test import Client as DjangoClient
from django.utils import timezone

from vestnik.feed import live, selectors, services, stream
from vestnik.feed.models import FeedEvent

from .servers import EventStream, Writer, app_processes, database_url
from .test_stream_app import Client, _run_once, _scope, _until, app, hub  # noqa: F401 (fixtures)


def _line(key: str):
    return services.entry_upsert(key=key, title=key, url="/", published_at=timezone.now())


def _post(channel: str, key: str, text: str = "", **data):
    return services.channel_event(channel, "upsert", key, f'<li data-key="{key}">{text}</li>', data)


def _events(body: bytes) -> list[dict]:
    """The SSE events in a response body, as dicts (with the frame's id)."""
    found = []
    for frame in body.decode().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in frame.splitlines() if ": " in line)
        if "data" in lines:
            found.append({**json.loads(lines["data"]), "frame_id": int(lines["id"])})
    return found


# --- the writer's side -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["", "Live-42", "42-live", "live_42", "live 42", "live/42", "l" * 61, "live-42\n"]
)
def test_a_bad_channel_name_is_refused_and_nothing_is_written(name):
    with pytest.raises(ValueError, match="channel name"):
        services.channel_event(name, "upsert", "post:1", "<li></li>")
    assert not FeedEvent.objects.exists()


@pytest.mark.django_db
def test_a_bad_kind_or_a_payload_overriding_the_envelope_is_refused():
    with pytest.raises(ValueError, match="kind"):
        services.channel_event("live-1", "reset", "post:1")
    with pytest.raises(ValueError, match="data may not set"):
        services.channel_event("live-1", "upsert", "post:1", "<li></li>", {"id": 999})
    with pytest.raises(ValueError, match="key"):
        services.channel_event("live-1", "upsert", "", "<li></li>")
    assert not FeedEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_channel_event_commits_with_the_writer_and_wakes_followers_only_then(monkeypatch):
    woken = []
    monkeypatch.setattr(live, "notify", woken.append)

    def write_then_fail():
        with transaction.atomic():
            services.channel_event("live-1", "upsert", "post:1", "<li>one</li>")
            assert woken == []  # not before commit
            raise RuntimeError("the writer's transaction fails")

    with pytest.raises(RuntimeError, match="fails"):
        write_then_fail()
    assert woken == []
    assert selectors.channel_last_id("live-1") == 0

    with transaction.atomic():
        event = services.channel_event("live-1", "upsert", "post:1", "<li>one</li>")
        _line("note:a")  # the same transaction may write the feed too: same id sequence
    assert woken == [event.pk, event.pk + 1]
    assert selectors.channel_last_id("live-1") == event.pk
    assert selectors.channel_last_id("live-2") == 0
    assert selectors.event_latest_id() == event.pk + 1  # the feed's cursor: its own events


# --- the stream, in-process ---------------------------------------------------------------------


@pytest.mark.parametrize("query", [b"channel=Live-1", b"channel=live_1", b"channel=" + b"l" * 61])
def test_a_bad_channel_on_the_stream_is_a_400_in_russian(hub, app, query):  # noqa: F811
    client = _run_once(_scope(query=query), app)
    assert client.status == 400
    assert "Неверное имя канала" in client.body.decode()
    assert hub._subscribers == set()


@pytest.mark.django_db(transaction=True)
def test_each_stream_gets_only_its_channels_events(hub, app):  # noqa: F811
    readers = {
        name: Client(_scope(query=query), app)
        for name, query in [("feed", b""), ("one", b"channel=live-1"), ("two", b"channel=live-2")]
    }
    _line("note:a")
    _post("live-1", "post:1", "первый", ts=1.5, pinned=False)
    _line("note:b")
    _post("live-2", "post:9", "другая трансляция")
    services.channel_event("live-1", "remove", "post:1")
    batch = live.messages_after(0)

    async def main():
        tasks = [reader.start() for reader in readers.values()]
        await _until(lambda: len(hub._subscribers) == 3)
        assert set(hub._channels) == {"", "live-1", "live-2"}
        hub._dispatch(batch)
        await _until(lambda: all(reader.body.count(b"\n\n") > 1 for reader in readers.values()))
        await _until(lambda: readers["one"].body.count(b"data: ") == 2)
        for reader in readers.values():
            reader.disconnect()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)

    asyncio.run(main())
    feed, one, two = (_events(readers[name].body) for name in ("feed", "one", "two"))
    assert [(e["kind"], e["key"]) for e in feed] == [("upsert", "note:a"), ("upsert", "note:b")]
    assert [(e["kind"], e["key"]) for e in one] == [("upsert", "post:1"), ("remove", "post:1")]
    assert one[0]["html"] == '<li data-key="post:1">первый</li>'  # as the writer rendered it
    assert (one[0]["ts"], one[0]["pinned"]) == (1.5, False)  # the writer's data, alongside
    assert one[0]["id"] == one[0]["frame_id"]
    assert [(e["kind"], e["key"]) for e in two] == [("upsert", "post:9")]
    assert hub._subscribers == set()
    assert hub._channels == {}  # no reader left: nothing kept for any channel


@pytest.mark.django_db(transaction=True)
def test_a_reconnect_replays_its_channels_missed_events_once_in_order(hub, app):  # noqa: F811
    _post("live-1", "post:1", "до")
    seen = selectors.channel_last_id("live-1")
    feed_seen = selectors.event_latest_id()
    # While the reader is away, interleaved with the feed and another broadcast:
    _line("note:a")
    _post("live-1", "post:2", "второй")
    _post("live-2", "post:x")
    _post("live-1", "post:1", "исправлено")
    _line("note:b")
    services.channel_event("live-1", "remove", "post:2")
    catching_up = live.messages_after(seen)
    missed = [m for m in catching_up if m.channel == "live-1"]
    resumed = Client(_scope(query=b"channel=live-1&last_id=0", headers=[
        (b"last-event-id", str(seen).encode())]), app)  # fmt: skip
    feed = Client(_scope(query=f"last_id={feed_seen}".encode()), app)

    async def main():
        tasks = [resumed.start(), feed.start()]
        await _until(lambda: resumed.sent and feed.sent)
        hub._dispatch(catching_up)  # the follower catching up with the same: nothing twice
        later = await sync_to_async(_post)("live-1", "post:3", "потом")  # and on, live
        hub._dispatch(await sync_to_async(live.messages_after)(later.pk - 1))
        await _until(lambda: b"post:3" in resumed.body)
        resumed.disconnect()
        feed.disconnect()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)

    asyncio.run(main())
    replayed = _events(resumed.body)
    assert [(e["kind"], e["key"], e["html"]) for e in replayed] == [
        ("upsert", "post:2", '<li data-key="post:2">второй</li>'),
        ("upsert", "post:1", '<li data-key="post:1">исправлено</li>'),
        ("remove", "post:2", ""),
        ("upsert", "post:3", '<li data-key="post:3">потом</li>'),
    ]
    assert [e["id"] for e in replayed[:3]] == [m.id for m in missed]
    assert [e["key"] for e in _events(feed.body)] == ["note:a", "note:b"]  # the feed as before


@pytest.mark.django_db(transaction=True)
def test_a_channel_reader_too_far_behind_gets_a_reset(hub, app, settings):  # noqa: F811
    settings.VESTNIK_FEED_REPLAY_MAX = 2
    for n in range(3):
        _post("live-1", f"post:{n}")
    _line("note:a")  # the feed's own events don't count for the channel
    latest = selectors.channel_last_id("live-1")
    behind = Client(_scope(query=b"channel=live-1&last_id=0"), app)
    close = Client(_scope(query=f"channel=live-1&last_id={latest - 2}".encode()), app)

    async def main():
        tasks = [behind.start(), close.start()]
        await _until(lambda: behind.sent and close.sent)
        await _until(lambda: b"data: " in behind.body and b"data: " in close.body)
        behind.disconnect()
        close.disconnect()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)

    asyncio.run(main())
    assert _events(behind.body) == [{"id": latest, "kind": "reset", "frame_id": latest}]
    assert [e["key"] for e in _events(close.body)] == ["post:1", "post:2"]


@pytest.mark.django_db
def test_the_feeds_cursor_json_and_replay_ignore_channel_events(client):
    _line("note:a")
    cursor = selectors.event_latest_id()
    first = client.get("/news/latest.json", {"since": cursor})
    for n in range(5):
        _post("live-1", f"post:{n}")
    again = client.get("/news/latest.json", {"since": cursor})
    assert again["ETag"] == first["ETag"]  # a broadcast's posts don't touch the feed's JSON
    assert again.json() == {"cursor": cursor, "changes": []}
    assert stream.replay(cursor) == (cursor, [])
    assert selectors.event_latest_id() == cursor


# --- pruning ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_busy_channel_never_prunes_the_feeds_events():
    _line("note:a")
    feed_cursor = selectors.event_latest_id()
    _line("note:b")
    _line("note:c")
    for n in range(10):
        _post("live-1", f"post:{n}")
    channel_cursor = selectors.channel_last_id("live-1") - 3

    assert services.events_prune(keep=3) == 7  # the channel's 7 oldest; the feed has only 3
    _, replayed = stream.replay(feed_cursor)
    assert [json.loads(m.sse.split(b"data: ")[1])["key"] for m in replayed] == ["note:b", "note:c"]
    _, replayed = stream.replay(
        channel_cursor, "live-1"
    )  # right at the channel's kept events: replayed
    assert [m.id for m in replayed] == [channel_cursor + 1, channel_cursor + 2, channel_cursor + 3]
    _, reset = stream.replay(
        channel_cursor - 1, "live-1"
    )  # missed a pruned one: a reset, not a gap
    assert b'"kind": "reset"' in reset[0].sse


@pytest.mark.django_db
def test_each_channel_is_pruned_to_its_own_newest_and_finished_broadcasts_leave_the_log():
    for n in range(4):
        _line(f"note:{n}")
        _post("live-1", f"post:{n}")
    old = _post("live-old", "post:0")
    FeedEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))

    assert services.events_prune(keep=2, channel_days=7) == 2 + 2 + 1
    kept = list(FeedEvent.objects.order_by("id").values_list("channel", "key"))
    assert kept == [("", "note:2"), ("live-1", "post:2"), ("", "note:3"), ("live-1", "post:3")]
    # A page of the old broadcast renders the pruned id as its cursor and resumes without a reset…
    assert selectors.channel_last_id("live-old") == old.pk
    assert stream.replay(old.pk, "live-old") == (old.pk, [])
    # …and one from before it was pruned reloads.
    _, reset = stream.replay(old.pk - 1, "live-old")
    assert b'"kind": "reset"' in reset[0].sse
    # The feed keeps its own rule: nothing of it is old enough to go by age.
    assert services.events_prune(keep=2, channel_days=0) == 2
    assert list(FeedEvent.objects.values_list("channel", flat=True).distinct()) == [""]


# --- real app processes ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_channels_across_granian_processes_only_their_events_once_and_in_order(tmp_path):
    url = database_url(tmp_path)
    with app_processes(url) as (process_a, process_b), Writer(url) as writer:
        feed = EventStream(process_a)
        one = EventStream(process_b, query="channel=live-1&last_id=0")
        two = EventStream(process_a, query="channel=live-2&last_id=0")
        bad = httpx_get(process_b, "channel=live_1")
        assert (bad.status_code, "Неверное имя канала" in bad.text) == (400, True)

        first = writer.channel_event("live-1", "upsert", "post:1", "<li>один</li>")
        assert one.next(timeout=2)["id"] == first
        writer.feed_line("note:a", "Новость ленты")
        assert feed.next(timeout=2)["key"] == "note:a"
        assert writer.channel_event("live-1", "upsert", "post:2", rollback=True) is None
        writer.channel_event("live-2", "upsert", "post:9", "<li>другая</li>")
        assert two.next(timeout=2)["key"] == "post:9"
        one.close()

        # While the reader of live-1 is away, interleaved with the feed and live-2:
        missed = [
            writer.channel_event("live-1", "upsert", "post:2", "<li>два</li>"),
            writer.channel_event("live-2", "remove", "post:9") and None,
            writer.feed_line("note:b", "Ещё новость"),
            writer.channel_event("live-1", "upsert", "post:1", "<li>один, исправлено</li>"),
            writer.channel_event("live-1", "remove", "post:2"),
        ]
        resumed = EventStream(process_b, last_event_id=first, query="channel=live-1&last_id=0")
        got = [resumed.next(timeout=2) for _ in range(3)]
        assert [(e["kind"], e["key"], e["html"]) for e in got] == [
            ("upsert", "post:2", "<li>два</li>"),
            ("upsert", "post:1", "<li>один, исправлено</li>"),
            ("remove", "post:2", ""),
        ]
        assert [e["id"] for e in got] == [m for m in missed if m]
        assert resumed.drain(wait=0.5) == []  # nothing twice, no rolled-back post, no other channel

        later = writer.channel_event("live-1", "upsert", "post:3", "<li>три</li>")
        assert resumed.next(timeout=2)["id"] == later
        assert [e["key"] for e in feed.drain(wait=0.3)] == ["note:b"]  # the feed: its own only
        assert [(e["kind"], e["key"]) for e in two.drain(wait=0.1)] == [("remove", "post:9")]
        for reader in (feed, two, resumed):
            reader.close()


def httpx_get(base: str, query: str):
    return httpx.get(f"{base}/news/stream/?{query}", timeout=5)


@pytest.mark.django_db
def test_the_stream_is_never_cached_by_nginx_and_keeps_its_query():
    nginx = (Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf.template").read_text()
    block = nginx.split("location /news/stream/ {", 1)[1].split("}", 1)[0]
    assert "proxy_cache off;" in block
    # No URI after the upstream: nginx passes the request's path and query (?channel=…) unchanged.
    assert "proxy_pass http://vestnik_app;" in block
    response = DjangoClient().get("/news/stream/", {"channel": "Bad"})
    assert response.status_code == 400


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
@pytest.mark.django_db(transaction=True)
def test_through_nginx_a_channel_stream_keeps_its_query_and_is_never_a_cached_copy(tmp_path):
    from vestnik.core.tests import ports
    from vestnik.delivery.tests.nginx import nginx_running

    url = database_url(tmp_path)
    with app_processes(url, count=1) as (origin,), Writer(url) as writer:
        app_port = int(origin.rsplit(":", 1)[1])
        port = ports.free_port(skip={app_port})
        with nginx_running(NGINX, HOST="127.0.0.1", PORT=port, APP_PORT=app_port):
            edge = f"http://127.0.0.1:{port}"
            bad = httpx_get(edge, "channel=Live")
            assert (bad.status_code, "Неверное имя канала" in bad.text) == (400, True)
            seen = writer.channel_event("live-1", "upsert", "post:1", "<li>один</li>")
            writer.channel_event("live-1", "upsert", "post:2", "<li>два</li>")
            readers = [EventStream(edge, query=f"channel=live-1&last_id={seen}") for _ in range(2)]
            for reader in readers:  # each from the app, not a copy: replay, then live
                assert reader.next(timeout=2)["key"] == "post:2"
                assert "x-edge-cache" not in reader.headers
            writer.feed_line("note:a", "Новость ленты")
            writer.channel_event("live-1", "remove", "post:1")
            for reader in readers:
                assert [(e["kind"], e["key"]) for e in [reader.next(timeout=2)]] == [
                    ("remove", "post:1")
                ]
                assert reader.drain(wait=0.3) == []
                reader.close()


@pytest.mark.django_db(transaction=True)
def test_a_log_pruned_before_channels_still_resets_readers_older_than_its_oldest_row():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("feed", "0004_feed_entry_markers")])
    old_apps = executor.loader.project_state([("feed", "0004_feed_entry_markers")]).apps
    OldEvent = old_apps.get_model("feed", "FeedEvent")
    for pk in (5, 6, 7):  # rows 1–4 pruned by the old code
        OldEvent.objects.create(id=pk, kind="upsert", key=f"note:{pk}", data={})
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert selectors.event_pruned_upto() == 4
    assert selectors.event_pruned_upto("live-1") == 0
    assert stream.events_since(3) is None  # a reset: events 1–4 may be gone
    assert [e.pk for e in stream.events_since(4)] == [5, 6, 7]  # right at the horizon: all there
    FeedEvent.objects.all().delete()
