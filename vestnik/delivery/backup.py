"""Backups of the database and media: PostgreSQL through pg_dump/pg_restore, SQLite through its
online backup API, media as a tar archive. Used by `manage.py backup` / `restore` (make backup)."""

import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

DB_POSTGRES = "database.pgdump"
DB_SQLITE = "database.sqlite3"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    pass


def _pg_url() -> str:
    return settings.DATABASE_URL.replace("postgresql://", "postgres://", 1)


def _is_postgres() -> bool:
    return connections["default"].vendor == "postgresql"


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise BackupError(
            _("Program %(name)s not found: install postgresql-client.") % {"name": name}
        )
    return str(found)


def backup(target: Path) -> list[Path]:
    """Write the database and the media into `target` (created); returns the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    if _is_postgres():
        out = target / DB_POSTGRES
        subprocess.run([_tool("pg_dump"), "-Fc", "-f", str(out), _pg_url()], check=True)
    else:
        out = target / DB_SQLITE
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with sqlite3.connect(out) as copy:
            source.backup(copy)
        source.close()
    written.append(out)
    media = target / MEDIA
    with tarfile.open(media, "w:gz") as archive:
        if Path(settings.MEDIA_ROOT).exists():
            archive.add(settings.MEDIA_ROOT, arcname=".")
    written.append(media)
    return written


def restore(source: Path) -> None:
    """Replace the database and the media with the backup in `source`."""
    if not source.is_dir():
        raise BackupError(_("No backup folder: %(path)s") % {"path": source})
    connections.close_all()
    if _is_postgres():
        dump = source / DB_POSTGRES
        if not dump.exists():
            raise BackupError(
                _("%(path)s holds no PostgreSQL database copy (%(file)s).")
                % {"path": source, "file": DB_POSTGRES}
            )
        subprocess.run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "-d",
                _pg_url(),
                str(dump),
            ],
            check=True,
        )
    else:
        dump = source / DB_SQLITE
        if not dump.exists():
            raise BackupError(
                _("%(path)s holds no SQLite database copy (%(file)s).")
                % {"path": source, "file": DB_SQLITE}
            )
        with (
            sqlite3.connect(dump) as copy,
            sqlite3.connect(settings.DATABASES["default"]["NAME"]) as db,
        ):
            copy.backup(db)
    media = source / MEDIA
    if media.exists():
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media) as archive:
            archive.extractall(root, filter="data")
