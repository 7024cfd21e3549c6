from datetime import date, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vestnik.http_client import HttpClient, HttpError
from vestnik.markets import services
from vestnik.markets.sources import cbr


def _date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise CommandError(f"Неверная дата «{text}»: нужна ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")


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
                        f"В файле курсы на {document.date:%d.%m.%Y}, а не на {date:%d.%m.%Y}."
                    )
                result = services.rates_import(document)
            else:
                result = services.rates_fetch_and_import(self.client(), date)
        except (cbr.SourceError, services.RatesImportError, HttpError) as exc:
            raise CommandError(f"Курсы не загружены: {exc}") from exc
        if not result.created:
            self.stdout.write(
                f"Курсы ЦБ на {result.date:%d.%m.%Y} уже загружены; ничего не изменено."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Загружены курсы ЦБ на {result.date:%d.%m.%Y}: {result.created}.")
        )
        for title in result.notes:
            self.stdout.write(f"В ленте: {title}")

    def client(self):
        """The HTTP client; tests substitute a fake serving saved documents."""
        return HttpClient()

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Не удалось прочитать файл {path}: {exc.strerror}.") from exc
