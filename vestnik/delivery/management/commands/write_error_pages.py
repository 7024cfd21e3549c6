"""Write the Russian 405/413/414/431 pages as files for nginx's `error_page` (deploy/prod-local.sh)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy

from vestnik.delivery.status_pages import TEXTS, status_html


class Command(BaseCommand):
    help = gettext_lazy("Writes the Russian 405/413/414/431 error pages to a folder for nginx.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        directory.mkdir(parents=True, exist_ok=True)
        for status in TEXTS:
            (directory / f"{status}.html").write_bytes(status_html(status))
