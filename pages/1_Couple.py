"""One couple at a glance: both partners side by side, notes, and the couple's tools."""

import streamlit as st

from core import accounts, couples, erasure, instruments, links, retention
from ui import profiles, state
from ui.auth import require_login
from ui.once import DROP, next_run
from ui.sidebar import HOME
from ui.widgets import (
    calm,
    choose,
    lazy_tabs,
    on_this_clock,
    open_couple,
    partner_fields,
    plain,
    what_stands_out,
    when,
)

app, actor = require_login("Couple")

couple = open_couple(app, actor)

p1, p2 = couple["partners"]
archived = couple["status"] == "archived"
st.title(plain(couple["label"]), anchor=False)
st.caption(
    ("Archived · " if archived else "")
    + f"Counselor: {plain(couple['counselor_name'])} · "
    + f"added {when(couple['created_at'])} · last change {when(couple['updated_at'])}"
    # The number the audit trail files the couple's entries under (Admin → Audit trail).
    + f" · couple no. {couple['id']}"
)
if archived:
    st.warning(
        "This couple is archived: kept in full, hidden from the active caseload. Their partner "
        "links do not open until the couple is restored."
    )
what_stands_out(app, actor, couple)


def who_asked(asked: dict) -> str:
    """Who asked for the couple's erasure: "You" to the one who did, else their name."""
    if asked["requested_by"] == actor.counselor_id:
        return "You"
    return plain(asked["requested_by_name"] or "A counselor")


def why_asked(asked: dict) -> str:
    """A pending request to erase the couple: its reason, and its note if it has one."""
    note = f" ({plain(asked['note'])})" if asked["note"] else ""
    return f"{erasure.REASONS[asked['reason']].lower()}{note}"


def clear_request(label: str, key: str, done: str) -> None:
    """The button that withdraws (the counselor) or declines (an admin) a pending request to
    erase the couple; `done` is said on the next run."""
    if st.button(label, key=key):
        with calm():
            said = next_run()
            erasure.clear_request(app.db, actor, couple["id"])
            said[state.NOTICE] = done
            st.rerun()


overview, edit, manage = lazy_tabs(["Overview", "Edit details", "Archive or delete"], "couple.tab")

if overview.open:
    # Read only for the Overview tab: the other tabs' runs do not need the links.
    link_rows = links.newest_for_couple(app.db, actor, couple["id"])
    titles = {i.id: i.title for i in instruments.all_instruments()}
    with overview:
        st.html(profiles.cards_html(couple["partners"], link_rows, titles, on_this_clock))
        st.header("Counselor's notes", anchor=False)
        st.caption(
            "Never shown to the couple or put in their summary. Seen by the couple's counselor "
            "and by the practice's admins, who can open every couple."
        )
        with st.form("notes-form"):
            notes = st.text_area(
                "Notes",
                couple["notes"],
                height=200,
                key="couple.notes",
                label_visibility="collapsed",
            )
            if st.form_submit_button("Save notes", key="couple.save_notes"):
                with calm():
                    couples.update_notes(app.db, actor, couple["id"], notes)
                    st.toast("Notes saved.")

if edit.open:
    with edit, st.form("edit-couple"):
        left, right = st.columns(2)
        with left:
            e1 = partner_fields("e1", plain(p1["name"]), p1)
        with right:
            e2 = partner_fields("e2", plain(p2["name"]), p2)
        if st.form_submit_button("Save changes", key="couple.save", type="primary"):
            with calm({"p1": p1["name"], "p2": p2["name"]}):
                said = next_run()  # taken before the write: filling it cannot stop the run
                couples.update(app.db, actor, couple["id"], e1, e2, couple["notes"])
                said[state.NOTICE] = "Changes saved."
                st.rerun()

if manage.open:
    with manage:
        # One button either way: restore an archived couple, archive an active one.
        explain, label, key, done = (
            (
                "Restoring puts the couple back in the active caseload. Their partner links "
                "that have not run out open again.",
                "Restore couple",
                "couple.restore",
                "Restored to the active caseload.",
            )
            if archived
            else (
                "Archiving hides the couple from the active caseload and keeps everything. "
                "Their partner links stop opening (a partner sees that the link no longer "
                "works) until you restore the couple.",
                "Archive couple",
                "couple.archive",
                "Archived: kept in full, hidden from the active caseload.",
            )
        )
        st.write(explain)
        if st.button(label, key=key):
            with calm():
                said = next_run()
                couples.set_archived(app.db, actor, couple["id"], not archived)
                said[state.NOTICE] = done
                st.rerun()

        if actor.is_admin:
            st.divider()
            st.markdown("**Move to another counselor**")
            choices = accounts.choosable_counselors(app.db, actor)
            names = {c["id"]: c["display_name"] for c in choices}
            target = choose("Counselor", names, "couple.reassign_to", couple["counselor_id"])
            if st.button("Move couple", key="couple.reassign"):
                with calm():
                    said = next_run()
                    couples.reassign(app.db, actor, couple["id"], target)
                    said[state.NOTICE] = "Couple moved."
                    st.rerun()

        st.divider()
        st.markdown("**Delete for good**")
        years = app.settings.retention_years
        period = retention.period(years)  # "7 years", "1 year"
        stands = erasure.standing(app.db, actor, couple["id"], years)
        asked = stands.request
        kept = (
            f"The practice keeps a couple's record for {period} after the last thing "
            f"recorded for them (its retention period); for this couple that is until "
            f"{when(stands.kept_until)}"
            if stands.inside
            else f"The last thing recorded for this couple is more than {period} old "
            "(the practice's retention period): their record need not be kept any longer"
        )
        if not actor.is_admin:
            st.write(
                f"Only the practice's admin can erase a couple for good. {kept}, unless there "
                "is a reason to erase it sooner, such as the couple asking. To stop working with "
                "them, archive them (above): everything is kept, out of the active caseload."
            )
            if asked:
                st.info(
                    f"{who_asked(asked)} asked the admin on "
                    f"{when(asked['requested_at'])} to erase this couple: {why_asked(asked)}. "
                    "The admin sees the request under Admin, Data safety."
                )
                clear_request(
                    "Withdraw the request",
                    "couple.withdraw_erasure",
                    "Request withdrawn: the couple is kept.",
                )
            else:
                st.write(
                    "If the couple asked to be erased, ask the admin here: they see the request "
                    "and erase the couple. If they want a copy of what is held first, give each "
                    "partner their own data (Sessions page, Summary and export)."
                )
                with st.form("couple-ask-erasure"):
                    why = choose(
                        "Why should the couple be erased?",
                        {"": "Choose a reason"} | erasure.REASONS,
                        "couple.request_reason",
                    )
                    note = st.text_input(
                        "A short note for the admin (optional, no names: it goes into the audit "
                        "trail with the erasure)",
                        key="couple.request_note",
                    )
                    if st.form_submit_button("Ask the admin to erase them", key="couple.ask"):
                        with calm():
                            said = next_run()
                            erasure.request(app.db, actor, couple["id"], why, note)
                            said[state.NOTICE] = (
                                "Request sent: the admin sees it under Admin, Data safety. "
                                "Archive the couple meanwhile if you no longer see them."
                            )
                            st.rerun()
        else:
            if asked:
                st.info(
                    f"{who_asked(asked)} asked on "
                    f"{when(asked['requested_at'])} for this couple to be erased: "
                    f"{why_asked(asked)}."
                )
                clear_request(
                    "Decline the request (keep the couple)",
                    "couple.decline",
                    "Request declined: the couple is kept.",
                )
            st.write(
                f"This erases the couple and everything recorded about them. It cannot be undone. "
                f"{kept}."
                + (
                    " To erase them sooner, say why: the reason goes into the audit trail with "
                    "the erasure."
                    if stands.inside
                    else ""
                )
                + " To give them a copy of what is held first, download each partner's own "
                "data on the Sessions page (under Summary and export once a session is "
                "recorded): the full record there holds each one's private answers. "
                "Tandem shows nothing of them from then on; the database file lets go of the "
                "erased words when whoever runs Tandem next compacts it, and backups made before "
                "keep them until they are deleted (a restore erases them again)."
            )
            # No reason is chosen for the admin: one inside the period must choose it.
            reasons = {"": "Choose a reason" if stands.inside else "No reason needed"}
            reasons |= erasure.REASONS
            why = choose(
                "Why erase them now?" if stands.inside else "Reason (optional)",
                reasons,
                "couple.erase_reason",
                asked["reason"] if asked else None,
            )
            note = st.text_input(
                "Note for the audit trail (optional, no names; needed for another reason)",
                value=asked["note"] if asked else "",
                key="couple.erase_note",
            )
            typed = st.text_input(
                # Shown as typed (a name with * or _ in it is not turned into emphasis).
                f"Type the couple's name to confirm: {plain(couple['label'])}",
                key="couple.confirm_delete",
            )
            if st.button("Delete for good", key="couple.delete", type="primary"):
                with calm():
                    said = next_run()
                    erasure.delete_forever(
                        app.db,
                        actor,
                        couple["id"],
                        typed,
                        retention_years=years,
                        reason=why,
                        note=note,
                    )
                    said.update(
                        {
                            state.COUPLE_ID: DROP,
                            state.NOTICE: f"{plain(couple['label'])} was deleted.",
                        }
                    )
                    st.switch_page(HOME)
