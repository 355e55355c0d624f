"""Numbered migrations: applied once, recorded, never re-applied, and named strictly."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import core.db
from core.db import Database, migration_files
from core.errors import StorageError
from tests.conftest import rows

EXPECTED_TABLES = {
    "app_secrets",
    "auth_sessions",
    "counselors",
    "couples",
    "login_throttle",
    "partners",
    "schema_migrations",
}


@pytest.fixture
def migrations_dir(tmp_path, monkeypatch):
    """A private copy of sql/migrations that a test may add files to."""
    folder = tmp_path / "migrations"
    shutil.copytree(core.db.MIGRATIONS_DIR, folder)
    monkeypatch.setattr(core.db, "MIGRATIONS_DIR", folder)
    return folder


def recorded(db) -> list[tuple]:
    """The schema_migrations rows, in order."""
    return rows(db, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")


def test_a_new_file_gets_every_migration_recorded_once(db):
    expected = [(version, name) for version, name, _ in migration_files()]
    assert [(v, n) for v, n, _ in recorded(db)] == expected
    assert set(db.tables()) >= EXPECTED_TABLES


def test_migrating_again_applies_nothing(db):
    before = recorded(db)
    assert db.migrate() == []
    assert recorded(db) == before


def test_reopening_the_file_applies_nothing(db_path):
    first = Database(db_path)
    before = recorded(first)
    first.close()
    again = Database(db_path)
    try:
        assert recorded(again) == before  # same rows, same applied_at: nothing re-ran
        assert again.migrate() == []
    finally:
        again.close()


def test_a_new_migration_is_applied_on_reopen_and_only_it(db_path, migrations_dir):
    Database(db_path).close()
    (migrations_dir / "999_extra_table.sql").write_text(
        "-- Test only.\nCREATE TABLE extra_table (id INTEGER);\n", encoding="utf-8"
    )
    again = Database(db_path)
    try:
        assert (999, "999_extra_table") in [(v, n) for v, n, _ in recorded(again)]
        assert "extra_table" in again.tables()
        assert again.migrate() == []
    finally:
        again.close()


def test_a_failing_migration_leaves_nothing_behind(db_path, migrations_dir):
    Database(db_path).close()
    (migrations_dir / "999_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER);\nSELECT * FROM no_such_table;\n", encoding="utf-8"
    )
    with pytest.raises(StorageError, match="999_broken"):
        Database(db_path)
    (migrations_dir / "999_broken.sql").unlink()
    again = Database(db_path)
    try:
        assert "half_done" not in again.tables()
        assert 999 not in [v for v, _, _ in recorded(again)]
    finally:
        again.close()


@pytest.mark.parametrize(
    "bad_name",
    ["1_short_number.sql", "0001_long_number.sql", "002-dash.sql", "002_Capital.sql", "extra.sql"],
)
def test_a_malformed_migration_file_name_is_rejected(db_path, migrations_dir, bad_name):
    (migrations_dir / bad_name).write_text("CREATE TABLE never (id INTEGER);\n", encoding="utf-8")
    with pytest.raises(StorageError, match="NNN_name.sql"):
        migration_files()
    with pytest.raises(StorageError):
        Database(db_path)


def test_two_migrations_with_one_number_are_rejected(migrations_dir):
    (migrations_dir / "001_again.sql").write_text("SELECT 1;\n", encoding="utf-8")
    with pytest.raises(StorageError, match="share one number"):
        migration_files()


def test_migration_files_are_numbered_without_gaps():
    versions = [v for v, _, _ in migration_files()]
    assert versions == list(range(1, len(versions) + 1))


# An upgrade killed between a migration's COMMIT and the CHECKPOINT after it: DuckDB cannot
# replay most schema changes from its WAL ("no default database set"), so without the copy kept
# during upgrades (core/db.py) the file never opened again.
UPGRADE_KILLED = r"""
import os, sys
from contextlib import contextmanager
import core.db as d

old_versions = int(sys.argv[2])
every = d.migration_files
if sys.argv[3] == "old":
    d.migration_files = lambda: [m for m in every() if m[0] <= old_versions]
    db = d.Database(sys.argv[1])
    with db.cursor() as cur:
        cur.execute("INSERT INTO app_secrets VALUES ('kept-through-the-upgrade', 'yes', now())")
    db.close()
else:
    class KilledAtCheckpoint:  # the real cursor, but the process dies on CHECKPOINT
        def __init__(self, cur):
            self.cur = cur

        def execute(self, sql, *args):
            if sql.strip().upper() == "CHECKPOINT":
                os._exit(9)
            return self.cur.execute(sql, *args)

    real_migrate, real_cursor = d.Database.migrate, d.Database.cursor

    def migrate(self):  # the real migrations, killed right after the last COMMIT
        @contextmanager
        def cursor():
            with real_cursor(self) as cur:
                yield KilledAtCheckpoint(cur)

        self.cursor = cursor
        return real_migrate(self)

    d.Database.migrate = migrate
    d.Database(sys.argv[1])
"""


def test_an_upgrade_killed_before_its_checkpoint_leaves_a_file_that_opens(tmp_path):
    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "practice.duckdb"
    old = 4  # the new migrations create tables, which the WAL cannot replay
    run = [sys.executable, "-c", UPGRADE_KILLED, str(path), str(old)]
    subprocess.run([*run, "old"], check=True, cwd=root, timeout=120)
    killed = subprocess.run([*run, "upgrade"], cwd=root, timeout=120)
    assert killed.returncode == 9
    assert Path(f"{path}.wal").exists() and Path(f"{path}.pre-upgrade").exists()

    db = Database(path)  # puts the copy back and upgrades again
    try:
        assert [v for v, _, _ in recorded(db)] == [v for v, _, _ in migration_files()]
        assert rows(db, "SELECT value FROM app_secrets WHERE name = 'kept-through-the-upgrade'")
        assert "audit_log" in db.tables()
    finally:
        db.close()
    assert not Path(f"{path}.pre-upgrade").exists()


def test_an_upgrade_copy_killed_half_way_is_dropped_and_the_file_upgraded(db_path, migrations_dir):
    Database(db_path).close()
    part = Path(f"{db_path}.pre-upgrade.part")
    part.write_bytes(b"half a copy")
    (migrations_dir / "999_extra_table.sql").write_text(
        "CREATE TABLE extra_table (id INTEGER);\n", encoding="utf-8"
    )
    db = Database(db_path)
    try:
        assert "extra_table" in db.tables()
    finally:
        db.close()
    assert not part.exists() and not Path(f"{db_path}.pre-upgrade").exists()


def test_an_upgrade_without_room_for_its_copy_says_so_and_changes_nothing(
    db_path, migrations_dir, monkeypatch
):
    Database(db_path).close()
    (migrations_dir / "999_extra_table.sql").write_text(
        "CREATE TABLE extra_table (id INTEGER);\n", encoding="utf-8"
    )
    real_open = os.open

    def full_disk(file, flags, *args, **kwargs):
        if str(file).endswith(".pre-upgrade.part"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", full_disk)  # the copy's file (core.db.copy_bytes)
    with pytest.raises(StorageError, match="Free as much disk space"):
        Database(db_path)
    monkeypatch.setattr(os, "open", real_open)
    assert not Path(f"{db_path}.pre-upgrade").exists()
    db = Database(db_path)  # with room again: upgraded
    try:
        assert "extra_table" in db.tables()
    finally:
        db.close()
