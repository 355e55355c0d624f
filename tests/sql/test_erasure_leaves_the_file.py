"""What "Delete for good" erases leaves the database file with `manage compact`.

DuckDB keeps a deleted row's bytes in the file until the space is reused, so a couple erased
on the Overview page could still be read from the file with a hex editor. `compact` rewrites
the database into a new file that holds only what is stored now.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from core import accounts, audit, backups, couples, demo, manage, sessions
from core.db import Database
from core.errors import PermissionDenied
from tests.conftest import erase_for_good
from tests.sql.test_encryption_and_backups import KEY, file_bytes, snapshot, without_file_events

ERASED = "Zephyrine Quokkaberg"
NOTE = "Quokkaberg estate, sold in secret"
FOCUS = "Quokkaberg: who tells the family"


def erase_a_couple(path: Path, key: str | None = None) -> dict[str, list]:
    """The demo practice and one couple with known words, erased through core; returns every
    table's rows after the erasure."""
    db = Database(path, key)
    demo.seed(db)
    me = accounts.authenticate(db, "demo", "demo-password")
    cid = couples.create(db, me, {"name": ERASED}, {"name": "Ottoline"}, NOTE)
    sessions.create(db, me, cid, {"held_on": "2026-11-20", "focus": FOCUS})
    db.close()  # checkpointed: the words are in the file itself
    db = Database(path, key)
    admin = accounts.authenticate(db, "admin", "admin-password")
    erase_for_good(db, admin, cid, f"{ERASED} & Ottoline")
    left = snapshot(db)
    db.close()
    return left


def pages(path: Path) -> set[bytes]:
    """The file's 4 KB pages past its three header pages, leaving out empty ones."""
    data = file_bytes(path)
    chunks = (data[at : at + 4096] for at in range(3 * 4096, len(data), 4096))
    return {chunk for chunk in chunks if chunk.strip(b"\x00")}


def test_an_erased_couples_words_stay_in_the_file_until_it_is_compacted(
    tmp_path, capsys, monkeypatch
):
    # Rows go into the new file in slices (one COPY ran out of memory at practice scale,
    # BENCHMARKS.md); slices this small cut every table with more than a few rows.
    monkeypatch.setattr("core.db.REWRITE_ROWS", 7)
    path = tmp_path / "practice.duckdb"
    left = erase_a_couple(path)
    path.chmod(0o600)  # only its owner may read it: so may the compacted file
    for words in (ERASED, NOTE, FOCUS):  # DuckDB's behaviour: why compact exists
        assert words.encode() in file_bytes(path), words

    monkeypatch.setattr("core.manage.SAY_WAIT_BYTES", 0)  # a big file: told it takes a while
    assert manage.main(["compact", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Compacting {path} (0.0 GB): every row is written into a new file")
    assert "compacted" in out
    assert b"Quokkaberg" not in file_bytes(path)  # in each of the three
    assert not Path(f"{path}.compacting").exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    db = Database(path)
    assert without_file_events(snapshot(db), audit.COMPACTED) == left  # everything else, exactly
    me = accounts.authenticate(db, "demo", "demo-password")
    new = couples.create(db, me, {"name": "After"}, {"name": "Compaction"}, "")
    assert new > max(row[0] for row in left["couples"])  # ids go on where they were
    db.close()


def test_an_encrypted_database_stays_encrypted_when_compacted(tmp_path, monkeypatch):
    path = tmp_path / "practice.duckdb"
    left = erase_a_couple(path, KEY)
    before = pages(path)
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    assert manage.main(["compact", "--db", str(path)]) == 0
    assert b"Ottoline" not in file_bytes(path)  # a name still stored, but encrypted
    # Rewritten, not copied: a copy of the file's bytes (what a backup is) would keep the
    # erased couple's encrypted blocks, readable by whoever has the key.
    left_over = len(pages(path) & before)
    assert left_over == 0
    db = Database(path, KEY)
    assert without_file_events(snapshot(db), audit.COMPACTED) == left
    db.close()


def test_compact_says_what_is_wrong_instead_of_a_traceback(tmp_path, capsys):
    missing = tmp_path / "none.duckdb"
    assert manage.main(["compact", "--db", str(missing)]) == 1
    assert "There is no database at" in capsys.readouterr().err
    path = tmp_path / "practice.duckdb"
    Database(path).close()
    Path(f"{path}.compacting").write_bytes(b"")
    assert manage.main(["compact", "--db", str(path)]) == 1
    assert "did not finish: remove it first" in capsys.readouterr().err


def test_a_compaction_duckdb_cannot_finish_says_so_and_leaves_the_file_as_it_was(
    tmp_path, capsys, monkeypatch
):
    """At 2,000 couples a rewrite under the 128MB working limit failed to commit (a
    TransactionException, not an OutOfMemoryException) and `manage` printed a traceback."""
    import duckdb

    import core.db

    path = tmp_path / "practice.duckdb"
    left = erase_a_couple(path)
    real = core.db.Database._copy_database

    def runs_out(db, target, key):
        real(db, target, key)  # a whole new file written, then the engine gives up
        raise duckdb.TransactionException(
            "TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB"
        )

    monkeypatch.setattr(core.db.Database, "_copy_database", runs_out)
    assert manage.main(["compact", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "ran out of working memory: set TANDEM_DB_MEMORY_LIMIT higher" in err
    assert f"{path} is as it was." in err
    assert not [p.name for p in tmp_path.iterdir() if "compacting" in p.name]
    db = Database(path)
    assert snapshot(db) == left
    db.close()


def test_the_database_its_wal_and_a_backup_are_readable_by_their_owner_only(tmp_path):
    path = tmp_path / "practice.duckdb"
    db = Database(path, KEY)
    demo.seed(db)
    wal = Path(f"{path}.wal")
    assert wal.exists()  # the seed's last writes, not yet checkpointed
    made = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=2)
    for written in (path, wal, made):
        assert stat.S_IMODE(written.stat().st_mode) == 0o600, written
    db.close()


def test_the_admin_is_told_how_many_erasures_wait_for_a_compaction(tmp_path):
    path = tmp_path / "practice.duckdb"
    erase_a_couple(path)
    db = Database(path)
    admin = accounts.authenticate(db, "admin", "admin-password")
    assert backups.erasures_since_compaction(db, admin) == {"compacted_at": None, "erased": 1}
    with pytest.raises(PermissionDenied):
        backups.erasures_since_compaction(db, accounts.authenticate(db, "demo", "demo-password"))
    db.close()

    manage.main(["compact", "--db", str(path)])
    db = Database(path)
    admin = accounts.authenticate(db, "admin", "admin-password")
    after = backups.erasures_since_compaction(db, admin)
    assert after["erased"] == 0 and after["compacted_at"] is not None
    me = accounts.authenticate(db, "demo", "demo-password")
    cid = couples.create(db, me, {"name": "Later"}, {"name": "Erased"}, "")
    erase_for_good(db, admin, cid, "Later & Erased")
    assert backups.erasures_since_compaction(db, admin)["erased"] == 1
    db.close()


def test_the_schema_has_no_foreign_keys_so_a_rewrite_may_copy_tables_in_any_order(tmp_path):
    """core.db.Database._copy_database writes the tables in name order."""
    db = Database(tmp_path / "practice.duckdb")
    with db.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'"
        )
        assert cur.fetchone()[0] == 0
    db.close()


def test_a_rewrite_whose_new_file_does_not_open_leaves_no_file_behind(
    tmp_path, capsys, monkeypatch
):
    """A new file that fails the check that it opens was left as `<db>.compacting`, and the
    next `compact` refused to start until someone removed it (found in review)."""
    import core.manage
    from core.errors import StorageError

    path = tmp_path / "practice.duckdb"
    Database(path).close()
    real = core.manage.Database

    def opens(file, key=None, **options):
        if str(file).endswith(".compacting"):
            raise StorageError(f"The database {file} could not be opened: checksum mismatch")
        return real(file, key, **options)

    monkeypatch.setattr(core.manage, "Database", opens)
    assert manage.main(["compact", "--db", str(path)]) == 1
    assert "could not be opened" in capsys.readouterr().err
    assert not [p.name for p in tmp_path.iterdir() if "compacting" in p.name]
    monkeypatch.setattr(core.manage, "Database", real)
    assert manage.main(["compact", "--db", str(path)]) == 0
