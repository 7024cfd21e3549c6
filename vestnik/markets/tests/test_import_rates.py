"""The command and the scheduled job, with saved Bank documents and a fake client; no network."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from django.core.management import CommandError, call_command
from django.test import TestCase
from freezegun import freeze_time

from vestnik.feed.models import FeedEntry
from vestnik.http_client import HttpClient, HttpError
from vestnik.markets import jobs
from vestnik.markets.management.commands import import_rates
from vestnik.markets.models import Rate

from .factories import DATA, bank

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")


def _run(*args, client=None, monkeypatch=None) -> str:
    if client is not None:
        monkeypatch.setattr(import_rates, "HttpClient", lambda: client)
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_rates", *args, stdout=out)
    return out.getvalue()


def _state():
    return (Rate.objects.count(), sorted(FeedEntry.objects.values_list("key", "pinned")))


def test_import_from_a_saved_file_then_again_changes_nothing(home):
    out = _run("--file", str(DATA / "XML_daily_2024-10-05.xml"))
    assert "Загружены курсы ЦБ на 05.10.2024: 43." in out
    assert "В ленте: Курс евро на 5 октября" in out
    before = _state()
    again = _run("--file", str(DATA / "XML_daily_2024-10-05.xml"))
    assert "уже загружены; ничего не изменено" in again
    assert _state() == before


def test_import_from_the_bank_asks_for_the_date(home, monkeypatch):
    client = bank("2024-10-04", "2024-10-05")
    _run("--date", "2024-10-04", client=client, monkeypatch=monkeypatch)
    assert client.requests[0][1] == {"date_req": "04/10/2024"}
    assert set(Rate.objects.values_list("date", flat=True)) == {date(2024, 10, 4)}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_malformed", "не правильный XML"),
        ("bad_utf8", "записан в UTF-8"),
        ("bad_unknown_currency", "Неизвестная валюта «XYZ»"),
        ("bad_missing_usd", "нет курса: USD"),
        ("bad_future", "будущее"),
        ("bad_empty", "нет ни одного курса"),
    ],
)
def test_a_bad_document_fails_with_a_russian_message_and_changes_nothing(home, name, message):
    _run("--file", str(DATA / "XML_daily_2024-10-04.xml"))
    before = _state()
    with pytest.raises(CommandError, match=f"Курсы не загружены: .*{message}") as failure:
        _run("--file", str(DATA / f"{name}.xml"))
    assert failure.value.returncode == 1  # manage.py exits with it
    assert _state() == before


def test_a_network_error_fails_and_changes_nothing(home, monkeypatch):
    client = bank(error="Не удалось получить https://www.cbr.ru/scripts/XML_daily.asp: нет ответа.")
    with pytest.raises(CommandError, match="Курсы не загружены: Не удалось получить"):
        _run(client=client, monkeypatch=monkeypatch)
    assert _state() == (0, [])


def test_file_and_date_arguments_are_checked(home, tmp_path):
    with pytest.raises(CommandError, match="Неверная дата «завтра»"):
        _run("--date", "завтра")
    with pytest.raises(CommandError, match="Не удалось прочитать файл"):
        _run("--file", str(tmp_path / "missing.xml"))
    with pytest.raises(CommandError, match="В файле курсы на 05.10.2024, а не на 04.10.2024"):
        _run("--file", str(DATA / "XML_daily_2024-10-05.xml"), "--date", "04.10.2024")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Документ ЦБ пуст"):
        _run("--file", str(empty))
    assert _state() == (0, [])


@freeze_time("2024-10-04 14:47:00")  # 17:47 in Moscow: the Bank has set tomorrow's rates
def test_the_scheduled_job_imports_tomorrows_rates_once(home, monkeypatch):
    client = bank("2024-10-04", "2024-10-05")
    monkeypatch.setattr(jobs, "HttpClient", lambda: client)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert jobs.rates_import_next_day() == "курсы ЦБ на 05.10.2024: 43 валют"
    assert client.requests == [(client.requests[0][0], {"date_req": "05/10/2024"})]
    note = FeedEntry.objects.get(key="rate:USD:2024-10-05")
    assert note.published_at == datetime(2024, 10, 4, 17, 47, tzinfo=MOSCOW)
    assert jobs.rates_import_next_day() == ""
    assert len(client.requests) == 1  # tomorrow is stored: the Bank is not asked again


@freeze_time("2024-10-04 08:00:00")  # 11:00 in Moscow: tomorrow's rates are not set yet
def test_the_job_before_the_bank_sets_tomorrows_rates_stores_nothing_for_tomorrow(
    home, monkeypatch
):
    client = bank("2024-10-04")
    monkeypatch.setattr(jobs, "HttpClient", lambda: client)
    with TestCase.captureOnCommitCallbacks(execute=True):
        jobs.rates_import_next_day()  # the Bank answers with today's document: stored
        assert jobs.rates_import_next_day() == ""  # and the same again: nothing new
    assert Rate.objects.filter(date=date(2024, 10, 5)).count() == 0
    assert len(client.requests) == 2


def test_the_job_with_the_bank_unreachable_logs_one_warning_and_keeps_what_is_stored(
    home, monkeypatch, caplog
):
    class Unreachable:
        def get(self, url, params=None):
            raise HttpError(f"Не удалось получить {url}: ошибка сети (ConnectionError).")

    monkeypatch.setattr(jobs, "HttpClient", Unreachable)
    with caplog.at_level("WARNING", logger="vestnik.markets.jobs"):
        assert jobs.rates_import_next_day() == ""
    assert Rate.objects.count() == 0
    [record] = caplog.records
    assert "не получены" in record.getMessage()
    assert "ошибка сети" in record.getMessage()
    assert record.exc_info is None  # a line, not a traceback


class _Adapter(requests.adapters.BaseAdapter):
    """requests' transport replaced: plays a list of outcomes instead of opening sockets."""

    def __init__(self, outcomes):
        super().__init__()
        self.outcomes = list(outcomes)
        self.calls = []

    def send(self, request, **kwargs):
        self.calls.append(kwargs.get("timeout"))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        response = requests.Response()
        response.status_code, response._content, response.url = outcome, b"<ValCurs/>", request.url
        return response

    def close(self):
        pass


def _client(outcomes, **kwargs):
    client = HttpClient(sleep=lambda seconds: None, **kwargs)
    adapter = _Adapter(outcomes)
    client.session.mount("https://", adapter)
    return client, adapter


def test_the_http_client_retries_timeouts_and_server_errors_with_its_default_timeout(settings):
    settings.VESTNIK_HTTP_TIMEOUT = 7
    client, adapter = _client([requests.ConnectTimeout(), 503, 200], retries=2)
    assert client.get("https://cbr.example/XML_daily.asp") == b"<ValCurs/>"
    assert adapter.calls == [7, 7, 7]


def test_the_http_client_gives_up_with_a_russian_message():
    client, adapter = _client([requests.ConnectionError()] * 3, retries=2, timeout=3)
    with pytest.raises(HttpError, match="Не удалось получить .*ошибка сети"):
        client.get("https://cbr.example/XML_daily.asp")
    assert len(adapter.calls) == 3
    client, adapter = _client([404], retries=2)
    with pytest.raises(HttpError, match="ответ HTTP 404"):
        client.get("https://cbr.example/XML_daily.asp")
    assert len(adapter.calls) == 1  # a 4xx will not get better by asking again
