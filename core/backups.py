"""Encrypted whole-practice backups: make one online, keep the newest N, restore one offline."""

from __future__ import annotations

import bisect
import contextlib
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core import audit, couples
from core.accounts import Actor, require_admin
from core.clock import utcnow
from core.db import Database, Tx, copy_bytes
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


@dataclass(frozen=True)
class Restored:
    """What a restore did: the couples it erased again in the copy (erased in the live
    database after the backup was made), how many couples the copy holds, and whether a live
    database was read for erasures at all, and how many accounts took its sign-in state."""

    erased_again: tuple[int, ...]
    couples: int
    checked: bool
    accounts_caught_up: int = 0  # accounts that took the live database's sign-in state


# A backup is checked against the live database by its trail: the backup's newest row must be
# in the live trail unchanged. Otherwise the couple numbers in the live trail may name other
# couples in the backup (another practice's file, or a database restored since from an older
# backup, whose new couples took the numbers again), and erasing by number could erase a couple
# nobody asked to erase.
NOT_AN_EARLIER_COPY = (
    "{backup} is not an earlier copy of the database {live} (its audit trail does not lead "
    "into that database's), so the couples erased there since cannot be matched to its couples. "
    "Give the database the backup was made from with --db."
)


def restore(
    backup: str | Path,
    key: str,
    target: str | Path,
    live: Database | None = None,
    into_key: str | None = None,
) -> Restored:
    """Write a backup out as a new database file under the same key, or under `into_key` (the
    database in use's, when a rotate-key came after the backup); with `live` (the database in
    use now), first erase again in the copy every couple erased in `live` after the backup was
    made, so that a restore never brings an erased couple back.

    A backup is a database file under `key` (make_backup), so its bytes are copied, in one
    read; only the copy is opened, under `key`, before it is put in place: a wrong key or a
    damaged file is refused there, and a backup from an older version is upgraded in the copy.
    The backup itself is never opened as a database, and stays exactly as it was made. The
    copy's trail records the restore and each couple erased again (as the system); recording
    it in `live` is the caller's (manage restore, try_restore). Under another key, the copy's
    rows are written into a new file under it (Database.copy_to) before it is put in place: the
    new file opens with the key the practice uses now, never only with the one it rotated away
    from.
    """
    if not Path(backup).is_file():
        raise StorageError(f"No backup at {backup}.")
    if Path(target).exists():
        raise StorageError(
            f"{target} exists already: restore into a new file, then point TANDEM_DB at it."
        )
    part = Path(f"{target}.part")
    rekeyed = Path(f"{target}.rekeying") if into_key and into_key != key else None
    # Opening a backup of an older version upgrades the copy, keeping a copy of it meanwhile
    # (core.db); an upgrade that failed left it here, and the next restore into this file
    # would have put it back in place of the backup it was given.
    upgrading = [Path(f"{part}.pre-upgrade"), Path(f"{part}.pre-upgrade.part")]
    for stale in upgrading:
        stale.unlink(missing_ok=True)
    try:
        copy_bytes(backup, part)  # readable by its owner only, whatever the umask
        try:
            copy = Database(part, key)
        except StorageError as e:
            said = str(e).replace(f" {part}", "")  # the copy's name means nothing to the reader
            raise StorageError(f"The backup {backup} could not be restored: {said}") from e
        try:
            erased = _erased_since(copy, live, Path(backup).name) if live is not None else []
            accounts_now = live.all("restore/accounts") if live is not None else []
            gone, caught_up = copy.write(lambda tx: _catch_up(tx, erased, accounts_now))
            note_file(
                copy, audit.RESTORED, _restored_detail(Path(backup).name, gone, caught_up, live)
            )
            held = _couples_held(copy)
            if rekeyed is not None:
                copy.copy_to(rekeyed, into_key)  # every row, under the key in use now
        finally:
            copy.close()  # checkpointed: the whole database is in the one file
        if rekeyed is not None:
            os.replace(rekeyed, target)
            part.unlink()
        else:
            os.replace(part, target)
    except BaseException:
        for leftover in (part, rekeyed):
            if leftover is not None:
                for path in (leftover, Path(f"{leftover}.wal")):
                    path.unlink(missing_ok=True)
        for stale in upgrading:
            stale.unlink(missing_ok=True)
        raise
    finally:
        Path(f"{part}.lock").unlink(missing_ok=True)  # the lock file the open made (core.db)
    return Restored(gone, held, live is not None, caught_up)


def _couples_held(db: Database) -> int:
    """How many couples a database holds, active and archived."""
    held = db.one("couples/count_for_counselor", whole_practice=True, counselor_id=0)
    return (held["active"] or 0) + (held["archived"] or 0)


def _erased_since(copy: Database, live: Database, backup: str) -> list[tuple[int, int]]:
    """(couple number, live trail entry) of each couple erased in `live` after the backup
    (restored as `copy`) was made; StorageError if the backup is not an earlier copy of it."""
    newest = copy.one("audit/newest")
    if newest is None:  # a trail never written to: a practice not yet set up, no couple
        if _couples_held(copy):
            raise StorageError(NOT_AN_EARLIER_COPY.format(backup=backup, live=live.path))
        after = 0
    elif live.one("audit/entry", id=newest["id"]) != newest:
        raise StorageError(NOT_AN_EARLIER_COPY.format(backup=backup, live=live.path))
    else:
        after = newest["id"]
    rows = live.all("audit/erased_after", after=after, erased=audit.ERASED)
    return [(r["couple_ref"], r["entry"]) for r in rows]


def _erase_again(tx: Tx, erased: list[tuple[int, int]]) -> list[int]:
    """In the restored copy: erase each couple of `erased` it holds; their numbers."""
    gone = []
    for couple_id, entry in erased:
        if tx.one("couples/get", couple_id=couple_id, counselor_id=None, is_admin=True):
            why = f"erased again in a restore: erased after the backup (live trail entry {entry})"
            couples.erase(tx, None, couple_id, why)
            gone.append(couple_id)
    return gone


def _catch_up(
    tx: Tx, erased: list[tuple[int, int]], accounts_now: list[dict[str, Any]]
) -> tuple[tuple[int, ...], int]:
    """In the restored copy, what happened in the database in use since the backup and must
    hold after a restore: the couples erased since are erased again; each account takes its
    sign-in state (active, password, role) from the database in use, so a counselor
    deactivated or a password changed after the backup stays so; and every sign-in the copy
    remembers is ended, so no remember-me cookie from before opens it (everyone signs in
    again). The couples erased again, and how many accounts changed."""
    gone = tuple(_erase_again(tx, erased))
    now = utcnow()
    changed = sum(len(tx.all("restore/account_put", now=now, **a)) for a in accounts_now)
    tx.all("restore/end_sign_ins", now=now)
    return gone, changed


def _restored_detail(
    backup: str, gone: tuple[int, ...], caught_up: int, live: Database | None
) -> str:
    """The restored copy's trail row: from which backup, what was erased again, and how many
    accounts took the database in use's state."""
    if live is None:
        return (
            f"{backup}; not checked against a live database for later erasures or account "
            "changes; every sign-in ended"
        )
    return (
        f"{backup}; couples erased after it in {Path(live.path).name}: {_again(gone)}; "
        f"accounts brought up to it: {caught_up}; every sign-in ended"
    )


def numbers(ids: tuple[int, ...] | list[int]) -> str:
    """Couples as the trail and the pages number them: "no. 4, no. 9"."""
    return ", ".join(f"no. {i}" for i in ids)


def _again(gone: tuple[int, ...]) -> str:
    """What a restore erased again, as its trail rows say it."""
    return f"{len(gone)} erased again ({numbers(gone)})" if gone else "none erased again"


def restore_detail(backup: str | Path, target: str | Path, restored: Restored) -> str:
    """The live trail's row for a restore: which backup, into which file, what was erased
    again, and how many accounts took this database's state."""
    again = _again(restored.erased_again)
    return (
        f"{Path(backup).name} into {target}; couples erased since the backup: {again}; "
        f"accounts brought up to this database: {restored.accounts_caught_up}"
    )


# One test restore at a time in the server: two at once (two admins, two tabs) shared the one
# scratch file, removed it under each other, and failed with a traceback, or opened a new empty
# database where the copy had been and called it restored.
_testing = threading.Lock()
ANOTHER_TEST = "Another test restore is running: try again when it has finished."


def try_restore(
    db: Database, actor: Actor, folder: str | Path, name: str, key: str | None
) -> Restored:
    """Admin: restore the backup `name` of `folder` into a scratch file beside it, as `manage
    restore` does (couples erased since erased again), prove it opens, and delete it; recorded
    in this database's trail (a copy's own trail goes with the copy), a test that failed too.
    One at a time; a full disk is a StorageError like any other failure, and leaves nothing."""
    require_admin(actor)
    if not key:
        raise StorageError("Backups are encrypted with TANDEM_DB_KEY: set it to test one.")
    backup = next((p for p in list_backups(folder) if p.name == name), None)
    if backup is None:
        raise StorageError("That backup is no longer there.")
    if not _testing.acquire(blocking=False):
        raise StorageError(ANOTHER_TEST)
    try:
        restored = _test_copy(backup, key, db)
    except (StorageError, OSError) as e:
        said = (
            str(e)
            if isinstance(e, StorageError)
            else f"The test copy could not be written beside the backup ({e.strerror or e}): "
            "it needs as much free disk space as the backup."
        )
        audit.record(
            db,
            actor,
            "create",
            obj=audit.RESTORE_TESTED,
            detail=f"{name}: did not restore ({said}); the test copy deleted",
        )
        raise StorageError(f"{said} Nothing was left behind.") from e
    finally:
        _testing.release()
    again = _again(restored.erased_again)
    audit.record(
        db,
        actor,
        "create",
        obj=audit.RESTORE_TESTED,
        detail=f"{name}: opened, {restored.couples} couples; couples erased since the backup: "
        f"{again}; the test copy deleted",
    )
    return restored


def _test_copy(backup: Path, key: str, live: Database) -> Restored:
    """Restore `backup` into its scratch file, open that as a server would, and delete it,
    whatever happens on the way."""
    scratch = Path(f"{backup}.test-restore")
    leftovers = [scratch, *(Path(f"{scratch}{s}") for s in (".wal", ".lock", ".part"))]
    for leftover in leftovers:  # a test killed half-way
        leftover.unlink(missing_ok=True)
    try:
        restored = restore(backup, key, scratch, live=live)
        Database(scratch, key).close()  # what a server started on it would open first
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
    return restored


def made_at(backup: str | Path) -> datetime | None:
    """When a backup was made (UTC), from its name; None for a name not made by make_backup."""
    name = Path(backup).name
    if not NAME.match(name):
        return None
    return datetime.strptime(name, "tandem-%Y%m%d-%H%M%S.duckdb")


@audit.audited("view", "backups")
def erased_after(db: Database, actor: Actor, listed: list[Path]) -> dict[str, int]:
    """Admin: for each backup listed (by name), how many couples were erased after it was made
    (an erasure in the backup's second counts: better one too many than one missed). A restore
    erases them again (restore); the backup file itself still holds them."""
    require_admin(actor)
    made = {Path(p).name: made_at(p) for p in listed}
    times = [t for t in made.values() if t is not None]
    if not times:
        return {}
    erasures = [
        r["occurred_at"]
        for r in db.all("audit/erasure_times", since=min(times), erased=audit.ERASED)
    ]
    return {
        name: len(erasures) - bisect.bisect_left(erasures, at)
        for name, at in made.items()
        if at is not None
    }


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
