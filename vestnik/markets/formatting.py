"""How readers see a rate: «USD ЦБ: 94,87 (-0,16)» — two decimals, decimal comma, sign always."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

UP, DOWN, SAME = "up", "down", "same"
CENT = Decimal("0.01")


def number_format(value: Decimal) -> str:
    """Decimal("94.8700") → «94,87» (half up, as the newsroom rounds)."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}".replace(".", ",")


def change_format(change: Decimal) -> str:
    """«+0,15», «-0,16»; a change that rounds to nothing is «0,00» (no sign to mislead)."""
    rounded = change.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        return "0,00"
    return ("+" if rounded > 0 else "-") + number_format(abs(rounded))


def direction(change: Decimal | None) -> str | None:
    if change is None:
        return None
    rounded = change.quantize(CENT, rounding=ROUND_HALF_UP)
    return UP if rounded > 0 else DOWN if rounded < 0 else SAME


def rate_line(code: str, value: Decimal, change: Decimal | None) -> str:
    """«USD ЦБ: 94,87 (-0,16)»; without a previous date, «USD ЦБ: 94,87»."""
    line = gettext("%(code)s CB: %(value)s") % {"code": code, "value": number_format(value)}
    return f"{line} ({change_format(change)})" if change is not None else line
