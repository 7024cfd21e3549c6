from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vestnik.delivery import backup


class Command(BaseCommand):
    help = "Restore the database and media from a folder written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", type=Path, required=True)

    def handle(self, *args, source, **options):
        try:
            backup.restore(source)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(f"Восстановление не выполнено: {exc}") from exc
        self.stdout.write(f"Восстановлено из {source}.")
