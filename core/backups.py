"""Encrypted whole-practice backups: make one online, keep the newest N, restore one offline."""

from __future__ import annotations

import contextlib
import os
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from core import audit
from core.accounts import Actor, require_admin
from core.clock import utcnow
from core.db import Database, copy_bytes
from core.errors import StorageError

# A half-copied backup older than this (seconds) is left from a process killed mid-copy.
STALE = 3600
# tandem-20261122-053012.duckdb: sortable by name, one per second at most.
NAME = re.compile(r"^tandem-\d{8}-\d{6}\.duckdb$")


def backup_name(now: datetime) -> str:
    """The file name of a backup made at `now` (UTC)."""
    return f"tandem-{now:%Y%m%d-%H%M%S}.duckdb"


def list_backups(folder: str | Path) -> list[Path]:
    """Backups in a folder, newest first."""
    path = Path(folder)
    if not path.is_dir():
        return []
    return sorted((p for p in path.iterdir() if NAME.match(p.name)), reverse=True)


def make_backup(
    db: Database,
    actor: Actor | None,
    folder: str | Path,
    key: str | None,
    keep: int,
    now: datetime | None = None,
) -> Path:
    """Copy the live database into a new encrypted file, then delete all but the newest `keep`.

    `actor`: the admin who asked (the Admin page), or None for the `manage backup` command run
    on the server. A backup is a copy of every couple's data: the trail says who made it, when,
    and which older backups it deleted."""
    if actor is not None:
        require_admin(actor)
    if not key:
        raise StorageError(
            "Backups are always encrypted: set TANDEM_DB_KEY (it also encrypts the database)."
        )
    target = Path(folder) / backup_name(now or utcnow())
    db.copy_to(target, key)
    _drop_stale_parts(Path(folder))
    removed = []
    for old in list_backups(folder)[max(keep, 1) :]:
        for leftover in (old, Path(f"{old}.wal"), Path(f"{old}.lock")):
            leftover.unlink(missing_ok=True)
        removed.append(old.name)
    detail = target.name + (f"; deleted {', '.join(removed)}" if removed else "")
    audit.record(db, actor, "create", obj=audit.BACKED_UP, detail=detail)
    return target


def _drop_stale_parts(folder: Path) -> None:
    """Remove half-copied backups (`<name>.part`) that a process killed mid-copy left: nothing
    else removes them, and --keep does not count them. Only old ones: a fresh one may be another
    backup still being copied."""
    for part in folder.glob("tandem-*.duckdb.part"):
        with contextlib.suppress(OSError):
            if (
                NAME.match(part.name[: -len(".part")])
                and time.time() - part.stat().st_mtime > STALE
            ):
                part.unlink()


def restore(backup: str | Path, key: str, target: str | Path) -> None:
    """Write a backup out as a new database file under the same key (run with the server
    stopped).

    A backup is a database file under `key` (make_backup), so its bytes are copied, in one
    read; only the copy is opened, under `key`, before it is put in place: a wrong key or a
    damaged file is refused there, and a backup from an older version is upgraded in the copy.
    The backup itself is never opened as a database, and stays exactly as it was made.
    """
    if not Path(backup).is_file():
        raise StorageError(f"No backup at {backup}.")
    if Path(target).exists():
        raise StorageError(
            f"{target} exists already: restore into a new file, then point TANDEM_DB at it."
        )
    part = Path(f"{target}.part")
    try:
        copy_bytes(backup, part)  # readable by its owner only, whatever the umask
        try:
            Database(part, key).close()  # checkpointed: the whole database is in the one file
        except StorageError as e:
            said = str(e).replace(f" {part}", "")  # the copy's name means nothing to the reader
            raise StorageError(f"The backup {backup} could not be restored: {said}") from e
        os.replace(part, target)
    except BaseException:
        for leftover in (part, Path(f"{part}.wal")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        Path(f"{part}.lock").unlink(missing_ok=True)  # the lock file the open made (core.db)


@audit.audited("view", "erasures")
def erasures_since_compaction(db: Database, actor: Actor) -> dict[str, Any]:
    """Admin: how many couples were erased since the file was last compacted (their bytes are
    still in it until `manage compact`), and when that was (`compacted_at`, None: never)."""
    require_admin(actor)
    return db.one(
        "audit/erasures_since_compaction", erased=audit.ERASED, compacted=audit.COMPACTED
    ) or {"compacted_at": None, "erased": 0}


def note_file(db: Database, event: str, detail: str = "") -> None:
    """Record in the trail, as the system, what `manage` just did to this database file
    (`event`: one of audit.FILE_EVENTS)."""
    if event not in audit.FILE_EVENTS:
        raise ValueError(f"not a file event: {event!r}")
    audit.record(db, None, "update", obj=event, detail=detail)
