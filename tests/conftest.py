"""Shared fixtures: every test gets its own real, migrated DuckDB file in a temp folder."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

# Cheap bcrypt for tests only (production uses cost 12); must be set before core imports.
os.environ.setdefault("TANDEM_BCRYPT_ROUNDS", "4")

import pytest  # noqa: E402

from core import accounts, couples  # noqa: E402
from core.db import Database  # noqa: E402

PASSWORD = "test-password-1"


# DuckDB syncs every commit to disk; on tmpfs the SQL tier ran in about half the time.
RAM_DISK = Path("/dev/shm")


def _in_ram() -> bool:
    """Whether test databases can live in RAM_DISK."""
    return RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK)


@pytest.fixture(scope="session")
def scratch(tmp_path_factory):
    """A folder for test database files: in RAM when the machine has /dev/shm."""
    if not _in_ram():
        yield tmp_path_factory.mktemp("databases")
        return
    folder = Path(tempfile.mkdtemp(prefix="tandem-tests-", dir=RAM_DISK))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def db_path(scratch):
    """Path of a fresh database file for this test (its folder is removed afterwards)."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    yield folder / "tandem.duckdb"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def migrated_template(scratch):
    """An empty database, migrated once per test process (~120 ms) and closed, to be copied
    (~35 ms a test with the open). Tests of migrating itself open a `db_path` of their own."""
    path = scratch / "migrated-template" / "tandem.duckdb"
    path.parent.mkdir()
    Database(path).close()  # checkpointed: the whole schema is in the one file
    return path


@pytest.fixture
def db(db_path, migrated_template):
    """A real, migrated, empty database: this test's own copy of the migrated template."""
    shutil.copyfile(migrated_template, db_path)
    database = Database(db_path)
    yield database
    database.close()


_DEMO_PRACTICE: list[Path] = []  # the file demo_practice() seeded, once it has


def demo_practice() -> Path:
    """The demo practice (core.demo), seeded at most once per test process (~2.5 s) and closed,
    to be copied: the one source of demo data for every tier (the `demo_db` fixture, the
    browser tests' servers). A function rather than a fixture, for the browser tests' helpers
    that start servers outside any fixture. Only the tests that ask pay for it."""
    if not _DEMO_PRACTICE:
        from core import demo  # pandas and Altair: not for the tests that never seed

        folder = Path(tempfile.mkdtemp(prefix="tandem-demo-", dir=RAM_DISK if _in_ram() else None))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        database = Database(folder / "tandem.duckdb")  # bcrypt cost 4 (TANDEM_BCRYPT_ROUNDS)
        demo.seed(database)
        database.close()  # checkpointed: the whole practice is in the one file
        _DEMO_PRACTICE.append(folder / "tandem.duckdb")
    return _DEMO_PRACTICE[0]


@pytest.fixture
def demo_db(db_path):
    """A real database holding the demo practice: this test's own copy of demo_practice()."""
    shutil.copyfile(demo_practice(), db_path)
    database = Database(db_path)
    yield database
    database.close()


def make_first_admin(db):
    """Create and sign in the practice's first admin, 'ada' (for fixtures of any scope)."""
    code = accounts.issue_setup_code(db)
    accounts.create_first_admin(
        db, code, {"username": "ada", "display_name": "Ada Admin", "email": ""}, PASSWORD
    )
    return accounts.authenticate(db, "ada", PASSWORD)


@pytest.fixture
def admin(db):
    """The practice's first admin, signed in."""
    return make_first_admin(db)


def make_counselor(db, admin, username: str):
    """Create and sign in a counselor account."""
    accounts.create_counselor(
        db,
        admin,
        {"username": username, "display_name": username.title(), "email": "", "role": "counselor"},
        PASSWORD,
        must_change=False,
    )
    return accounts.authenticate(db, username, PASSWORD)


@pytest.fixture
def counselor(db, admin):
    """Counselor A, signed in."""
    return make_counselor(db, admin, "alex")


@pytest.fixture
def other_counselor(db, admin):
    """Counselor B, signed in: must never reach A's couples."""
    return make_counselor(db, admin, "blair")


def erase_for_good(db, admin, couple_id, typed: str, **extra) -> None:
    """*Delete for good* as an admin, with a reason: a couple made in a test is still inside the
    retention period (core/erasure.py)."""
    from core import erasure

    extra.setdefault("reason", "the couple asked")
    erasure.delete_forever(db, admin, couple_id, typed, retention_years=7, **extra)


def make_couple(db, actor, name_1="Rachel", name_2="Marcus", **extra) -> int:
    """Create a couple for `actor`; returns its id."""
    return couples.create(db, actor, {"name": name_1, **extra}, {"name": name_2}, "notes")


@pytest.fixture
def couple_id(db, counselor):
    """A couple in counselor A's caseload."""
    return make_couple(db, counselor)


def rows(db, sql: str, **params) -> list[tuple]:
    """Raw SQL for tests that inspect storage directly (core itself only runs named queries)."""
    with db.cursor() as cur:
        return cur.execute(sql, params or None).fetchall()


def count(db, table: str) -> int:
    """How many rows a table holds."""
    return rows(db, f'SELECT count(*) FROM "{table}"')[0][0]


def run_at_once(n: int, work) -> list[BaseException]:
    """Run work(i) in n threads released together; the exceptions they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def body(i):
        try:
            start.wait()
            work(i)
        except BaseException as e:  # collected, then asserted on by the test
            errors.append(e)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors
