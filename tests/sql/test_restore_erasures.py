"""A restore never brings back a couple erased after its backup was made, and the database in
use records every restore, a test restore from the Admin page included."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core import accounts, audit, backups, demo, manage
from core.clock import utcnow
from core.db import Database
from core.errors import LoginRefused, PermissionDenied, StorageError
from tests.conftest import erase_for_good, make_couple, rows, run_at_once
from tests.sql.test_encryption_and_backups import KEY
from tests.sql.test_erasure import rows_for

ROOT = Path(__file__).resolve().parents[2]


def practice(path: Path, key: str = KEY) -> tuple[Database, dict[str, int]]:
    """The demo practice and three couples of the demo counselor: erased before the backup,
    erased after it, and kept."""
    db = Database(path, key)
    demo.seed(db)
    me = accounts.authenticate(db, "demo", "demo-password")
    made = {name: make_couple(db, me, name, "Pat") for name in ("Before", "After", "Kept")}
    return db, made


def admin_of(db: Database):
    return accounts.authenticate(db, "admin", "admin-password")


def trail_of(db: Database, obj: str) -> list[tuple]:
    return rows(
        db,
        "SELECT actor_kind, action, couple_ref, detail FROM audit_log WHERE object = $o "
        "ORDER BY id",
        o=obj,
    )


def test_a_restore_keeps_the_accounts_as_they_are_now_and_ends_every_sign_in(
    tmp_path, monkeypatch, capsys
):
    # A counselor deactivated, or a password changed (a leaked one, say), after the backup was
    # made: restored as the backup had them, the old password opened the practice again, and
    # so did a remember-me cookie signed out of since (a privacy review).
    live_path = tmp_path / "practice.duckdb"
    db, _ = practice(live_path)
    admin = admin_of(db)
    demo_user = accounts.authenticate(db, "demo", "demo-password")
    accounts.start_session(db, demo_user, accounts.session_expiry(24))
    backup = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    accounts.reset_password(db, admin, admin.counselor_id, "a-new-admin-pass-2026")
    accounts.set_active(db, admin, demo_user.counselor_id, False)
    db.close()

    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    target = tmp_path / "restored.duckdb"
    assert manage.main(["restore", str(backup), "--to", str(target), "--db", str(live_path)]) == 0
    said = capsys.readouterr().out
    assert "2 changed since the backup" in said and "everyone signs in again" in said

    restored = Database(target, KEY)
    with pytest.raises(LoginRefused):
        accounts.authenticate(restored, "demo", "demo-password")  # deactivated since
    with pytest.raises(LoginRefused):
        accounts.authenticate(restored, "admin", "admin-password")  # the old password
    assert accounts.authenticate(restored, "admin", "a-new-admin-pass-2026").is_admin
    assert rows(restored, "SELECT count(*) FROM auth_sessions WHERE revoked_at IS NULL") == [(0,)]
    (note,) = trail_of(restored, audit.RESTORED)
    assert note[3].endswith("accounts brought up to it: 2; every sign-in ended")
    restored.close()


def test_manage_restore_erases_again_the_couples_erased_after_the_backup(
    tmp_path, monkeypatch, capsys
):
    live_path = tmp_path / "practice.duckdb"
    db, made = practice(live_path)
    erase_for_good(db, admin_of(db), made["Before"], "Before & Pat")
    backup = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    made_bytes = backup.read_bytes()
    erase_for_good(db, admin_of(db), made["After"], "After & Pat")
    late = make_couple(db, accounts.authenticate(db, "demo", "demo-password"), "Late", "Pat")
    erase_for_good(db, admin_of(db), late, "Late & Pat")  # made after the backup: not in it
    db.close()

    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    target = tmp_path / "restored.duckdb"
    args = ["restore", str(backup), "--to", str(target), "--db", str(live_path)]
    assert manage.main(args) == 0
    said = capsys.readouterr().out
    assert f"1 couple erased in {live_path} after the backup was made was erased again" in said
    assert f"no. {made['After']}" in said and "manage compact" in said

    restored = Database(target, KEY)
    assert set(rows_for(restored, made["After"]).values()) == {0}  # every table, generically
    assert rows_for(restored, made["Kept"])["partners"] == 2
    (again,) = [r for r in trail_of(restored, audit.ERASED) if r[2] == made["After"]]
    assert again[:2] == ("system", "delete") and "erased again in a restore" in again[3]
    (note,) = trail_of(restored, audit.RESTORED)
    assert note[3] == (
        f"{backup.name}; couples erased after it in {live_path.name}: 1 erased again "
        f"(no. {made['After']}); accounts brought up to it: 0; every sign-in ended"
    )
    restored.close()
    assert backup.read_bytes() == made_bytes  # the backup itself is untouched

    live = Database(live_path, KEY)
    (written,) = trail_of(live, audit.RESTORE_WRITTEN)
    assert written[:2] == ("system", "create")
    assert written[3] == (
        f"{backup.name} into {target}; couples erased since the backup: 1 erased again "
        f"(no. {made['After']}); accounts brought up to this database: 0"
    )
    live.close()

    # The restored file, once in use, is the live database of the next restore: still erased.
    again_target = tmp_path / "again.duckdb"
    args = ["restore", str(backup), "--to", str(again_target), "--db", str(target)]
    assert manage.main(args) == 0
    second = Database(again_target, KEY)
    assert rows_for(second, made["After"])["partners"] == 0
    second.close()


def test_a_backup_of_another_database_is_refused_and_nothing_is_written(
    tmp_path, monkeypatch, capsys
):
    """Couple numbers name other couples in another practice (or in a database restored since
    from an older backup): erasing by number there could erase a couple nobody asked to."""
    db, made = practice(tmp_path / "one.duckdb")
    backup = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    db.close()
    other, theirs = practice(tmp_path / "other.duckdb")
    erase_for_good(other, admin_of(other), theirs["After"], "After & Pat")
    other.close()
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    target = tmp_path / "restored.duckdb"
    args = ["restore", str(backup), "--to", str(target), "--db", str(tmp_path / "other.duckdb")]
    assert manage.main(args) == 1
    assert "is not an earlier copy of the database" in capsys.readouterr().err
    assert not list(tmp_path.glob("restored.duckdb*"))
    other = Database(tmp_path / "other.duckdb", KEY)
    assert trail_of(other, audit.RESTORE_WRITTEN) == []
    other.close()


def test_without_a_live_database_the_restore_says_what_to_do(tmp_path, monkeypatch, capsys):
    db, made = practice(tmp_path / "practice.duckdb")
    backup = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    erase_for_good(db, admin_of(db), made["After"], "After & Pat")
    db.close()
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    target = tmp_path / "restored.duckdb"
    missing = tmp_path / "lost.duckdb"
    assert manage.main(["restore", str(backup), "--to", str(target), "--db", str(missing)]) == 1
    assert "--without-live" in capsys.readouterr().err
    assert not target.exists() and not missing.exists()

    args = ["restore", str(backup), "--to", str(target), "--without-live"]
    assert manage.main(args) == 0
    assert "Not checked against a live database" in capsys.readouterr().out
    restored = Database(target, KEY)
    assert rows_for(restored, made["After"])["partners"] == 2  # it came back, as said
    assert trail_of(restored, audit.RESTORED)[0][3].endswith(
        "not checked against a live database for later erasures or account changes; every "
        "sign-in ended"
    )
    restored.close()


def test_a_restore_waits_for_the_server_on_the_live_database_to_stop(tmp_path, monkeypatch, capsys):
    live_path = tmp_path / "practice.duckdb"
    db, _ = practice(live_path)
    backup = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    db.close()
    holder = subprocess.Popen(  # a server: another process with the database open
        [
            sys.executable,
            "-c",
            "import sys, time; from core.db import Database; "
            f"db = Database({str(live_path)!r}, {KEY!r}); print('open', flush=True); "
            "sys.stdin.read()",
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("TANDEM_DB_KEY", KEY)
        target = tmp_path / "restored.duckdb"
        args = ["restore", str(backup), "--to", str(target), "--db", str(live_path)]
        assert manage.main(args) == 1
        err = capsys.readouterr().err
        assert "A Tandem server has" in err and "stop it, then restore" in err
        assert "Test a restore" in err
        assert not target.exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_backup_from_before_a_key_rotation_restores_under_the_key_in_use(
    tmp_path, monkeypatch, capsys
):
    live_path = tmp_path / "practice.duckdb"
    db, made = practice(live_path)
    backup = backups.make_backup(db, None, tmp_path / "backups", KEY, keep=3)
    made_bytes = backup.read_bytes()
    erase_for_good(db, admin_of(db), made["After"], "After & Pat")
    db.close()
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    monkeypatch.setenv("TANDEM_NEW_DB_KEY", "the-new-key-after-rotation")
    assert manage.main(["rotate-key", "--db", str(live_path)]) == 0
    target = tmp_path / "restored.duckdb"
    args = ["restore", str(backup), "--to", str(target), "--db", str(live_path)]
    assert manage.main(args) == 1  # the old key does not open the database in use
    assert "TANDEM_DB_KEY does not open the database" in capsys.readouterr().err
    monkeypatch.setenv("TANDEM_LIVE_DB_KEY", "the-new-key-after-rotation")
    assert manage.main(args) == 0
    said = capsys.readouterr().out
    assert "written under TANDEM_LIVE_DB_KEY" in said and "holds none of their words" in said
    # The new file opens with the key the practice uses now; it was written under the key it
    # had rotated away from, which the server was no longer given.
    with pytest.raises(StorageError, match="not this file's key"):
        Database(target, KEY)
    restored = Database(target, "the-new-key-after-rotation")
    assert rows_for(restored, made["After"])["partners"] == 0
    assert rows_for(restored, made["Kept"])["partners"] == 2
    assert f"(no. {made['After']}); accounts brought up" in trail_of(restored, audit.RESTORED)[0][3]
    restored.close()
    assert not [p for p in tmp_path.glob("restored.duckdb.*") if not p.name.endswith(".lock")]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert backup.read_bytes() == made_bytes  # the backup itself is untouched


def test_a_test_restore_on_the_admin_page_is_recorded_in_the_database_in_use(tmp_path):
    """It was recorded only in the restored copy, which a test then deletes."""
    db, made = practice(tmp_path / "practice.duckdb")
    folder = tmp_path / "backups"
    backup = backups.make_backup(db, None, folder, KEY, keep=3)
    erase_for_good(db, admin_of(db), made["After"], "After & Pat")
    with pytest.raises(PermissionDenied):
        backups.try_restore(
            db, accounts.authenticate(db, "demo", "demo-password"), folder, backup.name, KEY
        )
    with pytest.raises(StorageError, match="no longer there"):
        backups.try_restore(db, admin_of(db), folder, "../practice.duckdb", KEY)
    before = sorted(p.name for p in folder.iterdir())

    tried = backups.try_restore(db, admin_of(db), folder, backup.name, KEY)
    assert tried.erased_again == (made["After"],) and tried.checked
    assert tried.couples == rows(db, "SELECT count(*) FROM couples")[0][0]  # After erased
    assert sorted(p.name for p in folder.iterdir()) == before  # the copy is gone
    (tested,) = rows(
        db,
        "SELECT actor_label, action, detail FROM audit_log WHERE object = $o",
        o=audit.RESTORE_TESTED,
    )
    assert tested[:2] == ("admin", "create")
    assert tested[2] == (
        f"{backup.name}: opened, {tried.couples} couples; couples erased since the backup: "
        f"1 erased again (no. {made['After']}); the test copy deleted"
    )
    db.close()


def test_the_admin_learns_how_many_erasures_each_backup_was_made_before(tmp_path):
    db, made = practice(tmp_path / "practice.duckdb")
    ada = admin_of(db)
    first = backups.make_backup(db, None, tmp_path / "b", KEY, keep=5, now=datetime(2026, 1, 1))
    erase_for_good(db, ada, made["Before"], "Before & Pat")
    tomorrow = utcnow() + timedelta(days=1)
    second = backups.make_backup(db, None, tmp_path / "b", KEY, keep=5, now=tomorrow)
    assert backups.erased_after(db, ada, [second, first]) == {first.name: 1, second.name: 0}
    assert backups.erased_after(db, ada, [tmp_path / "notes.txt"]) == {}
    with pytest.raises(PermissionDenied):
        backups.erased_after(db, accounts.authenticate(db, "demo", "demo-password"), [first])
    db.close()


def test_test_restores_at_once_take_turns_and_leave_nothing(tmp_path):
    """Two at once (two admins, two tabs) shared one scratch file: they removed it under each
    other and failed with tracebacks, or restored a new empty database in its place."""
    db, made = practice(tmp_path / "practice.duckdb")
    folder = tmp_path / "backups"
    backup = backups.make_backup(db, None, folder, KEY, keep=3)
    ada, held = admin_of(db), rows(db, "SELECT count(*) FROM couples")[0][0]
    before = sorted(p.name for p in folder.iterdir())
    tried: list[backups.Restored] = []
    for _ in range(3):
        errors = run_at_once(
            3, lambda _: tried.append(backups.try_restore(db, ada, folder, backup.name, KEY))
        )
        assert all(isinstance(e, StorageError) for e in errors), errors
        assert {str(e) for e in errors} <= {backups.ANOTHER_TEST}
    assert tried and {t.couples for t in tried} == {held}
    assert sorted(p.name for p in folder.iterdir()) == before
    db.close()


def failed_tests(db: Database) -> list[str]:
    return [
        detail
        for (detail,) in rows(
            db, "SELECT detail FROM audit_log WHERE object = $o", o=audit.RESTORE_TESTED
        )
        if "did not restore" in detail
    ]


def test_a_test_restore_on_a_full_disk_says_so_leaves_nothing_and_is_recorded(
    tmp_path, monkeypatch
):
    db, _ = practice(tmp_path / "practice.duckdb")
    folder = tmp_path / "backups"
    backup = backups.make_backup(db, None, folder, KEY, keep=3)
    before = sorted(p.name for p in folder.iterdir())

    def disk_full(source, part):
        Path(part).write_bytes(b"half a copy")
        raise OSError(28, "No space left on device", str(part))

    monkeypatch.setattr(backups, "copy_bytes", disk_full)
    with pytest.raises(StorageError, match="No space left on device") as caught:
        backups.try_restore(db, admin_of(db), folder, backup.name, KEY)
    assert "as much free disk space as the backup" in str(caught.value)
    assert sorted(p.name for p in folder.iterdir()) == before
    (failed,) = failed_tests(db)
    assert failed.startswith(f"{backup.name}: did not restore (") and "No space" in failed
    db.close()


def test_a_test_restore_with_the_wrong_key_leaves_nothing_and_is_recorded(tmp_path):
    db, _ = practice(tmp_path / "practice.duckdb")
    folder = tmp_path / "backups"
    backup = backups.make_backup(db, None, folder, KEY, keep=3)
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(StorageError, match="not this file's key"):
        backups.try_restore(db, admin_of(db), folder, backup.name, "an-older-key-of-the-practice")
    assert sorted(p.name for p in folder.iterdir()) == before
    (failed,) = failed_tests(db)
    assert "not this file's key" in failed
    db.close()


def test_a_backup_whose_upgrade_fails_leaves_no_copy_to_be_restored_in_its_place(tmp_path):
    """Opening an older backup upgrades the copy, keeping a copy of it meanwhile: a failed
    upgrade left that beside the backup (a test restore's folder) or the new file, and the next
    restore into that file put it back in place of the backup it was given."""
    db, made = practice(tmp_path / "practice.duckdb")
    folder = tmp_path / "backups"
    good = backups.make_backup(db, None, folder, KEY, keep=3)
    broken = folder / "tandem-20200101-000000.duckdb"  # an older version's, whose upgrade fails
    older = Database(tmp_path / "older.duckdb", KEY)
    rows(older, "DELETE FROM schema_migrations WHERE version = 12")  # its table is there
    older.close()
    broken.write_bytes((tmp_path / "older.duckdb").read_bytes())
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(StorageError, match="could not be restored: Migration 012"):
        backups.try_restore(db, admin_of(db), folder, broken.name, KEY)
    assert sorted(p.name for p in folder.iterdir()) == before

    target = tmp_path / "restored.duckdb"
    with pytest.raises(StorageError, match="Migration 012"):
        backups.restore(broken, KEY, target)
    assert not list(tmp_path.glob("restored.duckdb*"))
    backups.restore(good, KEY, target)  # the practice's own backup, not the older one
    restored = Database(target, KEY)
    assert rows_for(restored, made["Kept"])["partners"] == 2
    restored.close()
    db.close()
