from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from vestnik.delivery import backup


class Command(BaseCommand):
    help = "Back up the database and media into a folder (default: var/backups/<time>)."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=None)

    def handle(self, *args, to=None, **options):
        target = to or Path(settings.VAR_DIR) / "backups" / timezone.now().strftime("%Y%m%d-%H%M%S")
        try:
            files = backup.backup(target)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(_("Backup not made: %(error)s") % {"error": exc}) from exc
        self.stdout.write(
            _("Backup: %(path)s (%(files)s)")
            % {"path": target, "files": ", ".join(f.name for f in files)}
        )
