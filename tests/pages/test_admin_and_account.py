"""The admin page (accounts, moving couples) and a counselor's own account page."""

import pytest

from core import accounts, couples, erasure
from tests.conftest import erase_for_good, make_couple
from tests.pages.conftest import (
    caseload_rows,
    html_pinned,
    html_table,
    new_app,
    open_tab,
    signed_in,
    text_of,
    visible_text,
)
from ui import state

ADMIN = "pages/9_Admin.py"
ACCOUNT = "pages/8_Account.py"


def test_counselor_is_refused_the_admin_page(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo", page=ADMIN)
    assert not at.exception
    assert "for practice admins" in visible_text(at)
    assert "riley" not in visible_text(at)


def test_admin_creates_an_account_that_must_change_its_password(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    at.text_input(key="admin.new.name").input("Sam Lee")
    at.text_input(key="admin.new.username").input("sam")
    at.text_input(key="admin.new.password").input("first-password-9")
    at.button(key="admin.new.submit").click().run()
    assert not at.exception
    sam = accounts.authenticate(demo_db, "sam", "first-password-9")
    assert sam.must_change_password and sam.role == "counselor"


def test_admin_deactivates_and_resets(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    riley = accounts.authenticate(demo_db, "riley", "riley-password")
    at.selectbox(key="admin.account").set_value(riley.counselor_id).run()
    at.button(key="admin.reset").click().run()
    assert not at.exception
    assert "Temporary password" in visible_text(at)
    at.button(key="admin.deactivate").click().run()
    assert not at.exception
    # Asked first, with what it means for Riley's couples.
    assert demo_db.one("counselors/get", id=riley.counselor_id)["active"]
    (question,) = [text_of(w) for w in at.warning if "Deactivate" in text_of(w)]
    assert "still has 2 active couples" in question and "Move a couple" in question
    at.button(key="admin.deactivating.yes").click().run()
    assert not at.exception
    row = demo_db.one("counselors/get", id=riley.counselor_id)
    assert not row["active"] and row["must_change_password"]
    assert [text_of(s) for s in at.success] == [
        f"{row['display_name']} is deactivated and signed out."
    ]
    # Their couples, on the whole practice's caseload, say so until they are moved.
    home = signed_in(demo_db, db_path, "admin")
    counselors = {r["Counselor"] for r in caseload_rows(home)}
    assert f"{row['display_name']} (deactivated)" in counselors


def test_admin_cannot_deactivate_themselves(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    me = at.session_state[state.ACTOR]
    at.selectbox(key="admin.account").set_value(me.counselor_id).run()
    at.button(key="admin.deactivate").click().run()
    assert not at.exception
    assert any("your own account" in text_of(e) for e in at.error)


def test_admin_moves_a_couple_to_another_counselor(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    riley = accounts.authenticate(demo_db, "riley", "riley-password")
    open_tab(at, "admin.tab", "Move a couple")
    at.text_input(key="admin.move.q").input("Rachel").run()
    at.selectbox(key="admin.move.to").set_value(riley.counselor_id)
    at.button(key="admin.move.submit").click().run()
    assert not at.exception
    assert "Rachel & Marcus" in [r["label"] for r in couples.caseload(demo_db, riley)]


def test_counselor_changes_their_password_and_old_sessions_end(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley", page=ACCOUNT)
    before = at.session_state[state.ACTOR]
    at.text_input(key="account-password.current").input("riley-password")
    at.text_input(key="account-password.new").input("a-brand-new-one")
    at.text_input(key="account-password.again").input("a-brand-new-one")
    at.button(key="account-password.submit").click().run()
    assert not at.exception
    assert "Password changed" in visible_text(at)
    assert accounts.current(demo_db, before.session_id) is None
    assert accounts.authenticate(demo_db, "riley", "a-brand-new-one")


def test_wrong_current_password_is_explained(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley", page=ACCOUNT)
    at.text_input(key="account-password.current").input("not-it-at-all")
    at.text_input(key="account-password.new").input("a-brand-new-one")
    at.text_input(key="account-password.again").input("a-brand-new-one")
    at.button(key="account-password.submit").click().run()
    assert any("current password" in text_of(e) for e in at.error)


def test_admin_sees_encryption_off_and_cannot_back_up_a_plain_database(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    open_tab(at, "admin.tab", "Data safety")
    assert "Encryption at rest is **off**" in visible_text(at)
    assert "TANDEM_COOKIE_KEY" not in visible_text(at)  # set here: not read from the file
    assert at.button(key="admin.backup").disabled
    # Why, on the page itself: a greyed-out button's tooltip is never seen on a tablet.
    assert any("only of an encrypted database" in text_of(w) for w in at.warning)


def test_admin_reads_the_audit_trail_filtered_by_action(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    assert not at.exception
    accounts_table = html_table(at, "tandem-accounts")
    assert "admin" in [r["Username"] for r in accounts_table]
    # In sight while the rest scrolls sideways.
    assert html_pinned(at, "tandem-accounts") == {"Name"}
    # Only the open tab runs: the trail is read once its tab is opened.
    assert "audit.action" not in [w.key for w in at.selectbox]
    open_tab(at, "admin.tab", "Audit trail")
    at.selectbox(key="audit.action").set_value("sign_in").run()
    assert not at.exception
    (frame,) = [t.value for t in at.dataframe]
    assert list(frame.columns) == [
        "When (UTC)", "Who", "Kind", "Account id", "Action", "Record", "Couple id", "Detail", "Entry"
    ]  # fmt: skip
    assert set(frame["Action"]) == {"sign_in"}
    assert "admin" in set(frame["Who"])


def test_data_safety_says_how_many_erased_couples_wait_for_a_compaction(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    open_tab(at, "admin.tab", "Data safety")
    assert "No couple has been erased." in [c.value for c in at.caption]
    demo = accounts.authenticate(demo_db, "demo", "demo-password")
    cid = make_couple(demo_db, demo, "Gone", "Soon")
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    erase_for_good(demo_db, admin, cid, "Gone & Soon")
    at.run()
    assert not at.exception
    assert any(
        w.value.startswith(
            "1 couple was erased, and the database file has never been compacted. Tandem shows "
            "nothing of them, but their words stay in the database file until `./run manage "
            "compact`"
        )
        and w.value.endswith("and in every backup made before that.")
        for w in at.warning
    )


def test_the_backups_kept_are_listed_newest_first(demo_db, db_path, tmp_path, monkeypatch):
    """A plain table (it was a data grid): each backup's file name and size."""
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "tandem-20261101-120000.duckdb").write_bytes(b"x" * 1_500_000)
    (folder / "tandem-20261120-090000.duckdb").write_bytes(b"x" * 20_000)
    (folder / "notes.txt").write_text("not a backup")
    monkeypatch.setenv("TANDEM_BACKUP_DIR", str(folder))
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    open_tab(at, "admin.tab", "Data safety")
    assert not at.exception
    assert html_table(at, "tandem-backups") == [
        {
            "Backup": "tandem-20261120-090000.duckdb",
            "Size (MB)": "0.02",
            "Couples erased since": "0",
        },
        {
            "Backup": "tandem-20261101-120000.duckdb",
            "Size (MB)": "1.50",
            "Couples erased since": "0",
        },
    ]


def test_each_backup_says_how_many_couples_were_erased_after_it_was_made(
    demo_db, db_path, tmp_path, monkeypatch
):
    """A backup made before an erasure still holds the couple: the list says so, and that a
    restore erases them again."""
    from datetime import timedelta

    from core import backups
    from core.clock import utcnow

    folder = tmp_path / "backups"
    folder.mkdir()
    now = utcnow()
    old, new = (backups.backup_name(now - timedelta(days=d)) for d in (2, 1))
    for name in (old, new):
        (folder / name).write_bytes(b"x")
    monkeypatch.setenv("TANDEM_BACKUP_DIR", str(folder))
    demo = accounts.authenticate(demo_db, "demo", "demo-password")
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    for name in ("Ana", "Bea"):
        erase_for_good(demo_db, admin, make_couple(demo_db, demo, name, "Gone"), f"{name} & Gone")
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    open_tab(at, "admin.tab", "Data safety")
    assert not at.exception
    assert [r["Couples erased since"] for r in html_table(at, "tandem-backups")] == ["2", "2"]
    assert any(
        c.value.startswith("2 of these backups were made before an erasure and may still hold")
        and "A restore erases them again" in c.value
        for c in at.caption
    )


def test_the_admin_sees_counselors_requests_to_erase_and_opens_the_couple(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    open_tab(at, "admin.tab", "Data safety")
    assert any(c.value.startswith("No request. Only an admin can erase") for c in at.caption)
    demo = accounts.authenticate(demo_db, "demo", "demo-password")
    cid = make_couple(demo_db, demo, "Asked", "Tobegone")
    erasure.request(demo_db, demo, cid, "the couple asked", "e-mail of 2 May")
    at.run()
    (row,) = html_table(at, "tandem-erasure-requests")
    assert {
        "No.": str(cid),
        "Couple": "Asked & Tobegone",
        "Asked by": "Dana Demo",
        "Reason": erasure.REASONS["the couple asked"],
        "Note": "e-mail of 2 May",
    }.items() <= row.items()
    at.button(key="admin.erasure.open").click().run()
    assert not at.exception
    # On the couple's page, on the tab where it is erased.
    assert at.session_state[state.COUPLE_ID] == cid
    assert at.button(key="couple.delete") and at.button(key="couple.decline")


def test_data_safety_lists_couples_past_retention_and_erases_them_on_the_typed_count(
    demo_db, db_path, monkeypatch
):
    from datetime import timedelta

    from core import retention
    from core.clock import utcnow
    from core.errors import NotFound

    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    open_tab(at, "admin.tab", "Data safety")
    assert any("No archived couple is past the retention period" in c.value for c in at.caption)
    demo = accounts.authenticate(demo_db, "demo", "demo-password")
    cid = make_couple(demo_db, demo, "Long", "Ago")
    couples.set_archived(demo_db, demo, cid, True)
    later = utcnow() + timedelta(days=8 * 366)  # the clock eight years on
    monkeypatch.setattr(retention, "utcnow", lambda: later)
    at.run()
    assert not at.exception
    rows = html_table(at, "tandem-retention")
    assert list(rows[0]) == ["No.", "Couple", "Counselor", "Archived on"]
    assert {"No.": str(cid), "Couple": "Long & Ago"}.items() <= rows[-1].items()  # newest last
    count = len(rows)
    at.text_input(key="admin.retention.typed").input("ERASE").run()
    at.button(key="admin.retention.erase").click().run()
    assert any(f"Type ERASE {count}" in text_of(e) for e in at.error)
    assert couples.get(demo_db, demo, cid)  # nothing erased
    at.text_input(key="admin.retention.typed").input(f"ERASE {count}")
    at.button(key="admin.retention.erase").click().run()
    assert not at.exception
    assert f"Erased for good: {count} couple" in visible_text(at)
    with pytest.raises(NotFound):
        couples.get(demo_db, demo, cid)
    assert any("No archived couple is past the retention period" in c.value for c in at.caption)


def test_retention_erases_only_couples_the_admin_saw_listed(demo_db, db_path, monkeypatch):
    """Between the list and the click, one couple is restored and another comes due: the count
    typed still matches, but only what was on screen may go."""
    from datetime import timedelta

    from core import retention
    from core.clock import utcnow

    demo = accounts.authenticate(demo_db, "demo", "demo-password")
    seen, unseen = (make_couple(demo_db, demo, n, "Ago") for n in ("Seen", "Unseen"))
    couples.set_archived(demo_db, demo, seen, True)
    later = utcnow() + timedelta(days=8 * 366)
    monkeypatch.setattr(retention, "utcnow", lambda: later)
    at = signed_in(demo_db, db_path, "admin", page=ADMIN)
    open_tab(at, "admin.tab", "Data safety")
    count = len(html_table(at, "tandem-retention"))
    couples.set_archived(demo_db, demo, seen, False)  # restored meanwhile
    couples.set_archived(demo_db, demo, unseen, True)  # due meanwhile, never shown
    at.text_input(key="admin.retention.typed").input(f"ERASE {count}")
    at.button(key="admin.retention.erase").click().run()
    assert not at.exception
    assert couples.get(demo_db, demo, unseen)["status"] == "archived"
    assert couples.get(demo_db, demo, seen)["status"] == "active"


def test_a_test_restore_on_the_page_is_recorded_in_the_practices_own_trail(
    db_path, tmp_path, monkeypatch
):
    """A copy restored to test a backup held the only row saying so, and was then deleted."""
    from core import audit, backups, demo
    from core.db import Database
    from tests.sql.test_encryption_and_backups import KEY

    db = Database(db_path, KEY)
    demo.seed(db)
    folder = tmp_path / "backups"
    made = backups.make_backup(db, None, folder, KEY, keep=3)
    actor = accounts.authenticate(db, "admin", "admin-password")
    actor = accounts.start_session(db, actor, accounts.session_expiry(1))
    db.close()  # an encrypted file is attached once per process: the app's, from here on
    monkeypatch.setenv("TANDEM_BACKUP_DIR", str(folder))
    monkeypatch.setenv("TANDEM_DB_KEY", KEY)
    at = new_app(db_path)
    at.session_state[state.ACTOR] = actor
    at.run()
    at.switch_page(ADMIN).run()
    open_tab(at, "admin.tab", "Data safety")
    assert not at.exception
    at.button(key="admin.restore.test").click().run()
    assert not at.exception
    (said,) = [text_of(s) for s in at.success if "restores" in text_of(s)]
    assert said.startswith(f"{made.name} restores: the copy opened with ")
    assert said.endswith("The copy is deleted.")
    assert [p.name for p in folder.iterdir()] == [made.name]
    open_tab(at, "admin.tab", "Audit trail")
    (frame,) = [t.value for t in at.dataframe]
    (tested,) = frame[frame["Record"] == audit.RESTORE_TESTED].to_dict("records")
    assert tested["Who"] == "admin" and tested["Detail"].startswith(f"{made.name}: opened")
