"""Reads of the Bank's rates: the widget's lines, a currency's history, the rates of one date."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .formatting import direction, rate_line
from .models import Currency, Rate, RatesSettings


@dataclass(frozen=True)
class RateRow:
    """One currency on one date, with the change against the previous available date."""

    code: str
    name: str
    date: date
    nominal: int
    value: Decimal
    unit_rate: Decimal
    change: Decimal | None  # None: no earlier date stored

    @property
    def line(self) -> str:
        return rate_line(self.code, self.value, self.change)

    @property
    def direction(self) -> str | None:
        return direction(self.change)


def _change(rate: Rate, previous: Rate | None) -> Decimal | None:
    if previous is None:
        return None
    if previous.nominal == rate.nominal:
        return rate.value - previous.value
    # The Bank sometimes changes a nominal (10 → 100); compare per unit, shown per today's nominal.
    return (rate.unit_rate - previous.unit_rate) * rate.nominal


def _row(rate: Rate, previous: Rate | None) -> RateRow:
    return RateRow(
        code=rate.currency.char_code,
        name=rate.currency.name,
        date=rate.date,
        nominal=rate.nominal,
        value=rate.value,
        unit_rate=rate.unit_rate,
        change=_change(rate, previous),
    )


def rates_latest(codes: list[str] | None = None, on: date | None = None) -> list[RateRow]:
    """The newest rate of each currency in `codes` (all when None), in that order; two queries.

    With `on`, as things stood on that date: the newest rates up to it, changes against the date before.
    """
    rates = Rate.objects.select_related("currency")
    if on is not None:
        rates = rates.filter(date__lte=on)
    if codes is not None:
        rates = rates.filter(currency__char_code__in=codes)
    dates = list(rates.order_by("-date").values_list("date", flat=True).distinct()[:2])
    if not dates:
        return []
    newest, previous = {}, {}
    for rate in rates.filter(date__in=dates).order_by("date"):
        code = rate.currency.char_code
        if code in newest:
            previous[code] = newest[code]
        newest[code] = rate
    order = codes if codes is not None else sorted(newest)
    return [_row(newest[c], previous.get(c)) for c in order if c in newest]


def rates_widget() -> list[RateRow]:
    """The currencies the newsroom chose for the widget (Настройки → Курсы валют)."""
    return rates_latest(RatesSettings.load().codes)


def currency_get(code: str) -> Currency | None:
    return Currency.objects.filter(char_code=code.upper()).first()


def rate_history(currency: Currency, limit: int = 90) -> list[RateRow]:
    """The last `limit` dates of one currency, oldest first, each with its change; one query."""
    rates = list(
        Rate.objects.filter(currency=currency)
        .select_related("currency")
        .order_by("-date")[: limit + 1]
    )
    rates.reverse()
    rows = [_row(rate, previous) for previous, rate in zip([None, *rates], rates, strict=False)]
    return rows[1:] if len(rates) > limit else rows
