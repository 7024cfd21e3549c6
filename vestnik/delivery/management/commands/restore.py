from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vestnik.delivery import backup


class Command(BaseCommand):
    help = "Restore the database and media from a folder written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", type=Path, required=True)

    def handle(self, *args, source, **options):
        try:
            backup.restore(source)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(_("Restore failed: %(error)s") % {"error": exc}) from exc
        self.stdout.write(_("Restored from %(path)s.") % {"path": source})
