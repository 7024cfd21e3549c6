from datetime import date
from decimal import Decimal

import pytest

from vestnik.markets.sources import cbr

from .factories import raw


def test_parse_reads_the_banks_document_exactly_as_decimals():
    document = cbr.parse(raw("2024-10-05"))
    assert document.date == date(2024, 10, 5)
    assert len(document.quotes) == 43
    usd = document.quote("USD")
    assert (usd.cbr_id, usd.num_code, usd.name, usd.nominal) == ("R01235", "840", "Доллар США", 1)
    assert usd.value == Decimal("94.8700")
    assert isinstance(usd.value, Decimal)
    assert document.quote("EUR").value == Decimal("104.7352")


def test_parse_keeps_the_nominal_and_the_per_unit_rate():
    document = cbr.parse(raw("2024-10-05"))
    jpy, vnd = document.quote("JPY"), document.quote("VND")
    assert (jpy.nominal, jpy.value, jpy.unit_rate) == (100, Decimal("64.8412"), Decimal("0.648412"))
    assert (vnd.nominal, vnd.value, vnd.unit_rate) == (
        10000,
        Decimal("38.4547"),
        Decimal("0.00384547"),
    )
    assert vnd.name == "Вьетнамских донгов"


def test_parse_computes_the_unit_rate_when_an_older_document_lacks_vunitrate():
    text = raw("2024-10-05").decode("cp1251")
    old = text.replace("<VunitRate>0,648412</VunitRate>", "")
    assert cbr.parse(old.encode("cp1251")).quote("JPY").unit_rate == Decimal("0.648412")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_malformed", "не правильный XML"),
        ("bad_utf8", "записан в UTF-8"),
        ("bad_unknown_currency", "Неизвестная валюта «XYZ»"),
        ("bad_empty", "нет ни одного курса"),
    ],
)
def test_parse_refuses_a_broken_document_with_a_russian_reason(name, message):
    with pytest.raises(cbr.SourceError, match=message):
        cbr.parse(raw(name))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("<Value>94,8700</Value>", "<Value>94.87</Value>"), "не число вида 94,8700"),
        (("<Value>94,8700</Value>", "<Value>-1,0000</Value>"), "не число"),
        (("<Nominal>100</Nominal>", "<Nominal>сто</Nominal>"), "номинал «сто»"),
        (('Date="05.10.2024"', 'Date="2024-10-05"'), "Неверная дата"),
        (("<CharCode>AUD</CharCode>", "<CharCode>USD</CharCode>"), "повторяется: USD"),
        (("<Name>Евро</Name>", ""), "нет поля Name"),
        (('encoding="windows-1251"', 'encoding="utf-8"'), "windows-1251"),
    ],
)
def test_parse_refuses_broken_fields(change, message):
    text = raw("2024-10-05").decode("cp1251").replace(*change, 1)
    with pytest.raises(cbr.SourceError, match=message):
        cbr.parse(text.encode("cp1251"))


def test_parse_refuses_an_empty_body_and_a_foreign_document():
    with pytest.raises(cbr.SourceError, match="пуст"):
        cbr.parse(b"")
    foreign = '<?xml version="1.0" encoding="windows-1251"?><html>ЦБ</html>'.encode("cp1251")
    with pytest.raises(cbr.SourceError, match="<ValCurs>"):
        cbr.parse(foreign)


def test_fetch_asks_the_configured_url_for_the_date(settings):
    settings.VESTNIK_RATES_SOURCE_URL = "https://cbr.example/XML_daily.asp"

    class Client:
        def get(self, url, params=None):
            self.asked = (url, params)
            return b"ok"

    client = Client()
    assert cbr.fetch(client, date(2024, 10, 5)) == b"ok"
    assert client.asked == ("https://cbr.example/XML_daily.asp", {"date_req": "05/10/2024"})
