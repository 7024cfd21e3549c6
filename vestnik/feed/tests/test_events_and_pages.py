"""The event log behind the live feed, the full feed page and the JSON of latest items."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from vestnik.feed import live, selectors, services, stream
from vestnik.feed.models import FeedEvent
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db


def _note(key="rate:USD:2024-10-05", title="Курс доллара на 5 октября", **fields):
    fields.setdefault("published_at", timezone.now())
    return services.entry_upsert(
        key=key, title=title, url="/rates/usd/", rubric_title="Инвестиции", **fields
    )


def _events():
    return list(FeedEvent.objects.order_by("id").values_list("kind", "key"))


def test_every_change_of_any_line_becomes_one_event_in_order(rubric):
    article = factories.article(rubric, title="Новость")
    note = _note(pinned=True)
    _note(published_at=note.published_at, pinned=True)  # the same again: nothing changed
    services.entries_unpin("rate:", keep=[])
    services.entry_withdraw(note.key)
    services.entry_withdraw(note.key)  # already gone
    assert _events() == [
        ("upsert", f"article:{article.pk}"),
        ("upsert", "rate:USD:2024-10-05"),
        ("upsert", "rate:USD:2024-10-05"),
        ("remove", "rate:USD:2024-10-05"),
    ]
    unpinned = FeedEvent.objects.order_by("id")[2]
    assert unpinned.data["pinned"] is False
    assert unpinned.data["title"] == "Курс доллара на 5 октября"


def test_a_rolled_back_write_leaves_no_event(rubric):
    from django.db import transaction

    def write_then_fail():
        with transaction.atomic():
            _note()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert _events() == []


def test_old_events_are_pruned_to_the_newest(rubric):
    for n in range(5):
        _note(key=f"note:{n}")
    assert services.events_prune(keep=2) == 3
    assert [key for _, key in _events()] == ["note:3", "note:4"]


def _page_titles(client, url):
    doc = lxml_html.fromstring(client.get(url).content.decode())
    return [
        a.text_content().replace("\xa0", " ")
        for a in doc.xpath("//main//li/a[@class='feed__link']")
    ], doc


def test_feed_page_lists_pinned_notes_then_everything_newest_first_in_keyset_pages(
    client, rubric, settings
):
    settings.VESTNIK_PAGE_SIZE = 2
    now = timezone.now()
    for n in range(5):
        factories.article(rubric, title=f"Новость {n}", published_at=now - timedelta(hours=n))
    _note(pinned=True, published_at=now - timedelta(days=1))
    titles, doc = _page_titles(client, "/news/")
    assert titles == ["Курс доллара на 5 октября", "Новость 0", "Новость 1"]
    assert doc.xpath("//main//ol/@data-feed-live") == ["/news/stream/"]
    pages = [titles[1:]]
    while doc.xpath("//a[@rel='next']/@href"):
        titles, doc = _page_titles(client, "/news/" + doc.xpath("//a[@rel='next']/@href")[0])
        assert not doc.xpath("//main//ol/@data-feed-live")  # older pages stay still
        pages.append(titles)
    assert pages == [["Новость 0", "Новость 1"], ["Новость 2", "Новость 3"], ["Новость 4"]]
    assert client.get("/news/?before=yesterday").status_code == 404


def test_sidebar_carries_the_stream_cursor_and_keys(client, rubric):
    article = factories.article(rubric, title="Новость")
    doc = lxml_html.fromstring(client.get("/").content.decode())
    (feed_list,) = doc.xpath("//aside//ol[@data-feed-live]")
    assert feed_list.get("data-feed-last") == str(FeedEvent.objects.get().pk)
    assert feed_list.xpath("li/@data-key") == [f"article:{article.pk}"]
    assert "/static/js/feed-live.js" in doc.xpath("//script/@src")


def test_latest_json_gives_changes_since_a_cursor_and_304_when_nothing_is_new(client, rubric):
    article = factories.article(rubric, title="Новость")
    first = client.get("/news/latest.json")
    assert first["Cache-Control"] == "public, max-age=5"
    body = first.json()
    assert [item["title"] for item in body["items"]] == ["Новость"]
    cursor = body["cursor"]

    again = client.get(
        "/news/latest.json",
        {"since": cursor},
        HTTP_IF_NONE_MATCH=client.get("/news/latest.json", {"since": cursor})["ETag"],
    )
    assert again.status_code == 304
    _note()
    services.entry_withdraw(f"article:{article.pk}")
    changed = client.get("/news/latest.json", {"since": cursor})
    assert changed.status_code == 200
    changes = changed.json()["changes"]
    assert [(c["kind"], c["key"]) for c in changes] == [
        ("upsert", "rate:USD:2024-10-05"),
        ("remove", f"article:{article.pk}"),
    ]
    assert changes[0]["title"] == "Курс доллара на 5 октября"
    assert changed.json()["cursor"] == changes[-1]["id"]


def test_latest_json_and_stream_refuse_a_malformed_cursor_in_russian(client, home):
    response = client.get("/news/latest.json", {"since": "abc"})
    assert response.status_code == 400
    assert "Неверный номер события" in response.json()["error"]
    response = client.get("/news/stream/", HTTP_LAST_EVENT_ID="-1")
    assert response.status_code == 400
    assert "Неверный номер события" in response.content.decode()


def test_a_wsgi_server_answers_the_stream_with_204_instead_of_holding_a_thread(client, home):
    response = client.get("/news/stream/")
    assert response.status_code == 204  # EventSource stops; the plain list stays


def _subtitled_note():
    return _note(
        key="rate:EUR:2024-10-05",
        title="Курс евро на 5 октября",
        subtitle="EUR ЦБ: 104,74 (-0,12)",
        pinned=True,
    )


def test_a_line_with_a_second_line_shows_it_between_title_and_rubric(client, rubric):
    factories.article(rubric, title="Новость")
    _subtitled_note()
    for url, scope in (("/", "//aside"), ("/news/", "//main")):
        doc = lxml_html.fromstring(client.get(url).content.decode())
        first, second = doc.xpath(f"{scope}//ol[@data-feed-live]/li")[:2]
        assert [" ".join(span.text_content().split()) for span in first.xpath("span")] == [
            "EUR ЦБ: 104,74 (-0,12)",
            first.xpath("span[@class='feed__meta']")[0].text_content().strip(),
        ], url
        assert first.xpath("span[1]/@class") == ["feed__subtitle"]
        assert first.xpath("span[@class='feed__meta']/span/text()") == ["Инвестиции"]
        assert not second.xpath("span[@class='feed__subtitle']"), url  # articles have none


def test_json_and_stream_payloads_carry_the_second_line(client, rubric):
    factories.article(rubric, title="Новость")  # a real cursor (ids keep counting on PostgreSQL)
    cursor = selectors.event_latest_id()
    _subtitled_note()
    body = client.get("/news/latest.json").json()
    assert body["items"][0]["subtitle"] == "EUR ЦБ: 104,74 (-0,12)"
    (change,) = client.get("/news/latest.json", {"since": cursor}).json()["changes"]
    assert change["subtitle"] == "EUR ЦБ: 104,74 (-0,12)"
    (message,) = live.messages_after(cursor)
    frame = message.sse.decode()
    payload = json.loads(frame.split("data: ", 1)[1])
    assert (payload["title"], payload["subtitle"]) == (
        "Курс евро на 5 октября",
        "EUR ЦБ: 104,74 (-0,12)",
    )
    item = lxml_html.fromstring(payload["html"])
    assert item.xpath("span[@class='feed__subtitle']/text()") == ["EUR ЦБ: 104,74 (-0,12)"]


def test_an_event_logged_before_second_lines_existed_still_replays(rubric):
    note = _note()
    event = FeedEvent.objects.get(key=note.key)
    event.data.pop("subtitle")
    event.save()
    (message,) = live.messages_after(event.pk - 1)
    assert b'"subtitle": ""' in message.sse


def test_a_cursor_past_the_newest_event_is_clamped_so_the_poller_catches_up(client, rubric):
    factories.article(rubric, title="Новость")
    latest = selectors.event_latest_id()
    ahead = client.get("/news/latest.json", {"since": latest + 10**12}).json()
    assert ahead["cursor"] == latest  # not the forged cursor echoed back
    _note()
    changes = client.get("/news/latest.json", {"since": ahead["cursor"]}).json()["changes"]
    assert [c["key"] for c in changes] == ["rate:USD:2024-10-05"]
    # The stream's replay (the Django view and the raw ASGI app share it) clamps the same way.
    assert stream.replay(10**15) == (latest + 1, [])


def test_latest_json_answers_head(client, home):
    response = client.head("/news/latest.json")
    assert response.status_code == 200
    assert response.content == b""
