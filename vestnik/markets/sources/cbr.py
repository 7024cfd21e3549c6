"""The Central Bank of Russia's daily rates document (XML_daily.asp): fetch and parse.

The format: windows-1251 XML, `<ValCurs Date="05.10.2024">` holding one `<Valute ID="R01235">`
per currency with NumCode, CharCode, Nominal, Name, Value («94,8700») and VunitRate
(roubles per one unit; older documents lack it). `parse()` is pure: bytes in, document out.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext

# Codes the Bank has quoted in XML_daily; a code outside it means a broken or foreign document.
# When the Bank adds a currency, add its code here.
KNOWN_CODES = frozenset(
    "AED AMD AUD AZN BGN BHD BOB BRL BYN CAD CHF CNY CUP CZK DKK DZD EGP ETB EUR GBP GEL HKD "
    "HUF IDR INR IRR JPY KGS KRW KZT MDL MMK MNT NGN NOK NZD OMR PLN QAR RON RSD SAR SEK SGD "
    "THB TJS TMT TRY UAH USD UZS VND XDR ZAR".split()
)
# Decimal places the Rate model stores exactly (Value has 4 today, VunitRate up to 8).
VALUE_PLACES, UNIT_PLACES = 6, 12
_NUMBER = re.compile(r"^\d{1,12}(,\d{1,12})?$")
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([\w-]+)[\"']", re.IGNORECASE)


class SourceError(ValueError):
    """The document cannot be used; the message says why, in Russian, for the editor on duty."""


@dataclass(frozen=True)
class Quote:
    cbr_id: str
    num_code: str
    char_code: str
    nominal: int
    name: str
    value: Decimal  # roubles per `nominal` units, as quoted
    unit_rate: Decimal  # roubles per one unit


@dataclass(frozen=True)
class RatesDocument:
    date: date
    quotes: tuple[Quote, ...]

    def quote(self, code: str) -> Quote | None:
        return next((q for q in self.quotes if q.char_code == code), None)


def source_url() -> str:
    return settings.VESTNIK_RATES_SOURCE_URL


def fetch(client, on: date | None = None) -> bytes:
    """The document as the Bank serves it; for `on`, the rates set for that date (or the last before it)."""
    params = {"date_req": on.strftime("%d/%m/%Y")} if on else None
    return client.get(source_url(), params=params)


def _decimal(text: str | None, what: str, code: str, places: int) -> Decimal:
    """«94,8700» → Decimal("94.8700"), refusing more decimals than we store exactly (`places`)."""
    text = (text or "").strip()
    if not _NUMBER.match(text) or len(text.partition(",")[2]) > places:
        raise SourceError(
            gettext("%(code)s: %(what)s “%(text)s” is not a number like 94,8700.")
            % {"code": code, "what": what, "text": text}
        )
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise SourceError(
            gettext("%(code)s: %(what)s “%(text)s” is not a number.")
            % {"code": code, "what": what, "text": text}
        ) from exc
    if number <= 0:
        raise SourceError(
            gettext("%(code)s: %(what)s must be above zero, not “%(text)s”.")
            % {"code": code, "what": what, "text": text}
        )
    return number


def _text(valute, tag: str, cbr_id: str) -> str:
    node = valute.find(tag)
    if node is None or not (node.text or "").strip():
        raise SourceError(
            gettext("Currency %(id)s: no %(tag)s field.") % {"id": cbr_id, "tag": tag}
        )
    return node.text.strip()


def _quote(valute) -> Quote:
    cbr_id = valute.get("ID", "").strip() or gettext("no ID")
    code = _text(valute, "CharCode", cbr_id)
    if code not in KNOWN_CODES:
        raise SourceError(
            gettext("Unknown currency “%(code)s” (%(id)s): the Bank publishes no such code.")
            % {"code": code, "id": cbr_id}
        )
    nominal_text = _text(valute, "Nominal", code)
    if not nominal_text.isdigit() or int(nominal_text) == 0:
        raise SourceError(
            gettext("%(code)s: the nominal “%(text)s” is not a whole number above zero.")
            % {"code": code, "text": nominal_text}
        )
    nominal = int(nominal_text)
    value = _decimal(_text(valute, "Value", code), gettext("rate"), code, VALUE_PLACES)
    unit_node = valute.find("VunitRate")
    unit_rate = (
        _decimal(unit_node.text, gettext("rate per unit"), code, UNIT_PLACES)
        if unit_node is not None
        else (value / nominal).quantize(Decimal(1).scaleb(-UNIT_PLACES))
    )
    return Quote(
        cbr_id=cbr_id,
        num_code=_text(valute, "NumCode", code),
        char_code=code,
        nominal=nominal,
        name=_text(valute, "Name", code),
        value=value,
        unit_rate=unit_rate,
    )


def _check_encoding(data: bytes) -> None:
    declared = _DECLARATION.match(data)
    if declared is None or declared.group(1).decode("ascii").lower() not in {
        "windows-1251",
        "cp1251",
    }:
        raise SourceError(
            gettext("The Bank's document must be in windows-1251 (no such declaration).")
        )
    # Cyrillic in windows-1251 is practically never valid UTF-8; a document that decodes as UTF-8
    # with non-ASCII bytes was re-saved in UTF-8 and would give «Р”РѕР»Р»Р°СЂ» for «Доллар».
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return
        raise SourceError(
            gettext(
                "The Bank's document declares windows-1251 but is written in UTF-8: "
                "the currency names would be garbled."
            )
        )


def parse(data: bytes) -> RatesDocument:
    """The Bank's document as Decimals and dates; anything unusable raises `SourceError`."""
    if not data or not data.strip():
        raise SourceError(gettext("The Bank's document is empty."))
    _check_encoding(data)
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise SourceError(
            gettext("The Bank's document is not well-formed XML: %(error)s.") % {"error": exc}
        ) from exc
    if root.tag != "ValCurs":
        raise SourceError(
            gettext(
                "This is not a Bank rates document: the root element is <%(tag)s>, not <ValCurs>."
            )
            % {"tag": root.tag}
        )
    raw_date = root.get("Date", "")
    try:
        on = datetime.strptime(raw_date, "%d.%m.%Y").date()  # noqa: DTZ007 (a calendar date)
    except ValueError as exc:
        raise SourceError(
            gettext("Bad date of the Bank's document: “%(date)s”.") % {"date": raw_date}
        ) from exc
    quotes = tuple(_quote(valute) for valute in root.findall("Valute"))
    if not quotes:
        raise SourceError(
            gettext("The Bank's document for %(date)s holds no rate at all.")
            % {"date": f"{on:%d.%m.%Y}"}
        )
    codes = [q.char_code for q in quotes]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise SourceError(
            gettext("A currency repeats in the Bank's document: %(codes)s.")
            % {"codes": ", ".join(repeated)}
        )
    return RatesDocument(date=on, quotes=quotes)
