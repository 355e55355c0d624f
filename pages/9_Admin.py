"""Practice admin: counselor accounts (create, deactivate, reset, role, unlock) and moving couples."""

import secrets
from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from core import accounts, audit, backups, couples, erasure, retention
from core.clock import utcnow
from ui import state, tables
from ui.auth import require_admin, signed_in_download
from ui.once import Once, next_run
from ui.widgets import calm, choose, confirm_delete, lazy_tabs, plain, when

app, actor = require_admin("Admin")

# The audit trail's columns (sql/audit/search.sql) as the table heads them, in this order; the
# CSV keeps the stored names, for the tools that read it.
AUDIT_COLUMNS = {
    "occurred_at": "When (UTC)",
    "actor_label": "Who",
    "actor_kind": "Kind",
    "actor_id": "Account id",
    "action": "Action",
    "object": "Record",
    "couple_ref": "Couple id",
    "detail": "Detail",
    "id": "Entry",
}
ACCOUNT_HEAD = (
    "Name",
    "Username",
    "Role",
    "Active",
    "Must change password",
    "Active couples",
    "All couples",
)


st.title("Practice admin", anchor=False)
# Only the open tab runs (the audit search, the backups list and the accounts are read only when
# their tab is opened).
accounts_tab, move_tab, data_tab, audit_tab = lazy_tabs(
    ["Counselor accounts", "Move a couple", "Data safety", "Audit trail"], "admin.tab"
)


def accounts_table(people: list[dict]) -> None:
    """Every account of the practice: role, whether active, and its couples."""
    rows = [
        (
            p["display_name"],
            p["username"],
            p["role"],
            "yes" if p["active"] else "no",
            "yes" if p["must_change_password"] else "",
            tables.figure(p["active_couples"]),
            tables.figure(p["all_couples"]),
        )
        for p in people
    ]
    # The name stays on the left while a narrow screen scrolls the rest sideways; about
    # fifteen accounts in sight.
    st.html(
        tables.table_html(
            "tandem-accounts",
            "Accounts",
            ACCOUNT_HEAD,
            rows,
            "The practice's accounts",
            numbers={5, 6},
            max_height_rem=30,
        )
    )


def change_account(people: list[dict]) -> None:
    """Deactivate or reactivate one account, change its role, unlock its sign-in, or give it a
    temporary password."""
    st.header("Change an account", anchor=False)
    by_id = {p["id"]: p for p in people}
    shown = {i: f"{p['display_name']} ({p['username']})" for i, p in by_id.items()}
    chosen_id = choose("Account", shown, "admin.account")
    chosen = by_id[chosen_id]
    # A row that wraps, each button as wide as its words (in four columns a tablet cut them
    # to "Make couns…" and "Reset pass…").
    buttons = st.container(horizontal=True, wrap=True)
    deactivating = False
    if chosen["active"]:
        deactivating = buttons.button("Deactivate", key="admin.deactivate")
    elif buttons.button("Reactivate", key="admin.reactivate"):
        with calm():
            accounts.set_active(app.db, actor, chosen_id, True)
            st.rerun()
    other_role = "admin" if chosen["role"] == "counselor" else "counselor"
    if buttons.button(f"Make {other_role}", key="admin.role"):
        with calm():
            accounts.set_role(app.db, actor, chosen_id, other_role)
            st.rerun()
    if buttons.button("Unlock sign-in", key="admin.unlock", help="Clear failed sign-in attempts"):
        with calm():
            accounts.unlock(app.db, actor, chosen["username"])
            st.toast("Sign-in unlocked.")
    if buttons.button("Reset password", key="admin.reset"):
        temporary = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        with calm():
            accounts.reset_password(app.db, actor, chosen_id, temporary)
            st.success(
                f"Temporary password for {chosen['username']}: `{temporary}` — give it to them "
                "privately; they must choose their own at the next sign-in. It is not shown again."
            )
    # Asked first, with what it means for their couples: a walkthrough deactivated a counselor
    # with two active couples in one click, and nobody but an admin could open those then.
    name, left = plain(chosen["display_name"]), chosen["active_couples"]
    question = f"Deactivate {name}? They are signed out at once and cannot sign in again."
    if left:
        question += (
            f" {name} still has {left} active couple{'s' if left != 1 else ''}: until you give "
            f"{'them' if left != 1 else 'it'} to another counselor (Move a couple), only an "
            "admin can open them."
        )
    question += " Reactivate restores the account as it was."
    mine = chosen_id == actor.counselor_id  # refused by core at once, not asked about first
    if (
        deactivating
        and mine
        or confirm_delete(
            "admin.deactivating",
            chosen_id,
            deactivating,
            question,
            "Yes, deactivate",
            "Keep active",
            icon=":material/person_off:",
        )
    ):
        with calm():
            said = next_run()  # taken before the write: filling it cannot stop the run
            accounts.set_active(app.db, actor, chosen_id, False)
            said[state.NOTICE] = f"{name} is deactivated and signed out."
            st.rerun()


def new_account() -> None:
    """A new counselor's account, with a first password they must change."""
    st.header("New counselor account", anchor=False)
    # The form keeps what was typed until an account is made (a refused username must not
    # empty it); then it is drawn afresh, and a double-click creates once, never saying
    # "taken" about its own account (ui/once.py).
    made = Once("admin.accounts")
    k = made.key("admin.new")
    with st.form(k):
        c1, c2 = st.columns(2)
        name = c1.text_input("Name", key=f"{k}.name")
        username = c2.text_input("Username", key=f"{k}.username")
        email = c1.text_input("E-mail (optional)", key=f"{k}.email")
        role = c2.selectbox("Role", accounts.ROLES, key=f"{k}.role")
        password = st.text_input(
            "First password (they must change it at first sign-in)",
            type="password",
            key=f"{k}.password",
        )
        typed = any(str(v).strip() for v in (name, username, email, password))
        # An empty form sent this soon after a creation is a slow double-click's second
        # half (the first made the account and emptied the form): let pass, not refused.
        repeat = made.just_saved()
        if st.form_submit_button("Create account", key=f"{k}.submit") and (typed or not repeat):
            with calm({"password": "First password"}):
                made.run(
                    lambda: accounts.create_counselor(
                        app.db,
                        actor,
                        {
                            "display_name": name,
                            "username": username,
                            "email": email,
                            "role": role,
                        },
                        password,
                    ),
                    lambda _: {
                        state.NOTICE: f"Account {username.strip().lower()} created; they "
                        "choose their own password at first sign-in."
                    },
                )
                st.rerun()


def move_tab_body() -> None:
    """Hand a couple over to another counselor."""
    st.caption("Search the whole practice, then choose the counselor who takes the couple over.")
    q = st.text_input("Find a couple", key="admin.move.q", max_chars=100)
    found = couples.caseload(app.db, actor, q=q, status="all", whole_practice=True)[:200]
    if not found:
        st.info("No couple matches.")
    else:
        labels = {r["id"]: f"{r['label']} — {r['counselor_name']} (no. {r['id']})" for r in found}
        couple_id = choose("Couple", labels, "admin.move.couple")
        active = accounts.choosable_counselors(app.db, actor)
        names = {c["id"]: c["display_name"] for c in active}
        target = choose("Move to", names, "admin.move.to")
        if st.button("Move couple", key="admin.move.submit"):
            with calm():
                couples.reassign(app.db, actor, couple_id, target)
                moved = plain(labels[couple_id].split(" — ")[0])
                st.success(f"{moved} moved to {plain(names[target])}.")


RETENTION_SHOWN = "admin.retention.shown"  # the ids of the couples the list last showed


def retention_section() -> None:
    """Archived couples kept past the practice's retention period, to erase for good."""
    years = app.settings.retention_years
    period = f"{retention.period(years)} (TANDEM_RETENTION_YEARS)"
    st.header("Retention", anchor=False)
    # The couples on screen when the admin typed: the list is read again on the click's run, and
    # a couple that came due meanwhile must not be erased unseen in place of one restored.
    seen = st.session_state.get(RETENTION_SHOWN, [])
    listed = retention.due(app.db, actor, years)
    st.session_state[RETENTION_SHOWN] = [d.couple_id for d in listed]
    if not listed:
        st.caption(
            f"No archived couple is past the retention period of {period}. A couple is listed "
            "here to be erased once it has been archived, with nothing recorded for it, for "
            "longer than that; nothing is erased on its own."
        )
        return
    many = "1 archived couple has" if len(listed) == 1 else f"{len(listed)} archived couples have"
    st.caption(
        f"{many} been kept longer than the retention period of {period}. Erasing removes each "
        "couple and everything it holds, as “Delete for good” on its page does; the audit "
        "trail keeps a row for each, by number, without names. To keep one, restore it on its "
        "page."
    )
    st.html(
        tables.table_html(
            "tandem-retention",
            "Couples past the retention period",
            ("No.", "Couple", "Counselor", "Archived on"),
            [(str(d.couple_id), d.label, d.counselor_name, when(d.archived_at)) for d in listed],
            "Archived couples past the retention period, archived longest ago first",
            numbers={0},
            max_height_rem=20,
        )
    )
    want = retention.confirmation(len(listed))
    them = "this couple" if len(listed) == 1 else f"these {len(listed)} couples"
    with st.form("admin-retention", clear_on_submit=True):
        typed = st.text_input(f"Type {want} to erase {them} for good", key="admin.retention.typed")
        if st.form_submit_button(f"Erase {them} for good", key="admin.retention.erase"):
            with calm():
                erased = retention.erase_due(app.db, actor, years, seen, typed)
                said = next_run()
                said[state.NOTICE] = (
                    f"Erased for good: {erased} couple{'' if erased == 1 else 's'}. Their words "
                    "stay in the database file until `./run manage compact` is run (README: "
                    "Erasure and the file)."
                    if erased
                    else "Nothing was erased: the couples listed were restored or changed "
                    "meanwhile. Check the list again."
                )
                st.rerun()


def requests_section() -> None:
    """Counselors' requests to erase a couple: only an admin erases one for good."""
    st.header("Requests to erase a couple", anchor=False)
    asked = erasure.requests(app.db, actor)
    if not asked:
        st.caption(
            "No request. Only an admin can erase a couple for good; a counselor whose couple "
            "asks to be erased asks for it on the couple's page (Archive or delete), and the "
            "request is listed here."
        )
        return
    st.caption(
        "Counselors asked for these couples to be erased. Open one to erase it, or to decline "
        "the request, under Archive or delete. Before the end of the retention period an "
        "erasure needs a reason, which the audit trail keeps with it."
    )
    st.html(
        tables.table_html(
            "tandem-erasure-requests",
            "Requests to erase a couple",
            ("No.", "Couple", "Counselor", "Asked by", "On", "Reason", "Note"),
            [
                (
                    str(r["couple_id"]),
                    r["label"],
                    r["counselor_name"],
                    r["requested_by_name"] or "",
                    when(r["requested_at"]),
                    erasure.REASONS.get(r["reason"], r["reason"]),
                    r["note"],
                )
                for r in asked
            ],
            "Couples a counselor asked to be erased, oldest request first",
            numbers={0},
            max_height_rem=20,
        )
    )
    labels = {r["couple_id"]: f"{r['label']} (no. {r['couple_id']})" for r in asked}
    chosen = choose("Couple", labels, "admin.erasure.couple")
    if st.button("Open the couple", key="admin.erasure.open"):
        said = next_run()
        said.update({state.COUPLE_ID: chosen, "couple.tab": "Archive or delete"})
        st.switch_page("pages/1_Couple.py")


def backups_section() -> None:
    """The backups kept, how many erasures each was made before, and a test restore."""
    st.header("Backups", anchor=False)
    folder = app.settings.backup_dir
    st.caption(
        f"Encrypted copies of the whole practice in `{folder}`; the newest "
        f"{app.settings.backup_keep} are kept. `./run manage restore BACKUP --to NEW_FILE` "
        "restores one into a new file (README), which the server can then be pointed at; to "
        "check that a backup restores, use *Test a restore* below."
    )
    if not app.db.encrypted:
        # Said on the page: a tooltip on a greyed-out button is never seen on a tablet.
        st.warning(
            "Backups are made only of an encrypted database, and this one is not: set "
            "TANDEM_DB_KEY (README: Encryption at rest and backups), then back up.",
            icon=":material/lock_open:",
        )
    if st.button("Back up now", key="admin.backup", disabled=not app.db.encrypted):
        with calm():
            made = backups.make_backup(
                app.db, actor, folder, app.settings.db_key, app.settings.backup_keep
            )
            st.success(f"Backup written: {made.name}")
    existing = backups.list_backups(folder)
    if not existing:
        st.info("No backups yet.")
        return
    after = backups.erased_after(app.db, actor, existing)
    rows = [
        (p.name, f"{p.stat().st_size / 1e6:.2f}", tables.figure(after.get(p.name, 0)))
        for p in existing
    ]
    st.html(
        tables.table_html(
            "tandem-backups",
            "Backups",
            ("Backup", "Size (MB)", "Couples erased since"),
            rows,
            "The backups kept, newest first, with how many couples were erased after each",
            numbers={1, 2},
            max_height_rem=20,
        )
    )
    older = sum(1 for p in existing if after.get(p.name))
    if older:
        which = "1 of these backups was" if older == 1 else f"{older} of these backups were"
        st.caption(
            f"{which} made before an erasure and may still hold the couples erased since, "
            "encrypted, until newer backups replace them. A restore erases them "
            "again: `manage restore` reads this practice's database (TANDEM_DB, with the server "
            "stopped) for the couples erased after the backup was made, and erases them in the "
            "new file; *Test a restore* below does the same while Tandem runs."
        )
    st.markdown("**Test a restore**")
    st.caption(
        "Restores a backup into a scratch file beside it, erasing again the couples erased "
        "since it was made, checks that it opens, and deletes it. Tandem keeps running; the "
        "audit trail records the test. It needs as much free disk space as the backup."
    )
    names = {p.name: p.name for p in existing}
    chosen = choose("Backup to test", names, "admin.restore.backup")
    if st.button("Test a restore", key="admin.restore.test", disabled=not app.db.encrypted):
        with calm(), st.spinner("Restoring a copy…"):
            tried = backups.try_restore(app.db, actor, folder, chosen, app.settings.db_key)
            gone = len(tried.erased_again)
            again = (
                "; the couple erased since this backup was made was erased in it again"
                if gone == 1
                else f"; the {gone} couples erased since this backup was made were erased in it "
                "again"
            )
            st.success(
                f"{chosen} restores: the copy opened with {tried.couples} "
                f"couple{'' if tried.couples == 1 else 's'}"
                + (again if gone else "")
                + ". The copy is deleted."
            )


def data_tab_body() -> None:
    """Encryption at rest, couples erased since the last compaction, and the backups."""
    if app.db.encrypted:
        st.success("Encryption at rest is **on**: the database file is encrypted (AES-GCM).")
    else:
        # The remember-me cookies' signing key is then readable in the file too, unless it is
        # set from outside (a security review): whoever reads the file could sign a cookie.
        cookie = (
            ""
            if app.settings.cookie_key
            else " Until then, anyone who can read the file can also read the key that signs "
            "sign-in cookies: set TANDEM_COOKIE_KEY as well."
        )
        st.warning(
            "Encryption at rest is **off**. Set TANDEM_DB_KEY and run `./run manage encrypt` "
            f"with the server stopped (see README).{cookie}"
        )
    erasures = backups.erasures_since_compaction(app.db, actor)
    erased, compacted_at = erasures["erased"], erasures["compacted_at"]
    if erased:
        who = "1 couple was" if erased == 1 else f"{erased} couples were"
        since = (
            f" since the database file was last compacted ({when(compacted_at)})"
            if compacted_at
            else ", and the database file has never been compacted"
        )
        st.warning(
            f"{who} erased{since}. Tandem shows nothing of them, but their words stay in "
            "the database file until `./run manage compact` is run with the server stopped "
            "(README: Erasure and the file), and in every backup made before that."
        )
    elif compacted_at:
        st.caption(
            f"No couple erased since the database file was compacted ({when(compacted_at)})."
        )
    else:
        st.caption("No couple has been erased.")
    retention_section()
    requests_section()
    backups_section()


def audit_tab_body() -> None:
    """The audit trail, filtered by period, who, action and couple, and its CSV."""
    st.caption(
        "Every sign-in, view, change, deletion and export of client data, and every partner "
        "link opened or submitted. Rows cannot be changed or deleted."
    )
    actions, actors = audit.filters(app.db, actor)
    # A row that wraps, the date range wide enough for both dates ("23/11/2…" was cut off
    # at 1280 px in columns, "24 /" on a tablet).
    row = st.container(horizontal=True, wrap=True)
    today = utcnow().date()
    period = row.date_input(
        "From – to",
        (today - timedelta(days=7), today),
        max_value=today,
        format="DD/MM/YYYY",
        key="audit.period",
        width=240,
    )
    who = choose("Who", {"": "Anyone"} | {a: a for a in actors}, "audit.who", where=row, width=170)
    what = choose(
        "Action", {"": "Any"} | {a: a for a in actions}, "audit.action", where=row, width=170
    )
    couple_ref = row.number_input(
        "Couple id",
        min_value=1,
        value=None,
        step=1,
        key="audit.couple",
        width=130,
        help="The couple's number, shown on its overview under its name (“couple no. 12”) and "
        "beside it in Move a couple.",
    )
    start, end = (
        (period[0], period[-1]) if isinstance(period, tuple | list) and period else (today, today)
    )
    rows = audit.search(
        app.db,
        actor,
        since=datetime.combine(start, time.min),
        until=datetime.combine(end, time.min) + timedelta(days=1),
        who=who,
        action=what,
        couple_id=couple_ref,
    )
    st.caption(f"{len(rows)} rows (at most {audit.SEARCH_LIMIT}, newest first; times in UTC)")
    st.dataframe(
        pd.DataFrame(rows, columns=list(AUDIT_COLUMNS)).rename(columns=AUDIT_COLUMNS),
        hide_index=True,
        width="stretch",
        height=400,
        placeholder="—",  # an entry about no couple (a sign-in, the caseload): a dash
        # When and who stay on the left while a narrow screen scrolls the rest sideways.
        column_config={c: st.column_config.Column(c, pinned=True) for c in ("When (UTC)", "Who")},
    )
    st.download_button(
        f"Download these {len(rows)} rows as CSV",
        data=signed_in_download(app, actor, lambda now: audit.export_csv(app.db, now, rows)),
        file_name=audit.file_name(start, end, couple_ref, who, what),
        mime="text/csv",
        key="audit.csv",
        disabled=not rows,
    )


if accounts_tab.open:
    with accounts_tab:
        people = accounts.list_counselors(app.db, actor)
        accounts_table(people)
        change_account(people)
        new_account()

if move_tab.open:
    with move_tab:
        move_tab_body()

if data_tab.open:
    with data_tab:
        data_tab_body()

if audit_tab.open:
    with audit_tab:
        audit_tab_body()
