"""Command line for operators: `python -m core.manage COMMAND --db PATH` (see --help)."""

from __future__ import annotations

import argparse
import getpass
import os
import stat
import sys
from pathlib import Path

import duckdb

from core import accounts, audit, backups, demo, synthetic
from core.db import Database, maintenance
from core.errors import StorageError, TandemError
from core.settings import db_memory_mb


def _db(args) -> Database:
    """The practice's database, opened as the server opens it: with TANDEM_DB_KEY when it is
    set. Without the key, create-admin on a new file made it plain (the server then refused to
    start) and on an encrypted one asked for the key that was set (an owner's walkthrough)."""
    path = args.db or os.environ.get("TANDEM_DB") or "data/tandem.duckdb"
    return Database(path, _key("TANDEM_DB_KEY", required=False))


def cmd_demo(args) -> int:
    """Create the demo practice in an empty database (leave an existing one as it is)."""
    db = _db(args)
    if demo.seed(db):
        print(f"Demo practice created in {db.path}.")
    else:
        print(f"{db.path} already has accounts; left as it is.")
    db.close()
    return 0


def cmd_create_admin(args) -> int:
    """Create the first admin from the terminal (no setup code needed: you have the server)."""
    db = _db(args)
    if not accounts.needs_first_admin(db):
        print("This practice already has accounts; add more from the Admin page.", file=sys.stderr)
        return 1
    password = os.environ.get("TANDEM_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    code = accounts.issue_setup_code(db)
    accounts.create_first_admin(
        db,
        code,
        {"username": args.username, "display_name": args.name, "email": args.email or ""},
        password,
    )
    db.close()
    print(f"Admin {args.username!r} created.")
    return 0


def cmd_reset_password(args) -> int:
    """Give an account a new password from the terminal (server stopped): for an admin locked
    out, the only one of the practice. They must change it at their next sign-in."""
    db = _db(args)
    password = os.environ.get("TANDEM_ADMIN_PASSWORD") or getpass.getpass("New password: ")
    name = accounts.reset_from_the_server(db, args.username, password)
    db.close()
    print(f"{name} ({args.username}) has a new password, to change at the next sign-in.")
    return 0


def _key(name: str, required: bool = True) -> str | None:
    key = os.environ.get(name) or None
    if required and not key:
        raise TandemError(f"Set {name} in the environment first.")
    return key


def _swap(db_path: str, new_path: str, keep_old_as: str | None) -> None:
    """Put a freshly written file in place of the database (and its WAL), with the database's
    permissions: a file only its owner could read stays so (DuckDB writes new files 0644).
    One rename, so that a command killed on the way leaves the old file or the new one."""
    old = Path(db_path)
    mode = stat.S_IMODE(old.stat().st_mode)
    Path(f"{old}.wal").unlink(missing_ok=True)  # empty: the database was closed, checkpointed
    if keep_old_as:
        os.link(old, keep_old_as)
    Path(new_path).chmod(mode)
    os.replace(new_path, old)


def _existing(args) -> str:
    """The database a command rewrites; it must be there."""
    path = args.db or os.environ.get("TANDEM_DB") or "data/tandem.duckdb"
    if not Path(path).exists():
        raise TandemError(f"There is no database at {path}.")
    return path


def _unfinished(fresh: str, what: str) -> None:
    if Path(fresh).exists():
        raise TandemError(f"{fresh} is left from {what} that did not finish: remove it first.")


# A database this big is told that a rewrite will take a while (BENCHMARKS.md: 46-55 s for the
# 1.6 GB practice of 2,000 couples x 5 years).
SAY_WAIT_BYTES = 200_000_000


def _rewrite(
    path: str, suffix: str, what: str, keys: tuple[str | None, str | None], event: str, keep=None
) -> None:
    """Copy the database at `path` (opened with keys[0]) into a new file (encrypted with
    keys[1], if any), prove it opens, note `event` in its trail, and put it in place; all
    while holding the file (core.db.maintenance). `what` names the command in a message about
    the new file left by one that did not finish."""
    fresh = f"{path}.{suffix}"
    _unfinished(fresh, what)
    size = Path(path).stat().st_size + _wal_size(path)
    if size > SAY_WAIT_BYTES:  # a minute of silence looks like a hang
        print(
            f"{suffix.capitalize()} {path} ({size / 1e9:,.1f} GB): every row is written into a"
            " new file, about half a minute per GB on a small server...",
            flush=True,
        )
    with maintenance(path, fresh):
        try:
            db = Database(path, keys[0])
            db.copy_to(fresh, keys[1], rewrite=True)  # a byte copy would keep erased rows
            db.close()
            made = Database(fresh, keys[1])  # proves the new file opens (with the key, if any)
            backups.note_file(made, event)
            made.close()
        except BaseException as e:  # the new file goes: the next run would refuse to start
            for leftover in (fresh, f"{fresh}.wal"):
                Path(leftover).unlink(missing_ok=True)
            if isinstance(e, duckdb.Error):
                raise TandemError(f"{engine_failure(e)} {path} is as it was.") from e
            raise
        _swap(path, fresh, keep)


def cmd_encrypt(args) -> int:
    """Encrypt a plain database in place with TANDEM_DB_KEY (server stopped)."""
    path = _existing(args)
    key = _key("TANDEM_DB_KEY")
    if args.keep_plain and Path(args.keep_plain).exists():
        raise TandemError(f"{args.keep_plain} exists already: give --keep-plain a new file.")
    _rewrite(path, "encrypting", "an encryption", (None, key), audit.ENCRYPTED, args.keep_plain)
    print(
        f"{path} is now encrypted."
        + (f" Plain copy kept at {args.keep_plain}." if args.keep_plain else "")
    )
    return 0


def cmd_rotate_key(args) -> int:
    """Re-encrypt the database from TANDEM_DB_KEY to TANDEM_NEW_DB_KEY (server stopped)."""
    path = _existing(args)
    keys = (_key("TANDEM_DB_KEY"), _key("TANDEM_NEW_DB_KEY"))
    _rewrite(path, "rekeying", "a key rotation", keys, audit.REKEYED)
    print(f"{path} now opens with the new key. Put it in TANDEM_DB_KEY before the next start.")
    return 0


def cmd_compact(args) -> int:
    """Rewrite the database into a new file, so that what "Delete for good" erased is no longer
    in it (server stopped). DuckDB leaves a deleted row's bytes in the file until the space is
    reused; the new file holds only what is stored now, encrypted as before."""
    path = _existing(args)
    key = _key("TANDEM_DB_KEY", required=False)
    before = Path(path).stat().st_size + _wal_size(path)
    # The Admin page counts erasures from the trail's note of this compaction.
    _rewrite(path, "compacting", "a compaction", (key, key), audit.COMPACTED)
    print(
        f"{path} compacted: {before / 1e6:,.1f} MB before, {Path(path).stat().st_size / 1e6:,.1f} "
        "MB now. Erased records are no longer in it; backups made before keep them until they "
        "are deleted."
    )
    return 0


def _wal_size(path: str) -> int:
    wal = Path(f"{path}.wal")
    return wal.stat().st_size if wal.exists() else 0


def cmd_backup(args) -> int:
    """Make an encrypted backup now (server stopped; while it runs, use the Admin page)."""
    db = Database(
        args.db or os.environ.get("TANDEM_DB") or "data/tandem.duckdb", _key("TANDEM_DB_KEY")
    )
    made = backups.make_backup(db, None, args.dir, _key("TANDEM_DB_KEY"), args.keep)
    db.close()
    print(f"Backup written: {made}")
    return 0


def cmd_restore(args) -> int:
    """Restore a backup into a NEW database file (then point TANDEM_DB at it and start). Couples
    erased in the database in use (--db) after the backup was made are erased again in the new
    file, and that database's trail records the restore: stop its server first."""
    key = _key("TANDEM_DB_KEY")
    # After a rotate-key: the database in use's key, which the new file is written under.
    live_key = _key("TANDEM_LIVE_DB_KEY", required=False)
    live = None if args.without_live else _live(args)
    try:
        restored = backups.restore(args.backup, key, args.to, live, into_key=live_key)
        if live is not None:
            detail = backups.restore_detail(args.backup, args.to, restored)
            audit.record(live, None, "create", obj=audit.RESTORE_WRITTEN, detail=detail)
    finally:
        if live is not None:
            live.close()
    print(f"Restored {args.backup} into {args.to}.")
    if live_key and live_key != key:
        print(
            "It is written under TANDEM_LIVE_DB_KEY, the key of the database in use: start "
            "Tandem on it with that key as TANDEM_DB_KEY, as now."
        )
    gone = restored.erased_again
    if live is None:
        print(
            "Not checked against a live database: couples erased after the backup was made are "
            "in the new file again. Erase them again before the server uses it."
        )
    elif gone:
        print(
            f"{len(gone)} couple{'s' if len(gone) != 1 else ''} erased in {live.path} after the "
            f"backup was made {'were' if len(gone) != 1 else 'was'} erased again in it "
            f"({backups.numbers(gone)}); the trails of both files say so. "
            + (
                "Written afresh under the key in use, the new file holds none of their words."
                if live_key and live_key != key
                else f"Their words stay in the new file's free space (encrypted) until `manage "
                f"compact --db {args.to}`."
            )
        )
    else:
        print(f"No couple it holds was erased in {live.path} since the backup was made.")
    if live is not None:
        print(
            "Its accounts take their state in the database in use (active or not, password, "
            f"role): {restored.accounts_caught_up} changed since the backup."
        )
    print("Every sign-in it remembered is ended: everyone signs in again.")
    return 0


def _live(args) -> Database:
    """The database in use now, which a restore reads for erasures and records itself in."""
    path = args.db or os.environ.get("TANDEM_DB") or "data/tandem.duckdb"
    if Path(path).exists() and Path(path).resolve() == Path(args.backup).resolve():
        raise TandemError("--db names the backup itself: give the database in use.")
    if not Path(path).exists():
        raise TandemError(
            f"There is no database at {path} to read the erasures made since the backup from: "
            "give the database in use with --db (or TANDEM_DB). If it is lost, restore with "
            "--without-live; couples erased after the backup was made then come back."
        )
    try:
        # A backup made before a rotate-key is under the old key (TANDEM_DB_KEY for the
        # restore); the database in use is under the new one.
        return Database(path, _key("TANDEM_LIVE_DB_KEY", required=False) or _key("TANDEM_DB_KEY"))
    except StorageError as e:
        if "in use" in str(e):
            raise TandemError(
                f"A Tandem server has {path} open: stop it, then restore. The restore reads from "
                "it the couples erased since the backup, to erase them again, and notes the "
                "restore in its trail. To test a backup while the server runs, use Admin, Data "
                "safety, Test a restore."
            ) from e
        raise TandemError(
            f"{e} If that database is lost or damaged, restore with --without-live; couples "
            "erased after the backup was made then come back."
        ) from e


# DuckDB's working memory while the generator loads a large practice in bulk. The server's
# default (TANDEM_DB_MEMORY_LIMIT, 128MB) is too little for committing 2,000 couples' five
# years at once ("failed to pin block"); a larger TANDEM_DB_MEMORY_LIMIT is used as it is.
SYNTH_MEMORY_MB = 1024


def cmd_synth(args) -> int:
    """Write a large fictional practice (fixed seed) into a NEW database file, for benchmarks."""
    if not args.db:
        raise TandemError("Give the new database file: --db PATH.")
    size = synthetic.Size(args.counselors, args.couples, args.years, args.seed)
    db = Database(args.db, memory_limit_mb=max(SYNTH_MEMORY_MB, db_memory_mb(os.environ)))
    try:
        report = synthetic.generate(db, size)
    finally:
        db.close()
    report.file_bytes = Path(args.db).stat().st_size  # after the final checkpoint
    print("\n".join(report.lines()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; errors print a message, not a traceback."""
    parser = argparse.ArgumentParser(prog="python -m core.manage", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help=cmd_demo.__doc__).set_defaults(fn=cmd_demo)
    p = sub.add_parser("create-admin", help=cmd_create_admin.__doc__)
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--email", default="")
    p.set_defaults(fn=cmd_create_admin)
    p = sub.add_parser("reset-password", help=cmd_reset_password.__doc__)
    p.add_argument("--username", required=True)
    p.set_defaults(fn=cmd_reset_password)
    p = sub.add_parser("encrypt", help=cmd_encrypt.__doc__)
    p.add_argument("--keep-plain", metavar="PATH", help="keep the unencrypted file at PATH")
    p.set_defaults(fn=cmd_encrypt)
    sub.add_parser("rotate-key", help=cmd_rotate_key.__doc__).set_defaults(fn=cmd_rotate_key)
    sub.add_parser("compact", help=cmd_compact.__doc__).set_defaults(fn=cmd_compact)
    p = sub.add_parser("backup", help=cmd_backup.__doc__)
    p.add_argument(
        "--dir",
        default=os.environ.get("TANDEM_BACKUP_DIR", "backups"),
        help="folder for the backup (default: $TANDEM_BACKUP_DIR or backups)",
    )
    p.add_argument(
        "--keep",
        type=int,
        default=int(os.environ.get("TANDEM_BACKUP_KEEP", "14")),
        help="how many backups to keep (default: $TANDEM_BACKUP_KEEP or 14)",
    )
    p.set_defaults(fn=cmd_backup)
    p = sub.add_parser("restore", help=cmd_restore.__doc__)
    p.add_argument("backup", help="the backup file")
    p.add_argument("--to", required=True, help="the new database file to create")
    p.add_argument(
        "--without-live",
        action="store_true",
        help="the database in use is lost: restore without erasing again the couples erased "
        "after the backup was made (they come back)",
    )
    p.set_defaults(fn=cmd_restore)
    p = sub.add_parser(
        "synth",
        help=cmd_synth.__doc__,
        epilog=f"Accounts: {synthetic.ADMIN_USERNAME} / {synthetic.ADMIN_PASSWORD} (admin); "
        f"c01, c02, … / {synthetic.COUNSELOR_PASSWORD} (c01 has the biggest caseload).",
    )
    p.add_argument("--counselors", type=int, default=synthetic.Size.counselors)
    p.add_argument("--couples", type=int, default=synthetic.Size.couples)
    p.add_argument("--years", type=float, default=synthetic.Size.years)
    p.add_argument("--seed", type=int, default=synthetic.Size.seed)
    p.set_defaults(fn=cmd_synth)
    for command in sub.choices.values():
        command.add_argument("--db", help="DuckDB file (default: $TANDEM_DB or data/tandem.duckdb)")
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except TandemError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except duckdb.Error as e:
        print(f"error: {engine_failure(e)}", file=sys.stderr)
        return 1
    except OSError as e:  # e.g. --dir names a file, or a folder it may not write to
        where = f" ({e.filename})" if e.filename else ""
        print(f"error: {e.strerror or e}{where}.", file=sys.stderr)
        return 1


# DuckDB's words when it runs out of its working memory (not always OutOfMemoryException:
# a commit that cannot pin a block is a TransactionException).
OUT_OF_MEMORY = ("out of memory", "could not allocate", "failed to pin")


def engine_failure(e: duckdb.Error) -> str:
    """What to tell whoever ran a command that DuckDB stopped, instead of a traceback."""
    said = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    told = f"DuckDB could not finish ({said})."
    if any(words in said.lower() for words in OUT_OF_MEMORY):
        told += (
            " It ran out of working memory: set TANDEM_DB_MEMORY_LIMIT higher (e.g. 2GB) for"
            " this command and run it again."
        )
    return told


if __name__ == "__main__":
    sys.exit(main())
