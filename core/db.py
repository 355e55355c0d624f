"""The one place Tandem opens its database, applies migrations and runs named SQL files.

Every read and write of client data passes through `Database`, so encryption at rest,
the audit trail and a later PostgreSQL backend have a single place to hook in.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import logging
import os
import re
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from core.errors import StorageError
from core.settings import db_memory_mb

LOG = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"
MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
WRITE_STATEMENT = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

# DuckDB raises a TransactionException ("Conflict on update") when two threads write the
# same row at once; a short retry resolves it (RECIPES.md measured thousands on one hot row).
CONFLICT_RETRIES = 8
CONFLICT_BACKOFF_SECONDS = 0.005

T = TypeVar("T")
# Numbers every Database opened in this process (see Database.instance).
_OPENED = itertools.count(1)
# Writes no kept read depends on (core/alerts.py keeps caseload summaries until
# Database.changes moves): the audit trail, a partner's draft answers and the state of links,
# sign-in bookkeeping. They leave `changes` as it is: in a large practice a partner saves an
# answer every few seconds, and a view is recorded per couple opened (issue 6).
UNSEEN_BY_KEPT_READS = frozenset(
    {
        "audit/record",
        "auth/session_open_couple",
        "auth/session_revoke",
        "auth/session_revoke_all",
        "restore/end_sign_ins",
        "auth/session_start",
        "auth/session_touch",
        "auth/throttle_clear",
        "auth/throttle_put",
        "checkins/insert_link",
        "links/attempts_put",
        "links/delete_answer",
        "links/mark_opened",
        "links/insert_answer",
        "links/mark_started",
        "links/update_answer",
        "standing/mark_opened",
    }
)
# Writes that touch no couple's data a kept read depends on, though they name no $couple_id:
# accounts and their secrets, a hand-over ending or its wrong take-back password (kept reads
# never read hand-overs; a link's submission does name its couple, as the alerts read
# submitted intakes). Any other write without a $couple_id makes every kept read stale.
COUPLE_FREE_WRITES = frozenset(
    {
        "auth/secret_delete",
        "auth/secret_put",
        "counselors/insert",
        "counselors/set_active",
        "counselors/set_password",
        "counselors/set_role",
        "counselors/update_profile",
        "handover/delete",
        "handover/end_failed",
        "restore/account_put",
    }
)
# Writes that make a couple: the id they return is the one couple they touch (a new couple reads
# only itself into the kept caseload alerts, not the whole caseload again).
NEW_COUPLE_WRITES = frozenset({"couples/insert"})
# Files that hold client data are readable by their owner only (a shared host's other accounts
# cannot copy the database, its write-ahead log or a backup): the process's umask, set on open.
PRIVATE_UMASK = 0o077
# The tables a caseload row is made of: the kept caseload rows (core.couples.caseload) stay
# current while no write query that names one of them, anywhere in its text, has committed.
# Naming is enough (a subquery too): a few such writes more than needed make a fresh read, a
# missed one would show a stale name; partners' answers, links and check-ins name none.
ROSTER_TABLES = re.compile(r"\b(?:couples|partners|counselors)\b", re.IGNORECASE)
# How many committed writes Database remembers the couples of (see Database.couples_changed_since).
CHANGE_LOG_SIZE = 1024


@cache
def load_sql(name: str) -> str:
    """Text of `sql/<name>.sql`; names are paths like 'couples/list_for_counselor'."""
    path = (SQL_DIR / f"{name}.sql").resolve()
    if SQL_DIR not in path.parents or not path.is_file():
        raise KeyError(f"no SQL file named {name!r}")
    return path.read_text(encoding="utf-8")


@cache
def _statement(name: str) -> str:
    """A named query's SQL without its comment lines."""
    return "\n".join(
        line for line in load_sql(name).splitlines() if not line.lstrip().startswith("--")
    )


@cache
def is_write_query(name: str) -> bool:
    """True when a named query changes data (its first word is INSERT, UPDATE or DELETE)."""
    return bool(WRITE_STATEMENT.match(_statement(name)))


@cache
def writes_roster(name: str) -> bool:
    """True when a named write query may change a caseload row (it names ROSTER_TABLES)."""
    return is_write_query(name) and bool(ROSTER_TABLES.search(_statement(name)))


def all_query_names() -> list[str]:
    """Every named query under sql/ (migrations excluded), for tests and tooling."""
    return sorted(
        str(p.relative_to(SQL_DIR).with_suffix(""))
        for p in SQL_DIR.rglob("*.sql")
        if MIGRATIONS_DIR not in p.parents
    )


def migration_files() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every migration, in order; a malformed name is an error."""
    found = []
    for p in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = MIGRATION_NAME.match(p.name)
        if not m:
            raise StorageError(f"Migration file name {p.name!r} is not NNN_name.sql")
        found.append((int(m.group(1)), p.stem, p))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise StorageError("Two migration files share one number")
    return found


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Fetch the whole result of the last statement as dicts (a cursor's result is read once)."""
    if cur.description is None:
        return []
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def is_conflict(error: Exception) -> bool:
    """True for DuckDB's write-write conflict, which is safe to retry."""
    return isinstance(error, duckdb.TransactionException) and "onflict" in str(error)


class Tx:
    """Named-query helpers bound to one cursor inside one transaction."""

    def __init__(self, cur: duckdb.DuckDBPyConnection):
        self.cur = cur
        self.changed = False  # it ran a write a kept read may depend on
        # The couples those writes touched (None: it cannot tell, so assume any).
        self.couples: set[int] | None = set()
        self.roster = False  # it ran a write that may change a caseload row

    def _note(self, query: str, params: dict[str, Any], made: list[int] | None = None) -> None:
        """Count a write a kept read may depend on, and the couples it touched: its $couple_id,
        or for a write that makes a couple the ids it returned (`made`)."""
        if writes_roster(query):
            self.roster = True
        if not is_write_query(query) or query in UNSEEN_BY_KEPT_READS:
            return
        self.changed = True
        couple = params.get("couple_id")
        if self.couples is None:
            return
        if isinstance(couple, int) and not isinstance(couple, bool):
            self.couples.add(couple)
        elif query in NEW_COUPLE_WRITES and made is not None:
            self.couples.update(made)
        elif query not in COUPLE_FREE_WRITES:
            self.couples = None

    def all(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run a named query; every row as a dict."""
        self.cur.execute(load_sql(query), params or None)
        rows = _rows(self.cur)
        self._note(query, params, [r["id"] for r in rows] if query in NEW_COUPLE_WRITES else None)
        return rows

    def one(self, query: str, /, **params: Any) -> dict[str, Any] | None:
        """Run a named query; its first row, or None."""
        rows = self.all(query, **params)
        return rows[0] if rows else None

    def scalar(self, query: str, /, **params: Any) -> Any:
        """Run a named query; the first column of its first row, or None."""
        row = self.one(query, **params)
        return next(iter(row.values())) if row else None

    def frame(self, query: str, /, **params: Any):
        """Run a named query; the result as a pandas DataFrame."""
        self.cur.execute(load_sql(query), params or None)
        self._note(query, params)  # a couple made here is not told apart: any couple, then
        return self.cur.df()


# The name the encrypted file is attached under; every cursor switches to it.
ENCRYPTED_ALIAS = "tandem_main"
# The name a backup or re-keyed copy is attached under while it is written.
COPY_ALIAS = "tandem_copy_target"


def httpfs_extension() -> str:
    """Path of the httpfs extension shipped by the pinned PyPI wheel (it brings the OpenSSL
    that DuckDB needs to *write* encrypted files; DuckDB's own extension server is not used)."""
    import duckdb_extension_httpfs

    folder = Path(duckdb_extension_httpfs.__file__).resolve().parent / "extensions"
    path = folder / f"v{duckdb.__version__}" / "httpfs.duckdb_extension"
    if not path.is_file():
        raise StorageError(
            f"Encryption needs duckdb-extension-httpfs=={duckdb.__version__} (see requirements.txt)."
        )
    return str(path)


def _literal(text: str) -> str:
    """A file path as an SQL string literal: ATTACH accepts no parameter for its path."""
    if "\x00" in text:
        raise StorageError("A database path cannot contain a NUL character.")
    return "'" + text.replace("'", "''") + "'"


# DuckDB's working memory while a CHECKPOINT writes indexes back, or a rewrite builds them
# (see Database.checkpoint and Database._copy_database).
CHECKPOINT_MEMORY_MB = 1000
# Rows per statement when a table is written into a new file (see Database._copy_database).
REWRITE_ROWS = 1_000_000
# The WAL's size at which Tandem checkpoints with that room (DuckDB's own threshold: 16 MB).
EARLY_CHECKPOINT_BYTES = 4_000_000
# Or once the indexes hold a share of the working limit. Every insert into an indexed table (an
# answer, a link) grows its index in memory, and so does a lookup through it (a partner's
# token), and that memory is not evicted; a checkpoint after a write gives it back. On the
# large practice 4,500 saved answers filled the 128MB limit while the WAL was 1.3 MB, far from
# the threshold above: a submit's commit failed for want of memory, its rollback too, and
# DuckDB gave up the database until a restart (BENCHMARKS.md, "The admin's caseload profiled,
# and a database given up under load"). A checkpoint took 0.05-0.25 s there, so past
# INDEX_MEMORY_SHARE one runs at most every INDEX_MEMORY_SPACING writes (lookups may fill the
# indexes again soon after), and past INDEX_MEMORY_URGENT at once.
INDEX_MEMORY_SHARE = 0.25
INDEX_MEMORY_URGENT = 0.5
INDEX_MEMORY_SPACING = 200
INDEX_MEMORY_EVERY = 10  # writes between two looks at it (each is a query, ~0.1 ms)


def copy_bytes(source: str | Path, part: str | Path) -> None:
    """Copy a file's bytes into `part` (scratch: one left there is replaced), readable by its
    owner only whatever the umask, and synced to disk; the caller renames it into place. For
    the pre-upgrade copy, a backup and a restore (a restore opens no database first, which is
    what sets PRIVATE_UMASK: its copy came out 0644)."""
    Path(part).unlink(missing_ok=True)
    fresh = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(source, "rb") as src, open(fresh, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
        dst.flush()
        os.fsync(dst.fileno())


def _key_print(key: str | None) -> str | None:
    """A fingerprint of a database key, to tell whether two keys are the same."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest() if key else None


def _config(memory_limit_mb: int) -> dict[str, str]:
    """DuckDB's settings for a connection: a working-memory limit (its default is 80% of the
    machine's memory, and what it caches stays in the server's memory; issue 6)."""
    return {"memory_limit": f"{memory_limit_mb}MB"}


def _open_encrypted(path: str, key: str, config: dict[str, str]) -> duckdb.DuckDBPyConnection:
    # Spills beside the database, not in the working directory (the file here is ':memory:').
    con = duckdb.connect(":memory:", config={**config, "temp_directory": f"{path}.tmp"})
    # A path from our own installed package, not user input; LOAD takes no parameters.
    con.execute(f"LOAD '{httpfs_extension()}'")
    # A query past the memory limit spills to temporary files: encrypted like the database.
    con.execute("SET temp_file_encryption = true")
    con.execute(f"ATTACH {_literal(path)} AS {ENCRYPTED_ALIAS} (ENCRYPTION_KEY $key)", {"key": key})
    con.execute(f"USE {ENCRYPTED_ALIAS}")
    return con


def _encryption_problem(path: str, detail: str) -> str:
    """A start-up message that says what to do, for each way a key and a file can disagree."""
    if "without a key" in detail:
        return (
            f"The database {path} is encrypted. Set TANDEM_DB_KEY (environment or secrets) "
            "to its key."
        )
    if "Wrong encryption key" in detail:
        return f"TANDEM_DB_KEY does not open the database {path}: it is not this file's key."
    if "not encrypted" in detail:
        return (
            f"TANDEM_DB_KEY is set but {path} is not encrypted yet. Encrypt it once with "
            "`./run manage encrypt` (see README), or unset the key."
        )
    return f"The database {path} could not be opened: {detail}"


def _build_new(path: str, key: str | None) -> None:
    """Create a new database's schema in a side file, then move it into place whole.

    DuckDB cannot replay a WAL that holds the creation of the schema ("no default database
    set"): a first start killed between the migrations' commit and their CHECKPOINT left a
    file that never opened again (tests/sql/test_crash_saving_answers.py). A side file killed
    half-way is simply built again on the next start.
    """
    side = Path(f"{path}.new")
    for stale in (side, Path(f"{side}.wal")):
        stale.unlink(missing_ok=True)
    side.parent.mkdir(parents=True, exist_ok=True)
    Database(side, key, _building=True).close()  # migrates and checkpoints; no WAL is left
    os.replace(side, path)


def _connect(path: str, key: str | None, config: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """One DuckDB connection to `path`; a StorageError a person can act on if it cannot open."""
    try:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if key:
            return _open_encrypted(path, key, config)
        return duckdb.connect(path, config=config)
    except duckdb.CatalogException as e:
        raise StorageError(_encryption_problem(path, str(e))) from e
    except duckdb.InvalidInputException as e:
        raise StorageError(_encryption_problem(path, str(e))) from e
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise StorageError(
                f"The database {path} is in use by another Tandem process. "
                "Stop that process, or give this one its own TANDEM_DB."
            ) from e
        raise StorageError(f"The database {path} could not be opened: {e}") from e
    except duckdb.Error as e:
        raise StorageError(f"The database {path} could not be opened: {e}") from e


def _pre_upgrade_copy(path: str) -> Path:
    """Where the database is kept as it was while an upgrade's migrations run."""
    return Path(f"{path}.pre-upgrade")


def _finish_interrupted_upgrade(path: str) -> None:
    """Put back the copy of a database whose upgrade was killed before it ended.

    DuckDB cannot replay a WAL that holds most schema changes ("no default database set"): an
    upgrade killed between a migration's COMMIT and the CHECKPOINT after it left a file that
    never opened again. The copy was taken, checkpointed, just before the migrations, and the
    database takes no other write until they end (it is not open to anyone before), so putting
    it back loses nothing; the migrations then run again.
    """
    copy = _pre_upgrade_copy(path)
    Path(f"{copy}.part").unlink(missing_ok=True)  # a copy killed half-way: never used
    if copy.exists():
        LOG.warning("The last upgrade of %s did not finish: restoring its copy and retrying", path)
        os.replace(copy, path)
        Path(f"{path}.wal").unlink(missing_ok=True)


# The paths this process holds for `maintenance` (resolved): its own Database on them skips the
# shared hold, which would conflict with the command's exclusive one.
_MAINTAINED: set[str] = set()


def _take_lock(path: str, exclusive: bool) -> int:
    """Lock the database's lock file (`<path>.lock`, beside it); the descriptor holding it.
    Raises BlockingIOError at once if another process holds it the other way."""
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def maintenance(path: str, *scratch: str) -> Iterator[None]:
    """Hold the database at `path` for a command that puts a new file in its place (encrypt,
    rotate-key, compact): no Tandem process has it open meanwhile, and none can open it until
    the command ends. Every Database holds its file shared for its whole life.

    Without it, a server started in the moment between the command's copy and its swap kept
    the old file and went on writing to it: what it saved then was lost with that file.
    `scratch` names the new files the command writes; their lock files go when it ends.
    """
    try:
        fd = _take_lock(path, exclusive=True)
    except BlockingIOError:
        raise StorageError(
            f"A Tandem server (or another command) has the database {path} open: stop it, "
            "then run this again."
        ) from None
    held = [os.path.realpath(p) for p in (path, *scratch)]
    _MAINTAINED.update(held)
    try:
        yield
    finally:
        _MAINTAINED.difference_update(held)
        for new in scratch:
            Path(f"{new}.lock").unlink(missing_ok=True)
        os.close(fd)  # and with it the lock


def _hold(path: str) -> int | None:
    """Hold the database at `path` shared while it is open (see `maintenance`); the descriptor,
    or None where this process is the command maintaining it."""
    if os.path.realpath(path) in _MAINTAINED:
        return None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        return _take_lock(path, exclusive=False)
    except BlockingIOError:
        raise StorageError(
            f"The database {path} is being rewritten by `./run manage` (encrypt, rotate-key or "
            "compact): start Tandem again when that has finished."
        ) from None


def _applied(cur: duckdb.DuckDBPyConnection) -> set[int]:
    """The migration versions recorded in schema_migrations."""
    return {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}


class Database:
    """A DuckDB file, migrated on open; one connection per process, a cursor per use."""

    def __init__(
        self,
        path: str | Path,
        key: str | None = None,
        *,
        memory_limit_mb: int | None = None,
        _building: bool = False,
    ):
        self.path = str(path)
        # Every file this process writes from now on is its owner's only: the database, its
        # WAL, the files DuckDB spills to, backups and the copies manage makes (0666 & ~077).
        os.umask(PRIVATE_UMASK)
        self._held = None if self.path == ":memory:" or _building else _hold(self.path)
        try:
            self._open(key, memory_limit_mb, _building)
        except BaseException:
            self._let_go()
            raise

    def _open(self, key: str | None, memory_limit_mb: int | None, _building: bool) -> None:
        if self.path != ":memory:" and not _building:
            _finish_interrupted_upgrade(self.path)
            if not Path(self.path).exists():
                _build_new(self.path, key)
        # TANDEM_DB_MEMORY_LIMIT unless given: every process that opens the file gets it.
        self.memory_limit_mb = memory_limit_mb or db_memory_mb(os.environ)
        config = _config(self.memory_limit_mb)
        self.encrypted = bool(key)
        # Which key the file is under (a fingerprint, not the key): a backup under the same key
        # can be a copy of the file's bytes (see copy_to).
        self._key_print = _key_print(key)
        # Which database object this is and how many writes it has committed: a read kept for
        # reuse (core/alerts.py) is still current while both are unchanged.
        self.instance = next(_OPENED)
        self.changes = 0
        # Committed writes that may change a caseload row (Tx.roster): the kept caseload rows
        # (core.couples.caseload) are current while it is unchanged.
        self.roster_changes = 0
        self._writes = 0  # committed writes, for how often to look at the indexes' memory
        self._checkpointed_at = 0  # `_writes` at the last early checkpoint
        # (changes after the commit, the couples it touched or None) for the newest commits.
        self._change_log: deque[tuple[int, frozenset[int] | None]] = deque(maxlen=CHANGE_LOG_SIZE)
        self._lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._con = _connect(self.path, key, config)
        if self.path != ":memory:" and not _building and self.pending_migrations():
            self._upgrade(key, config)
        else:
            self.migrate()

    # -- connections -------------------------------------------------------------------
    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor on the shared connection, closed after use."""
        cur = self._con.cursor()
        if self.encrypted:
            cur.execute(f"USE {ENCRYPTED_ALIAS}")  # a new cursor starts in 'memory' (RECIPES.md)
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """BEGIN … COMMIT on a fresh cursor; any exception rolls back and propagates."""
        with self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield Tx(cur)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def write(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn` in a transaction, retrying briefly when DuckDB reports a write conflict;
        a commit that wrote something a kept read may use counts in `changes`."""
        for attempt in range(CONFLICT_RETRIES):
            try:
                # Writers in this process take turns: twenty sessions failing a sign-in for one
                # username at once otherwise outran every retry (tests/sql/test_concurrency.py).
                with self._write_lock:
                    with self.transaction() as tx:
                        result = fn(tx)
                    if tx.roster:
                        self.roster_changes += 1
                    if tx.changed:
                        self.changes += 1
                        touched = None if tx.couples is None else frozenset(tx.couples)
                        self._change_log.append((self.changes, touched))
                    self._checkpoint_if_due()  # any write grows the WAL (a stat: microseconds)
                    return result
            except duckdb.Error as e:
                if not is_conflict(e) or attempt == CONFLICT_RETRIES - 1:
                    raise
                time.sleep(CONFLICT_BACKOFF_SECONDS * (attempt + 1))
        raise AssertionError("unreachable")

    # -- one-statement helpers (a write among them takes its turn and retries like `write`) -
    def couples_changed_since(self, version: int) -> frozenset[int] | None:
        """The couples whose data kept reads use was written after `changes` was `version`;
        None when that is unknown (a write named no couple, or it is too long ago)."""
        with self._write_lock:
            if version == self.changes:
                return frozenset()
            newer = [touched for v, touched in self._change_log if v > version]
            if len(newer) != self.changes - version or any(t is None for t in newer):
                return None
            return frozenset().union(*newer)

    def _one_statement(self, query: str, run: Callable[[Tx], T]) -> T:
        # A lone UPDATE on a row another session is changing fails with "Conflict on update"
        # just like a transaction does (tests/sql/test_concurrency.py), so writes go via write().
        if is_write_query(query):
            return self.write(run)
        with self.cursor() as cur:
            return run(Tx(cur))

    def all(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run one named query in its own cursor; rows as dicts."""
        return self._one_statement(query, lambda tx: tx.all(query, **params))

    def one(self, query: str, /, **params: Any) -> dict[str, Any] | None:
        """Run one named query; its first row or None."""
        return self._one_statement(query, lambda tx: tx.one(query, **params))

    def scalar(self, query: str, /, **params: Any) -> Any:
        """Run one named query; the first value or None."""
        return self._one_statement(query, lambda tx: tx.scalar(query, **params))

    def frame(self, query: str, /, **params: Any):
        """Run one named query; a pandas DataFrame."""
        return self._one_statement(query, lambda tx: tx.frame(query, **params))

    # -- schema ------------------------------------------------------------------------
    def pending_migrations(self) -> list[int]:
        """Versions in sql/migrations/ this file has not applied yet."""
        with self._lock, self.cursor() as cur:
            known = cur.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_name = 'schema_migrations'"
            ).fetchone()[0]
            done = _applied(cur) if known else set()
        return [version for version, _, _ in migration_files() if version not in done]

    def _upgrade(self, key: str | None, config: dict[str, str]) -> None:
        """Apply new migrations to an existing file with a copy of it kept until they are done
        (see _finish_interrupted_upgrade): a kill at any point leaves a file that opens."""
        copy = _pre_upgrade_copy(self.path)
        part = Path(f"{copy}.part")
        with self.cursor() as cur:
            cur.execute("CHECKPOINT")  # the file alone holds everything; no WAL to copy
        self._con.close()
        try:
            copy_bytes(self.path, part)
            os.replace(part, copy)
        except OSError as e:
            part.unlink(missing_ok=True)
            raise StorageError(
                f"Tandem needs to upgrade the database {self.path} and keeps a copy of it while "
                f"it does, but the copy could not be written ({e.strerror or e}). Free as much "
                "disk space as the database takes beside it, then start Tandem again."
            ) from e
        self._con = _connect(self.path, key, config)
        try:
            self.migrate()
        except BaseException:
            # The copy stays: the next start puts it back and tries the upgrade again.
            self._con.close()
            raise
        copy.unlink()
        LOG.info("Upgraded %s", self.path)

    def migrate(self) -> list[int]:
        """Apply every migration not yet recorded, then CHECKPOINT; returns versions applied."""
        with self._lock, self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
            )
            done = _applied(cur)
            applied = []
            for version, name, path in migration_files():
                if version in done:
                    continue
                cur.execute("BEGIN TRANSACTION")
                try:
                    cur.execute(path.read_text(encoding="utf-8"))
                    cur.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES ($v, $n)",
                        {"v": version, "n": name},
                    )
                    cur.execute("COMMIT")
                except duckdb.Error as e:
                    cur.execute("ROLLBACK")
                    raise StorageError(f"Migration {name} failed: {e}") from e
                applied.append(version)
            # Schema changes left in the WAL have corrupted files after a crash (RECIPES.md).
            cur.execute("CHECKPOINT")
        return applied

    def tables(self) -> list[str]:
        """Names of the application's tables (for erasure checks and exports)."""
        with self.cursor() as cur:
            cur.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' "
                "AND table_catalog = current_database() ORDER BY 1"
            )
            return [r[0] for r in cur.fetchall()]

    def copy_to(self, target: str | Path, key: str | None, rewrite: bool = False) -> None:
        """Copy the whole database, online, into a NEW file (encrypted when `key` is given).

        Under the database's own key (a backup), the copy is the file's bytes, taken after a
        checkpoint while no write can start (2.4 s at 2,000 couples x 5 years). Under another
        key, or with `rewrite` (compaction: a byte copy keeps the bytes of erased rows), every
        row is written into a fresh file (see `_copy_database`). A copy that fails leaves no
        half-written file."""
        target = str(target)
        if Path(target).exists():
            raise StorageError(f"{target} already exists; choose a new file name.")
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        try:
            if not rewrite and key and self.encrypted and _key_print(key) == self._key_print:
                self._copy_file(target)
            else:
                self._copy_database(target, key)
        except BaseException:
            for leftover in (target, f"{target}.wal", f"{target}.part"):
                Path(leftover).unlink(missing_ok=True)
            raise

    def _copy_file(self, target: str) -> None:
        part = f"{target}.part"
        with self._write_lock:
            with self.cursor() as cur:
                self.checkpoint(cur)
            wal = Path(f"{self.path}.wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise StorageError("The database is busy; try the backup again in a moment.")
            copy_bytes(self.path, part)
        os.replace(part, target)

    def _copy_database(self, target: str, key: str | None) -> None:
        """Write every row into a fresh file: the schema first (`COPY FROM DATABASE ... (SCHEMA)`:
        tables, indexes, sequences at their current values), then each table's rows in slices
        of REWRITE_ROWS by rowid, each slice its own statement. One `COPY FROM DATABASE` of the
        rows built the answers' primary-key index for 19 million rows in one go and ran out of
        memory at 2,000 couples x 5 years below 3,000MB; in slices it needs far less, but more
        than the 128MB working limit (the links' unique token index alone), so it runs with
        the checkpoint's room (BENCHMARKS.md). The schema has no foreign keys, so the tables'
        order does not matter. Holding the write lock, the slices see no write in between."""
        with self._write_lock, self.cursor() as cur, self._room(cur):
            source = cur.execute("SELECT current_database()").fetchone()[0]
            if key:
                if not self.encrypted:
                    cur.execute(f"LOAD '{httpfs_extension()}'")
                cur.execute(
                    f"ATTACH {_literal(target)} AS {COPY_ALIAS} (ENCRYPTION_KEY $key)",
                    {"key": key},
                )
            else:
                cur.execute(f"ATTACH {_literal(target)} AS {COPY_ALIAS}")
            try:
                # Identifiers from our own constants and the catalog, never from user input.
                cur.execute(f'COPY FROM DATABASE "{source}" TO {COPY_ALIAS} (SCHEMA)')
                cur.execute(load_sql("storage/rewrite_statements"), {"target": COPY_ALIAS})
                unwritten = 0
                for _table, last_row, copy_slice in cur.fetchall():
                    top = cur.execute(last_row).fetchone()[0]
                    for start in range(0, -1 if top is None else top + 1, REWRITE_ROWS):
                        cur.execute(copy_slice, [start, start + REWRITE_ROWS])
                        unwritten += cur.fetchone()[0]
                        if unwritten >= REWRITE_ROWS:  # keeps the new file's WAL small
                            cur.execute(f"CHECKPOINT {COPY_ALIAS}")
                            unwritten = 0
                cur.execute(f"CHECKPOINT {COPY_ALIAS}")
            finally:
                cur.execute(f"DETACH {COPY_ALIAS}")

    def checkpoint(self, cur=None) -> None:
        """CHECKPOINT with room. At 2,000 couples x 5 years a checkpoint after the heavy reads
        and a day's answers needed more than the 128MB working limit (likely for the answers'
        primary-key index): it failed, its rollback too, and DuckDB gave up the database until
        a restart (BENCHMARKS.md). The limit is raised for the checkpoint alone."""
        cur = cur or self._con
        with self._room(cur):
            cur.execute("CHECKPOINT")

    @contextlib.contextmanager
    def _room(self, cur) -> Iterator[None]:
        """Raise DuckDB's working limit to CHECKPOINT_MEMORY_MB (if it is lower) while the
        block runs: for work that builds or writes back whole indexes."""
        roomy = max(self.memory_limit_mb, CHECKPOINT_MEMORY_MB)
        cur.execute(f"SET memory_limit = '{roomy}MB'")
        try:
            yield
        finally:
            cur.execute(f"SET memory_limit = '{self.memory_limit_mb}MB'")

    def _checkpoint_if_due(self) -> None:
        """Checkpoint (with room, see `checkpoint`) once the WAL passes EARLY_CHECKPOINT_BYTES,
        before DuckDB's own automatic one at 16 MB, which runs inside a commit under the working
        limit; or once the indexes hold INDEX_MEMORY_SHARE of that limit. One that cannot run
        now (another transaction is open) waits for a later write."""
        if self.path == ":memory:":
            return
        try:
            due = os.path.getsize(f"{self.path}.wal") > EARLY_CHECKPOINT_BYTES
        except OSError:  # no WAL: everything is in the file
            due = False
        self._writes += 1
        if not due and self._writes % INDEX_MEMORY_EVERY == 0:
            with contextlib.suppress(duckdb.Error), self.cursor() as cur:
                held = cur.execute(load_sql("storage/index_memory")).fetchone()[0]
                share = held / (self.memory_limit_mb * 1_000_000)
                spaced = self._writes - self._checkpointed_at >= INDEX_MEMORY_SPACING
                due = share > INDEX_MEMORY_URGENT or (share > INDEX_MEMORY_SHARE and spaced)
        if due:
            with contextlib.suppress(duckdb.Error), self.cursor() as cur:
                self.checkpoint(cur)
                self._checkpointed_at = self._writes

    def close(self) -> None:
        """Checkpoint and close the connection, and let go of the file (see `maintenance`)."""
        try:
            self.checkpoint()
        finally:
            self._con.close()
            self._let_go()

    def _let_go(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            os.close(held)
