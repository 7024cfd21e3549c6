"""Currencies and the Central Bank of Russia's official rates, one row per currency and date."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting


class Currency(models.Model):
    """A currency the Bank quotes; created by the importer from the Bank's own document."""

    char_code = models.CharField("код", max_length=3, unique=True)  # "USD"
    num_code = models.CharField("цифровой код", max_length=3)  # "840"
    cbr_id = models.CharField("код ЦБ", max_length=12)  # "R01235"
    name = models.CharField("название", max_length=120)  # "Доллар США"

    class Meta:
        verbose_name = "валюта"
        verbose_name_plural = "валюты"
        ordering = ["char_code"]

    def __str__(self):
        return f"{self.char_code} — {self.name}"


class Rate(models.Model):
    """The Bank's rate of `currency` on `date`: `value` roubles per `nominal` units, exactly as quoted.

    `unit_rate` is per one unit (the Bank's VunitRate). Both are Decimals stored without rounding.
    """

    currency = models.ForeignKey(
        Currency, verbose_name="валюта", on_delete=models.CASCADE, related_name="rates"
    )
    date = models.DateField("дата")
    nominal = models.PositiveIntegerField("номинал")
    value = models.DecimalField("курс за номинал", max_digits=20, decimal_places=6)
    unit_rate = models.DecimalField("курс за единицу", max_digits=24, decimal_places=12)
    imported_at = models.DateTimeField("загружено", auto_now_add=True)

    class Meta:
        verbose_name = "курс"
        verbose_name_plural = "курсы"
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="rate_currency_date")
        ]
        indexes = [models.Index(fields=["date"], name="rate_date")]

    def __str__(self):
        return f"{self.currency_id} {self.date}: {self.value}"


def _validate_codes(text: str) -> None:
    codes = codes_split(text)
    if not codes:
        raise ValidationError(_("Give at least one currency, for example: USD, EUR, CNY."))
    bad = [code for code in codes if len(code) != 3 or not code.isalpha()]
    if bad:
        raise ValidationError(
            _("Bad currency code: %(codes)s. Three Latin letters are needed.")
            % {"codes": ", ".join(bad)}
        )


def codes_split(text: str) -> list[str]:
    """«usd, EUR  cny» → ["USD", "EUR", "CNY"], order kept, repeats dropped."""
    codes = [code.upper() for code in text.replace(",", " ").split()]
    return list(dict.fromkeys(codes))


class RatesSettings(BaseGenericSetting):
    """Which currencies the rates widget shows on every page, in order."""

    widget_currencies = models.CharField(
        "валюты в виджете",
        max_length=200,
        default="USD, EUR, CNY",
        validators=[_validate_codes],
        help_text="Коды валют ЦБ через запятую, в порядке показа, например: USD, EUR, CNY. "
        "Валюта без загруженных курсов в виджете не показывается.",
    )

    panels = [FieldPanel("widget_currencies")]

    class Meta:
        verbose_name = "курсы валют"

    def __str__(self):
        return _("Exchange rates")

    @property
    def codes(self) -> list[str]:
        return codes_split(self.widget_currencies)
