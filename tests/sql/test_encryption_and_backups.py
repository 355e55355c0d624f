"""Encryption at rest, key rotation, and encrypted backups that restore every table exactly."""

from pathlib import Path

import pytest

from core import accounts, audit, backups, couples, demo, links, manage
from core.db import Database
from core.errors import PermissionDenied, StorageError
from tests.conftest import make_counselor, make_couple, make_first_admin, rows

KEY = "correct-horse-battery-staple-42"
SECRET_NAME = "Zyxwvutsrq"
SECRET_ANSWER = "Qmnbvcxzlkj private answer"


def plant_secrets(db) -> None:
    """A known client name and a known free-text answer, written through core."""
    demo.seed(db)
    actor = accounts.authenticate(db, "demo", "demo-password")
    cid = make_couple(db, actor, SECRET_NAME, "Other")
    partner = couples.get(db, actor, cid)["partners"][0]
    issued = links.issue(db, actor, cid, partner["id"], "intake")
    links.save_answer(db, issued.token, "safety_note", SECRET_ANSWER)


def file_bytes(path: Path) -> bytes:
    wal = Path(f"{path}.wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def snapshot(db) -> dict[str, list]:
    """Every table's rows, sorted, for exact comparison."""
    out = {}
    with db.cursor() as cur:
        for table in db.tables():
            rows = cur.execute(f'SELECT * FROM "{table}"').fetchall()
            out[table] = sorted(rows, key=repr)
    return out


def test_encrypted_file_and_wal_hold_no_client_name_or_answer(tmp_path):
    path = tmp_path / "enc.duckdb"
    db = Database(path, KEY)
    plant_secrets(db)
    # Before a checkpoint the new rows live in the WAL: check it too, then after closing.
    assert SECRET_NAME.encode() not in file_bytes(path)
    assert SECRET_ANSWER.encode() not in file_bytes(path)
    db.close()
    assert SECRET_NAME.encode() not in file_bytes(path)
    assert SECRET_ANSWER.encode() not in file_bytes(path)


def test_plain_file_does_hold_them_so_the_check_above_can_fail(tmp_path):
    path = tmp_path / "plain.duckdb"
    db = Database(path)
    plant_secrets(db)
    db.close()
    assert SECRET_NAME.encode() in file_bytes(path)


@pytest.mark.parametrize(
    ("key", "message"),
    [(None, "is encrypted. Set TANDEM_DB_KEY"), ("wrong-key", "not this file's key")],
)
def test_opening_without_the_right_key_says_what_to_do(tmp_path, key, message):
    path = tmp_path / "enc.duckdb"
    Database(path, KEY).close()
    with pytest.raises(StorageError, match=message):
        Database(path, key)


def test_a_key_for_a_plain_file_says_to_encrypt_it_first(tmp_path):
    path = tmp_path / "plain.duckdb"
    Database(path).close()
    with pytest.raises(StorageError, match="not encrypted yet"):
        Database(path, KEY)


def test_backup_round_trip_restores_every_table_identically(tmp_path):
    db = Database(tmp_path / "live.duckdb", KEY)
    plant_secrets(db)
    before = snapshot(db)
    made = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    assert SECRET_NAME.encode() not in file_bytes(made)
    restored_path = tmp_path / "restored.duckdb"
    backups.restore(made, KEY, restored_path)
    restored = Database(restored_path, KEY)
    # Every row as it was, and the restore's own row in the copy's trail.
    assert without_file_events(snapshot(restored), audit.RESTORED) == before
    # Sequences carry on: a new couple does not reuse an id.
    actor = accounts.authenticate(restored, "demo", "demo-password")
    assert make_couple(restored, actor, "New", "Pair") > max(r[0] for r in before["couples"])


def test_a_restore_reads_the_backup_as_bytes_and_never_opens_it_as_a_database(
    tmp_path, monkeypatch
):
    """The backup is the database file under its key: the restore copies its bytes (one read)
    and opens only the copy, so the backup stays exactly as it was made."""
    import core.db

    db = Database(tmp_path / "live.duckdb", KEY)
    plant_secrets(db)
    made = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    db.close()
    made_bytes = made.read_bytes()
    opened = []
    real = core.db.Database.__init__
    monkeypatch.setattr(
        core.db.Database,
        "__init__",
        lambda self, path, *a, **k: opened.append(Path(path)) or real(self, path, *a, **k),
    )
    restored_path = tmp_path / "restored.duckdb"
    backups.restore(made, KEY, restored_path)
    assert made not in opened and opened  # the copy was opened (checked), the backup never
    assert made.read_bytes() == made_bytes
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]  # no lock, no WAL
    assert not list(tmp_path.glob("restored.duckdb.*"))  # no .part, no .part.lock
    assert accounts.authenticate(Database(restored_path, KEY), "demo", "demo-password")


def test_a_restore_with_the_wrong_key_names_the_backup_and_leaves_no_file(tmp_path):
    db = Database(tmp_path / "live.duckdb", KEY)
    made = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    db.close()
    restored_path = tmp_path / "restored.duckdb"
    with pytest.raises(StorageError, match=f"The backup {made} could not be restored") as e:
        backups.restore(made, "not-the-key-of-this-backup", restored_path)
    assert "not this file's key" in str(e.value) and ".part" not in str(e.value)
    assert not list(tmp_path.glob("restored.duckdb*"))


def test_a_restored_file_is_readable_by_its_owner_only_whatever_the_umask(tmp_path):
    """`manage restore` opens no database before it copies the backup, so Tandem's umask is not
    set yet: the copy came out 0644."""
    import os
    import stat

    db = Database(tmp_path / "live.duckdb", KEY)
    made = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    db.close()
    restored_path = tmp_path / "restored.duckdb"
    was = os.umask(0o022)  # a fresh process's usual umask
    try:
        backups.restore(made, KEY, restored_path)
    finally:
        os.umask(was)
    assert stat.S_IMODE(restored_path.stat().st_mode) == 0o600


def test_a_backup_removes_half_copied_ones_a_killed_process_left(tmp_path):
    """A process killed while it copied left `<backup>.part`: nothing removed it, and --keep
    does not count it (found in review). A fresh one may be a backup still being copied."""
    import os
    import time

    folder = tmp_path / "backups"
    folder.mkdir()
    old, fresh = folder / "tandem-20260101-000000.duckdb.part", folder / "notes.part"
    running = folder / "tandem-20260101-000001.duckdb.part"
    for part in (old, fresh, running):
        part.write_bytes(b"half")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    os.utime(fresh, (hours_ago, hours_ago))
    db = Database(tmp_path / "live.duckdb", KEY)
    backups.make_backup(db, None, folder, KEY, keep=3)
    assert not old.exists()
    assert fresh.exists() and running.exists()  # not a backup's name; a copy still going


def test_backups_are_encrypted_only_and_keep_the_newest(tmp_path):
    from datetime import datetime, timedelta

    db = Database(tmp_path / "live.duckdb", KEY)
    with pytest.raises(StorageError, match="always encrypted"):
        backups.make_backup(db, None, tmp_path / "b", None, keep=2)
    start = datetime(2026, 1, 1, 9, 0, 0)
    for n in range(4):
        backups.make_backup(db, None, tmp_path / "b", KEY, keep=2, now=start + timedelta(hours=n))
    names = [p.name for p in backups.list_backups(tmp_path / "b")]
    assert names == ["tandem-20260101-120000.duckdb", "tandem-20260101-110000.duckdb"]


def test_the_trail_says_who_made_each_backup_and_which_it_deleted(tmp_path):
    """A backup is a copy of every couple's data: *Back up now* left no trace in the trail."""
    from datetime import datetime

    db = Database(tmp_path / "live.duckdb", KEY)
    ada = make_first_admin(db)
    first = backups.make_backup(db, ada, tmp_path / "b", KEY, keep=1, now=datetime(2026, 1, 1))
    second = backups.make_backup(db, None, tmp_path / "b", KEY, keep=1, now=datetime(2026, 1, 2))
    trail = rows(
        db,
        "SELECT actor_kind, actor_label, action, detail FROM audit_log WHERE object = $o "
        "ORDER BY id",
        o=audit.BACKED_UP,
    )
    assert trail[0][1:] == ("ada", "create", first.name)
    assert trail[1][0] != "counselor" and trail[1][2:] == (
        "create",
        f"{second.name}; deleted {first.name}",
    )
    counselor = make_counselor(db, ada, "alex")
    with pytest.raises(PermissionDenied):
        backups.make_backup(db, counselor, tmp_path / "b", KEY, keep=1)


def without_file_events(tables: dict[str, list], *events: str) -> dict[str, list]:
    """Every table's rows less the trail's rows of what `manage` did to the file: one for each
    of `events`, in that order."""
    trail = sorted(tables["audit_log"], key=lambda row: row[0])  # by id: in the order made
    assert [row[7] for row in trail if row[7] in audit.FILE_EVENTS] == list(events)
    kept = [row for row in tables["audit_log"] if row[7] not in audit.FILE_EVENTS]
    return {**tables, "audit_log": kept}


def test_manage_encrypts_in_place_and_rotates_the_key(tmp_path, monkeypatch, capsys):
    path = tmp_path / "practice.duckdb"
    db = Database(path)
    plant_secrets(db)
    before = snapshot(db)
    db.close()
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    assert manage.main(["encrypt", "--db", str(path)]) == 0
    assert SECRET_NAME.encode() not in file_bytes(path)
    enc = Database(path, KEY)
    assert without_file_events(snapshot(enc), audit.ENCRYPTED) == before  # and the trail says so
    enc.close()
    monkeypatch.setenv("TANDEM_NEW_DB_KEY", "a-brand-new-key-99")
    assert manage.main(["rotate-key", "--db", str(path)]) == 0
    with pytest.raises(StorageError):
        Database(path, KEY)
    rotated = Database(path, "a-brand-new-key-99")
    assert without_file_events(snapshot(rotated), audit.ENCRYPTED, audit.REKEYED) == before


def test_manage_restores_into_a_new_file_only_and_the_trail_says_from_which_backup(
    tmp_path, monkeypatch, capsys
):
    db = Database(tmp_path / "practice.duckdb", KEY)
    demo.seed(db)
    before = snapshot(db)
    made = backups.make_backup(db, None, tmp_path / "backups", KEY, 3)
    db.close()
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    target = tmp_path / "restored.duckdb"
    live = ["--db", str(tmp_path / "practice.duckdb")]
    assert manage.main(["restore", str(made), "--to", str(target), *live]) == 0
    restored = Database(target, KEY)
    after = snapshot(restored)
    restored.close()
    assert without_file_events(after, audit.RESTORED) == before
    assert [row[8] for row in after["audit_log"] if row[7] == audit.RESTORED] == [
        f"{made.name}; couples erased after it in practice.duckdb: none erased again; accounts "
        "brought up to it: 0; every sign-in ended"
    ]
    assert not list(made.parent.glob("*.lock"))  # nothing left beside the backups

    # Never over a database that exists: that could be the one a server is using.
    assert manage.main(["restore", str(made), "--to", str(target), *live]) == 1
    assert "exists already: restore into a new file" in capsys.readouterr().err


def test_manage_backup_into_a_folder_that_is_a_file_says_so_without_a_traceback(
    tmp_path, monkeypatch, capsys
):
    path = tmp_path / "practice.duckdb"
    Database(path, KEY).close()
    (tmp_path / "backups").write_text("not a folder")
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    assert manage.main(["backup", "--db", str(path), "--dir", str(tmp_path / "backups")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("error: File exists") and str(tmp_path / "backups") in err


def test_a_backup_under_the_databases_key_is_the_checkpointed_file_and_a_failure_leaves_none(
    tmp_path, monkeypatch
):
    """COPY FROM DATABASE ran out of memory backing up 2,000 couples x 5 years even at 1,000MB
    (BENCHMARKS.md): under the database's own key the backup is the file's bytes after a
    checkpoint, unsent writes included. A copy that fails leaves no half-written file."""
    import core.db

    db = Database(tmp_path / "live.duckdb", KEY)
    plant_secrets(db)
    before = snapshot(db)  # everything written so far, some of it still in the WAL
    used = []
    real = core.db.Database._copy_database
    monkeypatch.setattr(core.db.Database, "_copy_database", lambda *a: used.append(a) or real(*a))
    made = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    assert not used  # the bytes, not COPY FROM DATABASE
    assert SECRET_NAME.encode() not in file_bytes(made)  # still encrypted
    restored_path = tmp_path / "restored.duckdb"
    backups.restore(made, KEY, restored_path)
    assert without_file_events(snapshot(Database(restored_path, KEY)), audit.RESTORED) == before

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(core.db.shutil, "copyfileobj", broken)  # core.db.copy_bytes
    target = tmp_path / "backups" / "broken.duckdb"
    with pytest.raises(OSError):
        db.copy_to(target, KEY)
    assert not any(p.name.startswith("broken.duckdb") for p in target.parent.iterdir())


def test_create_admin_from_the_shell_opens_the_file_with_the_key(tmp_path, monkeypatch):
    """An owner's walkthrough: with TANDEM_DB_KEY set, create-admin on a new file made it plain
    (the server then refused to start), and on an encrypted one asked for the key."""
    path = tmp_path / "practice.duckdb"
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    monkeypatch.setenv("TANDEM_ADMIN_PASSWORD", "a long owner's passphrase")
    args = ["create-admin", "--db", str(path), "--username", "pat", "--name", "Pat Owner"]
    assert manage.main(args) == 0
    assert b"Pat Owner" not in file_bytes(path)
    db = Database(path, KEY)  # encrypted with that key
    assert accounts.authenticate(db, "pat", "a long owner's passphrase").username == "pat"
    db.close()


def test_an_only_admin_locked_out_gets_a_new_password_at_the_server(tmp_path, monkeypatch, capsys):
    """An owner's walkthrough: create-admin refuses once an account exists, and nothing else let
    a practice's only admin back in."""
    path = tmp_path / "practice.duckdb"
    monkeypatch.delenv("TANDEM_DB_KEY", raising=False)
    monkeypatch.setenv("TANDEM_ADMIN_PASSWORD", "first owner passphrase")
    assert (
        manage.main(["create-admin", "--db", str(path), "--username", "pat", "--name", "Pat"]) == 0
    )
    monkeypatch.setenv("TANDEM_ADMIN_PASSWORD", "a fresh owner passphrase")
    assert manage.main(["reset-password", "--db", str(path), "--username", "PAT"]) == 0
    db = Database(path)
    actor = accounts.authenticate(db, "pat", "a fresh owner passphrase")
    assert actor.must_change_password and actor.is_admin
    db.close()
    monkeypatch.setenv("TANDEM_ADMIN_PASSWORD", "password12")  # refused, in words
    assert manage.main(["reset-password", "--db", str(path), "--username", "pat"]) == 1
    assert manage.main(["reset-password", "--db", str(path), "--username", "nobody"]) == 1
    assert "not available" in capsys.readouterr().err
