"""Numbered migrations: applied once, recorded, never re-applied, and named strictly."""

from __future__ import annotations

import shutil

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
