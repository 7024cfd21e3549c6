from django import template

from vestnik.markets.selectors import rates_widget as rates_widget_rows

register = template.Library()


@register.inclusion_tag("markets/includes/rates_widget.html")
def rates_widget():
    """The Bank's rates for the currencies the newsroom chose, with the day's change."""
    rows = rates_widget_rows()
    return {"rows": rows, "date": rows[0].date if rows else None}
