from datetime import date, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vestnik.http_client import HttpClient, HttpError
from vestnik.markets import services
from vestnik.markets.sources import cbr


def _date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise CommandError(
        _("Bad date “%(text)s”: YYYY-MM-DD or DD.MM.YYYY is needed.") % {"text": text}
    )


class Command(BaseCommand):
    help = "Import the Central Bank of Russia's rates (XML_daily) from its site or a saved file."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="rates for this date (default: the latest)")
        parser.add_argument(
            "--file", type=Path, help="a saved XML_daily document instead of the site"
        )

    def handle(self, *args, date=None, file=None, **options):
        try:
            if file is not None:
                document = cbr.parse(self._read(file))
                if date is not None and document.date != date:
                    raise CommandError(
                        _("The file holds the rates for %(found)s, not for %(wanted)s.")
                        % {"found": f"{document.date:%d.%m.%Y}", "wanted": f"{date:%d.%m.%Y}"}
                    )
                result = services.rates_import(document)
            else:
                result = services.rates_fetch_and_import(self.client(), date)
        except (cbr.SourceError, services.RatesImportError, HttpError) as exc:
            raise CommandError(_("Rates not imported: %(error)s") % {"error": exc}) from exc
        if not result.created:
            self.stdout.write(
                _("The Bank's rates for %(date)s are already imported; nothing changed.")
                % {"date": f"{result.date:%d.%m.%Y}"}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported the Bank's rates for %(date)s: %(count)s.")
                % {"date": f"{result.date:%d.%m.%Y}", "count": result.created}
            )
        )
        for title in result.notes:
            self.stdout.write(_("In the feed: %(title)s") % {"title": title})

    def client(self):
        """The HTTP client; tests substitute a fake serving saved documents."""
        return HttpClient()

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Could not read the file %(path)s: %(error)s.")
                % {"path": path, "error": exc.strerror}
            ) from exc
