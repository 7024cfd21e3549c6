from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .charts import chart_build


def rates_index(request):
    """Every currency's latest rate and change."""
    return render(request, "markets/rates_index.html", {"rows": selectors.rates_latest()})


def currency_page(request, code: str):
    """One currency: its history as an inline SVG chart and a table."""
    currency = selectors.currency_get(code)
    if currency is None:
        raise Http404(_("No such currency in the Bank's rates"))
    history = selectors.rate_history(currency)
    return render(
        request,
        "markets/currency_page.html",
        {
            "currency": currency,
            "latest": history[-1] if history else None,
            "chart": chart_build([row.value for row in history]),
            "table": list(reversed(history)),
        },
    )
