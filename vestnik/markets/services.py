"""Writes of the markets app: importing the Bank's rates and publishing the day's rate notes."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, override, pgettext

from vestnik.core import tags
from vestnik.core.events import content_changed_send
from vestnik.feed import services as feed_services
from vestnik.news.models import RubricPage

from . import selectors
from .models import Currency, Rate
from .sources import cbr

# The notes «Курс доллара на 5 октября» go in the rubric settings.VESTNIK_RATES_NOTES_RUBRIC (a
# slug), for these currencies, in this order (the last one written is the top line of the feed,
# as on the seed page: euro above dollar).
NOTE_CURRENCIES = ("USD", "EUR")
NOTE_KEY_PREFIX = "rate:"


class RatesImportError(ValueError):
    """The import was refused; nothing was stored or published. The message is Russian."""


@dataclass
class ImportResult:
    date: date
    created: int = 0  # rates stored; 0 when the date was already there
    notes: list[str] = field(default_factory=list)  # titles published in the feed


def _currency_genitive(code: str) -> str:
    names = {
        "USD": pgettext("currency, genitive", "dollar"),
        "EUR": pgettext("currency, genitive", "euro"),
        "CNY": pgettext("currency, genitive", "yuan"),
    }
    return names.get(code, code)


def note_title(code: str, on: date) -> str:
    """«Курс доллара на 5 октября»."""
    with override("ru"):
        return gettext("%(currency)s rate for %(date)s") % {
            "currency": _currency_genitive(code),
            "date": date_format(on, "j E"),
        }


def note_key(code: str, on: date) -> str:
    return f"{NOTE_KEY_PREFIX}{code}:{on.isoformat()}"


def _latest_allowed() -> date:
    # The Bank sets tomorrow's rates in the afternoon; anything later is a broken document.
    return timezone.localdate() + timedelta(days=1)


def _unchanged(document: cbr.RatesDocument, stored: dict[str, Rate]) -> bool:
    return len(stored) == len(document.quotes) and all(
        (rate := stored.get(q.char_code)) is not None
        and (rate.nominal, rate.value, rate.unit_rate) == (q.nominal, q.value, q.unit_rate)
        for q in document.quotes
    )


@transaction.atomic
def rates_import(
    document: cbr.RatesDocument,
    *,
    published_at: datetime | None = None,
    required: tuple[str, ...] = NOTE_CURRENCIES,
) -> ImportResult:
    """Store one date's rates and, when it is the newest date, pin its notes in the feed.

    All or nothing: a refused document stores and publishes nothing. The same date twice is a no-op.
    """
    on = document.date
    if on > _latest_allowed():
        raise RatesImportError(
            gettext(
                "The Bank's document is dated %(date)s, in the future: the Bank sets rates "
                "no further ahead than tomorrow (%(latest)s)."
            )
            % {"date": f"{on:%d.%m.%Y}", "latest": f"{_latest_allowed():%d.%m.%Y}"}
        )
    missing = [code for code in required if document.quote(code) is None]
    if missing:
        raise RatesImportError(
            gettext(
                "The Bank's document for %(date)s lacks the rate of %(codes)s. Nothing imported."
            )
            % {"date": f"{on:%d.%m.%Y}", "codes": ", ".join(missing)}
        )
    stored = {
        rate.currency.char_code: rate
        for rate in Rate.objects.filter(date=on).select_related("currency")
    }
    if stored:
        if _unchanged(document, stored):
            # Nothing new; notes written before they had a second line get it (a no-op otherwise).
            if _notes_refresh(on):
                content_changed_send({tags.FEED, tags.HOME})
            return ImportResult(date=on)
        raise RatesImportError(
            gettext(
                "The Bank's rates for %(date)s are already imported and differ from this document. "
                "Nothing changed."
            )
            % {"date": f"{on:%d.%m.%Y}"}
        )
    currencies = _currencies_ensure(document.quotes)
    Rate.objects.bulk_create(
        Rate(
            currency=currencies[q.char_code],
            date=on,
            nominal=q.nominal,
            value=q.value,
            unit_rate=q.unit_rate,
        )
        for q in document.quotes
    )
    result = ImportResult(date=on, created=len(document.quotes))
    newest = Rate.objects.order_by("-date").values_list("date", flat=True).first()
    if newest == on:  # a back-filled older date publishes nothing
        result.notes = _notes_publish(document, published_at or timezone.now())
    else:  # …but it is the previous date of the next one, whose notes show the change against it
        following = Rate.objects.filter(date__gt=on).order_by("date").values("date")[:1]
        _notes_refresh(following[0]["date"])
    content_changed_send({tags.RATES, tags.FEED, tags.HOME})
    return result


def _currencies_ensure(quotes) -> dict[str, Currency]:
    existing = {c.char_code: c for c in Currency.objects.all()}
    for q in quotes:
        currency = existing.get(q.char_code)
        fields = {"num_code": q.num_code, "cbr_id": q.cbr_id, "name": q.name}
        if currency is None:
            existing[q.char_code] = Currency.objects.create(char_code=q.char_code, **fields)
        elif any(getattr(currency, name) != value for name, value in fields.items()):
            Currency.objects.filter(pk=currency.pk).update(**fields)
    return existing


def note_lines(on: date) -> dict[str, str]:
    """The second line of each note of `on`: «USD ЦБ: 94,87 (-0,16)», the change against the date before."""
    with override("ru"):
        return {
            row.code: row.line
            for row in selectors.rates_latest(list(NOTE_CURRENCIES), on=on)
            if row.date == on
        }


def _notes_refresh(on: date) -> bool:
    """Bring the second lines of `on`'s notes up to date, if they are in the feed. True when one changed."""
    changed = False
    for code, line in note_lines(on).items():
        changed |= feed_services.entry_subtitle_set(note_key(code, on), line)
    return changed


def _notes_publish(document: cbr.RatesDocument, published_at: datetime) -> list[str]:
    rubric = RubricPage.objects.live().filter(slug=settings.VESTNIK_RATES_NOTES_RUBRIC).first()
    lines = note_lines(document.date)
    keys, titles = [], []
    for code in NOTE_CURRENCIES:
        if document.quote(code) is None:
            continue
        title = note_title(code, document.date)
        feed_services.entry_upsert(
            key=note_key(code, document.date),
            title=title,
            subtitle=lines.get(code, ""),
            url=reverse("markets:currency", args=[code.lower()]),
            rubric_title=rubric.title if rubric else "",
            rubric_url=rubric.url if rubric else "",
            published_at=published_at,
            pinned=True,
        )
        keys.append(note_key(code, document.date))
        titles.append(title)
    feed_services.entries_unpin(NOTE_KEY_PREFIX, keep=keys)
    return titles


def rates_fetch_and_import(client, on: date | None = None, **kwargs) -> ImportResult:
    """Fetch the Bank's document (for `on`, or the latest) and import it."""
    if on is not None and on > _latest_allowed():
        raise RatesImportError(
            gettext(
                "The date %(date)s is in the future: the Bank sets rates no further ahead than tomorrow."
            )
            % {"date": f"{on:%d.%m.%Y}"}
        )
    data = cbr.fetch(client, on)
    document = cbr.parse(data)
    if on is not None and document.date > on:
        raise RatesImportError(
            gettext(
                "Asked for the rates for %(wanted)s, but the Bank sent a document for %(found)s."
            )
            % {"wanted": f"{on:%d.%m.%Y}", "found": f"{document.date:%d.%m.%Y}"}
        )
    return rates_import(document, **kwargs)
