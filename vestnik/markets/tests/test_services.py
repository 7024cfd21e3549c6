from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase

from vestnik.core import events
from vestnik.feed.models import FeedEntry, FeedEvent
from vestnik.markets import selectors, services
from vestnik.markets.models import Currency, Rate
from vestnik.markets.sources import cbr
from vestnik.news.tests import factories as news_factories

from .factories import bank, document, raw

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")
SET_AT = datetime(2024, 10, 4, 17, 47, tzinfo=MOSCOW)


@pytest.fixture
def stale_tags():
    """The cache tags announced after commit (content_changed), collected per import."""
    seen = []

    def receiver(sender, tags, **kwargs):
        seen.append(tags)

    events.content_changed.connect(receiver)
    yield seen
    events.content_changed.disconnect(receiver)


def _import(name, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.rates_import(document(name), **kwargs)


def _state():
    return (
        sorted(Rate.objects.values_list("currency__char_code", "date", "value")),
        sorted(FeedEntry.objects.values_list("key", "title", "pinned", "published_at")),
    )


@pytest.fixture
def investments(home):
    return news_factories.rubric(home, "Инвестиции", "investitsii")


def test_import_stores_every_rate_exactly_and_pins_the_days_notes(investments, stale_tags):
    result = _import("2024-10-05", published_at=SET_AT)
    assert result.created == 43
    assert result.notes == ["Курс доллара на 5 октября", "Курс евро на 5 октября"]
    jpy = Rate.objects.get(currency__char_code="JPY")
    assert (jpy.nominal, jpy.value, jpy.unit_rate) == (100, Decimal("64.8412"), Decimal("0.648412"))
    vnd = Rate.objects.get(currency__char_code="VND")
    assert vnd.unit_rate == Decimal("0.00384547")
    euro = FeedEntry.objects.get(key="rate:EUR:2024-10-05")
    assert (euro.title, euro.rubric_title, euro.rubric_url, euro.url, euro.pinned) == (
        "Курс евро на 5 октября",
        "Инвестиции",
        investments.url,
        "/rates/eur/",
        True,
    )
    assert euro.published_at == SET_AT
    assert stale_tags == [frozenset({"rates", "feed", "home"})]


def test_the_next_date_computes_the_change_and_replaces_the_pinned_notes(investments):
    _import("2024-10-04", published_at=datetime(2024, 10, 3, 17, 40, tzinfo=MOSCOW))
    _import("2024-10-05", published_at=SET_AT)
    lines = {row.code: row.line for row in selectors.rates_latest(["USD", "EUR", "CNY", "JPY"])}
    assert lines == {
        "USD": "USD ЦБ: 94,87 (-0,16)",
        "EUR": "EUR ЦБ: 104,74 (-0,12)",
        "CNY": "CNY ЦБ: 13,46 (-0,03)",
        "JPY": "JPY ЦБ: 64,84 (-0,86)",
    }
    pinned = FeedEntry.objects.filter(pinned=True).order_by("-id")
    assert list(pinned.values_list("key", flat=True)) == [
        "rate:EUR:2024-10-05",
        "rate:USD:2024-10-05",
    ]
    assert FeedEntry.objects.get(key="rate:USD:2024-10-04").pinned is False


def _subtitles():
    return dict(FeedEntry.objects.filter(key__startswith="rate:").values_list("key", "subtitle"))


def test_each_note_carries_its_rate_line_with_the_change(investments):
    _import("2024-10-04", published_at=datetime(2024, 10, 3, 17, 40, tzinfo=MOSCOW))
    _import("2024-10-05", published_at=SET_AT)
    assert _subtitles() == {
        "rate:USD:2024-10-04": "USD ЦБ: 95,03",  # the first date stored: no change to show
        "rate:EUR:2024-10-04": "EUR ЦБ: 104,86",
        "rate:USD:2024-10-05": "USD ЦБ: 94,87 (-0,16)",
        "rate:EUR:2024-10-05": "EUR ЦБ: 104,74 (-0,12)",
    }
    event = FeedEvent.objects.filter(key="rate:EUR:2024-10-05").latest("id")
    assert event.data["subtitle"] == "EUR ЦБ: 104,74 (-0,12)"


def test_backfilling_the_previous_date_adds_the_change_to_the_newest_notes(investments):
    _import("2024-10-05", published_at=SET_AT)
    assert _subtitles()["rate:USD:2024-10-05"] == "USD ЦБ: 94,87"
    events_before = FeedEvent.objects.count()
    _import("2024-10-04")
    assert _subtitles() == {
        "rate:USD:2024-10-05": "USD ЦБ: 94,87 (-0,16)",
        "rate:EUR:2024-10-05": "EUR ЦБ: 104,74 (-0,12)",
    }
    usd = FeedEntry.objects.get(key="rate:USD:2024-10-05")
    assert (usd.published_at, usd.pinned) == (SET_AT, True)  # same time, same place
    assert FeedEvent.objects.count() == events_before + 2  # open pages get the new line


def test_reimporting_fills_a_missing_rate_line_and_nothing_else(investments, stale_tags):
    _import("2024-10-04")
    _import("2024-10-05", published_at=SET_AT)
    FeedEntry.objects.update(subtitle="")  # notes written before they had a second line
    before = _state()
    _import("2024-10-05")
    assert _subtitles()["rate:EUR:2024-10-05"] == "EUR ЦБ: 104,74 (-0,12)"
    assert _subtitles()["rate:EUR:2024-10-04"] == ""  # only the date imported again
    assert _state() == before  # titles, pins, times unchanged
    assert stale_tags[-1] == frozenset({"feed", "home"})


def test_reimporting_the_same_date_changes_and_publishes_nothing(investments, stale_tags):
    _import("2024-10-05", published_at=SET_AT)
    before = _state()
    result = _import("2024-10-05")
    assert (result.created, result.notes) == (0, [])
    assert _state() == before
    assert len(stale_tags) == 1


def test_a_backfilled_older_date_leaves_the_newest_notes_pinned(investments):
    _import("2024-10-05", published_at=SET_AT)
    result = _import("2024-10-04")
    assert result.created == 43
    assert result.notes == []
    assert set(FeedEntry.objects.filter(pinned=True).values_list("key", flat=True)) == {
        "rate:USD:2024-10-05",
        "rate:EUR:2024-10-05",
    }
    assert selectors.rates_latest(["USD"])[0].line == "USD ЦБ: 94,87 (-0,16)"


def test_the_first_date_has_no_change_to_show(investments):
    _import("2024-10-05")
    assert selectors.rates_latest(["USD"])[0].line == "USD ЦБ: 94,87"


@pytest.mark.parametrize(
    ("name", "message"),
    [("bad_future", "будущее"), ("bad_missing_usd", "нет курса: USD")],
)
def test_a_refused_document_leaves_rates_and_feed_as_they_were(investments, name, message):
    _import("2024-10-04")
    before = _state()
    with pytest.raises(services.RatesImportError, match=message):
        _import(name)
    assert _state() == before


def test_a_document_differing_from_the_stored_date_is_refused(investments):
    _import("2024-10-05")
    before = _state()
    changed = raw("2024-10-05").replace(b"<Value>94,8700", b"<Value>99,0000")
    with pytest.raises(services.RatesImportError, match="уже загружены и отличаются"):
        services.rates_import(cbr.parse(changed))
    assert _state() == before


def test_a_failure_while_publishing_rolls_the_rates_back(investments, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("feed is down")

    monkeypatch.setattr(services.feed_services, "entries_unpin", broken)
    with pytest.raises(RuntimeError):
        _import("2024-10-05")
    assert (Rate.objects.count(), Currency.objects.count(), FeedEntry.objects.count()) == (0, 0, 0)


def test_fetch_refuses_a_future_date_without_asking_the_bank(investments):
    client = bank("2024-10-05")
    with pytest.raises(services.RatesImportError, match="в будущем"):
        services.rates_fetch_and_import(client, date(2099, 1, 1))
    assert client.requests == []


def test_notes_link_to_no_rubric_when_investments_does_not_exist(home):
    _import("2024-10-05")
    assert FeedEntry.objects.get(key="rate:USD:2024-10-05").rubric_url == ""
