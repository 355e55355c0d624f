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
    me = accounts.authenticate(db, "demo", "demo-password")
    couples.delete_forever(db, me, cid, f"{ERASED} & Ottoline")
    left = snapshot(db)
    db.close()
    return left


def test_an_erased_couples_words_stay_in_the_file_until_it_is_compacted(tmp_path, capsys):
    path = tmp_path / "practice.duckdb"
    left = erase_a_couple(path)
    path.chmod(0o600)  # only its owner may read it: so may the compacted file
    for words in (ERASED, NOTE, FOCUS):  # DuckDB's behaviour: why compact exists
        assert words.encode() in file_bytes(path), words

    assert manage.main(["compact", "--db", str(path)]) == 0
    assert "compacted" in capsys.readouterr().out
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
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    assert manage.main(["compact", "--db", str(path)]) == 0
    assert b"Ottoline" not in file_bytes(path)  # a name still stored, but encrypted
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
    couples.delete_forever(db, me, cid, "Later & Erased")
    assert backups.erasures_since_compaction(db, admin)["erased"] == 1
    db.close()
