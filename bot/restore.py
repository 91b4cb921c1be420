"""`python -m bot restore <backup file>`: put a backup in place of the database, with the bot
stopped. Refused while the bot runs (it holds the database's lock, storage/lock.py); the
backup is checked (`PRAGMA integrity_check`, schema version) before anything moves; the
current database is kept aside under a dated name. Exit status 0 restored, 1 refused or
failed, 2 a configuration error; one line says which."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from bot.config import SettingsError, load_settings, read_environment
from storage.checkup import latest_schema
from storage.lock import DatabaseBusy, DatabaseLock, lock_path
from storage.restore import RestoreRefused, restore_backup

DONE, REFUSED, CONFIG_ERROR = 0, 1, 2


def restore(
    environ: Mapping[str, str], backup: Path, now: datetime, dotenv: Path = Path(".env")
) -> tuple[int, str]:
    """The exit status and the one line to print."""
    try:
        settings = load_settings(read_environment(environ, dotenv))
    except SettingsError as error:
        return CONFIG_ERROR, f"configuration error: {error}"
    database = settings.database_path
    try:
        lock = DatabaseLock.take(database)
    except DatabaseBusy as error:
        return REFUSED, f"restore refused: {error}; stop the bot first"
    except OSError as error:
        return REFUSED, f"restore failed: cannot lock {lock_path(database)}: {error.strerror}"
    try:
        restored = restore_backup(backup, database, now)
    except RestoreRefused as error:
        return REFUSED, f"restore refused: {error}"
    except OSError as error:
        return REFUSED, f"restore failed: {error}"
    finally:
        lock.release()
    line = f"restored {backup} into {database} (schema version {restored.schema_version}"
    if restored.schema_version < latest_schema():
        line += f"; the bot brings it to {latest_schema()} when it starts"
    line += ")"
    if restored.kept_aside is not None:
        line += f"; the previous database is kept as {restored.kept_aside}"
    return DONE, line
