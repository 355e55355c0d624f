"""Sessions with the couple: notes, what was discussed, homework, and the exports."""

# Downloads are made on demand by core after its ownership check (a callable handed to
# st.download_button); nothing is written to a folder a URL could reach.

import streamlit as st

from core import agreements, decisions, exports, instruments, links, own_data, pdf, record, sessions
from core.accounts import Actor
from core.dates import shown
from core.errors import TandemError
from ui import state
from ui.auth import require_login, signed_in_download
from ui.links import show_all_issued
from ui.once import DROP, Once, Pick, make
from ui.widgets import (
    DOWNLOAD_RERUNS,
    browser_zone,
    calm,
    choose,
    confirm_delete,
    drawn_from,
    drawn_key,
    lazy_tabs,
    local_today,
    offer_newer,
    open_couple,
    plain,
    record_picker,
    required,
    when,
)

app, actor = require_login("Sessions")
couple = open_couple(app, actor)

NEW = "new"
CHOSEN = f"sessions.pick.{couple['id']}"
NEXT = Pick(CHOSEN)  # what a save leaves for the picker: the record to show next
ISSUED = f"{state.ISSUED_PREFIX}sessions.{couple['id']}"  # homework links made here, until left
partners = couple["partners"]
name_of = {p["id"]: p["name"] for p in partners}
practice = app.settings.practice_name

st.title(f"Sessions · {plain(couple['label'])}", anchor=False)
st.caption(
    "What each session focused on, what was discussed and agreed, and the homework given. "
    "Notes are for the record and never reach the couple; takeaways are written for the couple "
    "and go into their summary."
)

rows = sessions.for_couple(app.db, actor, couple["id"])
by_id = {r["id"]: r for r in rows}
chosen = record_picker(
    "Session",
    list(by_id),
    CHOSEN,
    NEW,
    lambda c: (
        "+ New session"
        if c == NEW
        else f"{shown(by_id[c]['held_on'])} · {by_id[c]['focus'] or 'no focus noted'}"
    ),
)


def session_fields(current: dict, key: str) -> dict:
    """The inputs of a session record."""
    # The date as wide as a whole date: a quarter of a tablet's width cut it to "14 / 11 / 20".
    row = st.container(horizontal=True, wrap=True)
    return {
        "held_on": row.date_input(
            required("Date"),
            current.get("held_on", local_today()),  # the counselor's today
            format="DD/MM/YYYY",
            key=f"{key}.date",
            width=150,
        ),
        "focus": row.text_input(
            "Focus",
            current.get("focus", ""),
            key=f"{key}.focus",
        ),
        "takeaways": st.text_area(
            "Takeaways for the couple (goes into their summary)",
            current.get("takeaways", ""),
            height=110,
            key=f"{key}.takeaways",
        ),
        "notes": st.text_area(
            "Your notes (never in the couple's summary)",
            current.get("notes", ""),
            height=160,
            key=f"{key}.notes",
        ),
    }


def record_download() -> None:
    """The full-record download: every table's rows for this couple, made on demand."""
    st.header("The couple's full record (data)", anchor=False)
    st.caption(
        "Every table's rows for this couple as CSV files plus one JSON file, for a move to "
        "another practice or a request that needs everything held. It includes both partners' "
        "private and counselor-only answers and your notes: review it before handing it to "
        "anyone. For one partner's own request, give them their own data, above."
    )
    couple_id = couple["id"]

    def make_record(now: Actor) -> bytes:
        """Runs when the button is clicked: core checks ownership, then collects every table."""
        return record.export_zip(app.db, now, couple_id, practice)

    st.download_button(
        "Download full record (zip)",
        data=signed_in_download(app, actor, make_record),
        file_name=record.file_name(),
        mime="application/zip",
        icon=":material/folder_zip:",
        key="sessions.record",
        on_click=DOWNLOAD_RERUNS,
    )


def own_data_downloads() -> None:
    """Each partner's own data, made on demand: what a partner who asks to see theirs is given."""
    st.header("A partner's own data", anchor=False)
    st.caption(
        "For a partner who asks to see what the practice holds about them: their details and "
        "every answer they gave, in words, with the records the two of them share. Never the "
        "other partner's answers and never your notes. It does hold their answers to "
        "counselor-only questions, so give it to that partner alone. A PDF to read, with the "
        "same answers as a spreadsheet file, in a zip."
    )
    try:
        pdf.find_fonts()  # the PDF inside needs them; said here rather than as a failed click
    except TandemError as e:
        st.warning(str(e))
        return
    couple_id, zone = couple["id"], browser_zone()  # read now: the downloads run outside the run
    # One button per partner, in a row that wraps; each names its partner, for a screen reader.
    row = st.container(horizontal=True, wrap=True, gap="small")
    for p in partners:

        def make_own(now: Actor, partner_id: int = p["id"]) -> bytes:
            """Runs when clicked: core checks the couple is this counselor's and the partner
            theirs, then reads only that partner's data."""
            return own_data.export_zip(app.db, now, couple_id, partner_id, practice, zone)

        row.download_button(
            f"Download {plain(p['name'])}'s own data",
            data=signed_in_download(app, actor, make_own),
            file_name=own_data.file_name(p, partners=partners),
            mime="application/zip",
            icon=":material/person:",
            key=f"sessions.own.{p['id']}",
            on_click=DOWNLOAD_RERUNS,
            width="content",
        )


def discussed_tab_body(sid: int, session: dict) -> None:
    """Which of the couple's agreements and decisions this session discussed."""

    def pick(label: str, records: list[dict], ids: list[int], key: str) -> list[int]:
        """Some of the couple's records by title, starting at those already noted (and still
        there)."""
        titles = {r["id"]: r["title"] for r in records}
        return st.multiselect(
            label,
            list(titles),
            default=[i for i in ids if i in titles],
            format_func=titles.get,
            key=f"sessions.{sid}.{key}",
        )

    with st.form(f"sessions.{sid}.discussed"):
        chosen_a = pick(
            "Agreements discussed",
            agreements.for_couple(app.db, actor, couple["id"]),
            session["agreement_ids"],
            "agreements",
        )
        chosen_d = pick(
            "Decisions discussed",
            decisions.for_couple(app.db, actor, couple["id"]),
            session["decision_ids"],
            "decisions",
        )
        if st.form_submit_button("Save", type="primary", key=f"sessions.{sid}.discussed.save"):
            with calm():
                sessions.set_discussed(app.db, actor, couple["id"], sid, chosen_a, chosen_d)
                make(state.TOAST, "Saved: the agreements and decisions discussed.")
                st.rerun()
    st.caption("The couple's summary includes the agreements and decisions chosen here.")


def homework_given(sid: int, iid: str, states: list[dict], answers: dict) -> None:
    """One exercise given in this session: its links' states, each partner's answers folded."""
    form = instruments.load(iid)
    with st.container(border=True):
        st.markdown(f"**{plain(form.title)}**")
        newest = {}
        for r in states:
            if r["instrument_id"] == iid:
                newest.setdefault(r["partner_id"], r)
        # "Zoë's link: Sent": "Zoë: Sent" alone read as her answers sent.
        st.caption(
            " · ".join(
                f"{plain(name_of[pid])}'s link: {links.STATUS_LABELS[r['status']]}"
                for pid, r in newest.items()
            )
            or "No links yet."
        )
        for col, p in zip(st.columns(2), partners, strict=True):
            given = answers.get(iid, {}).get(p["id"])
            with col.expander(f"{plain(p['name'])}'s answers", expanded=False):
                if not given:
                    # Not "Not sent yet": the line above says the link was sent.
                    st.caption(f"No answers yet: they appear here once {plain(p['name'])} submits.")
                    continue
                st.caption(f"Submitted {when(given['submitted_at'])}")
                # One element for all the answers (two for each, before).
                st.markdown(
                    "\n\n".join(
                        f"**{plain(item.prompt)}**\n\n"
                        + plain(instruments.answer_label(item, given["answers"].get(item.id)))
                        for item in form.items
                        if instruments.is_answered(given["answers"].get(item.id))
                    )
                )
        if st.button("Take off this session's homework", key=f"sessions.{sid}.drop.{iid}"):
            with calm():
                sessions.remove_homework(app.db, actor, couple["id"], sid, iid)
                st.rerun()


def homework_tab_body(sid: int, session: dict) -> None:
    """Give an exercise to both partners; what was given, with its links and answers."""
    catalogue = {e.id: e for e in sessions.exercises()}
    st.caption(
        "Each exercise goes to both partners as their own private link. Their answers stay "
        "with this session and are seen only by you."
    )
    # The exercise on a line of its own, then the days and the button: in columns a tablet
    # cut the button to "Give as …", past the screen's edge.
    exercise = choose(
        "Exercise",
        {i: f"{e.title} (about {e.minutes} min)" for i, e in catalogue.items()},
        f"sessions.{sid}.exercise",
    )
    row = st.container(horizontal=True, vertical_alignment="bottom")
    days = row.number_input(
        "Links work for (days)",
        value=links.DEFAULT_EXPIRY_DAYS,
        key=f"sessions.{sid}.days",
        width=170,
    )
    if row.button("Give as homework", type="primary", key=f"sessions.{sid}.assign"):
        with calm():
            issued = sessions.assign_homework(app.db, actor, couple["id"], sid, exercise, days)
            st.session_state[ISSUED] = {"session": sid, "issued": issued}
    made = st.session_state.get(ISSUED)
    if made and made["session"] == sid:
        show_all_issued(app, made["issued"], f"{ISSUED}.code")
    if session["homework"]:
        st.header("Given in this session", anchor=False)
        states = sessions.homework_links(app.db, actor, couple["id"], sid)
        answers = sessions.homework_answers(app.db, actor, couple["id"], sid)
        for iid in session["homework"]:
            homework_given(sid, iid, states, answers)


def summary_options(sid: int, audience: str) -> exports.Options:
    """What the summary holds: the counselor's record may take more than the couple's copy."""
    for_record = audience == exports.RECORD
    if for_record:
        st.caption(
            "For your file: include whatever you choose, including your notes and each "
            "partner's exercise answers."
        )
    else:
        st.caption(
            "For the two of them: focus, takeaways, the agreements and decisions discussed, "
            "homework and the charts. Never your notes, never either partner's private answers, "
            "never a counselor-only item."
        )
    # One list: in two columns a tablet cut the longer choices to "… (not only t…".
    return exports.Options(
        audience=audience,
        all_agreements=st.checkbox(
            "All agreements in force (not only those discussed)", key=f"sessions.{sid}.all"
        ),
        roadmap=st.checkbox("The roadmap chart", value=True, key=f"sessions.{sid}.roadmap"),
        matrix=st.checkbox(
            "Opportunity matrix of the decisions discussed",
            value=True,
            key=f"sessions.{sid}.mx",
        ),
        other_charts=st.checkbox(
            "Equity over time chart (when there is one)",
            value=True,
            key=f"sessions.{sid}.xc",
            help="Its line counts each partner's check-in share of the home load, added in with "
            "the seasons and the ledger. No answer is shown, but where little else was logged, "
            "one partner could roughly tell the other's from how the line moves.",
        ),
        notes=for_record
        and st.checkbox("Your session notes", value=True, key=f"sessions.{sid}.notes"),
        exercise_answers=for_record
        and st.checkbox("Partners' exercise answers", value=True, key=f"sessions.{sid}.answers"),
        agreement_history=for_record
        and st.checkbox("Each agreement's version history", key=f"sessions.{sid}.history"),
    )


def export_tab_body(sid: int, session: dict) -> None:
    """The session summary as a PDF or Markdown, made when clicked; the full record below."""
    st.header("Session summary", anchor=False)
    audience = st.radio(
        "Who is it for?",
        list(exports.AUDIENCES),
        format_func=exports.AUDIENCES.get,
        horizontal=True,
        key=f"sessions.{sid}.audience",
    )
    options = summary_options(sid, audience)
    cid = couple["id"]
    zone = browser_zone()  # read now: the downloads run outside this page's run

    def make_pdf(now: Actor) -> bytes:
        """Runs when the button is clicked: core checks the couple is this counselor's."""
        return exports.summary_pdf(app.db, now, cid, sid, options, practice, zone)

    def make_markdown(now: Actor) -> bytes:
        """Runs when the button is clicked, like the PDF."""
        return exports.summary_markdown(app.db, now, cid, sid, options, practice, zone)

    a, b = st.columns(2)
    try:
        # Names the PDF's fonts cannot print in full: said before the download, not on paper.
        names = [p["name"] for p in couple["partners"]]
        squares = pdf.unprintable([*names, practice])
        # The charts name the partners and draw no emoji: a name the text prints in full
        # may still have a □ there.
        in_charts = [n for n in pdf.unprintable(names, charts=True) if n not in squares]
        fonts_problem = None
    except TandemError as e:
        fonts_problem = str(e)

    def summary_button(where, label: str, make, ext: str, mime: str, icon: str) -> None:
        """A summary download, made when clicked (`make` runs then)."""
        where.download_button(
            label,
            data=signed_in_download(app, actor, make),
            file_name=exports.file_name("summary", audience, session["held_on"], ext),
            mime=mime,
            icon=icon,
            key=f"sessions.{sid}.{ext}",
            on_click=DOWNLOAD_RERUNS,
            width="stretch",
        )

    if fonts_problem:
        a.warning(fonts_problem)
    else:
        summary_button(
            a, "Download PDF", make_pdf, "pdf", "application/pdf", ":material/picture_as_pdf:"
        )
        if squares:
            a.caption(
                f"The PDF's fonts lack some letters of {' and '.join(plain(n) for n in squares)}"
                f": each prints as {pdf.PLACEHOLDER}. The Markdown keeps them as typed."
            )
        if in_charts:
            a.caption(
                f"Charts in the PDF show the emoji in {' and '.join(plain(n) for n in in_charts)}"
                f" as {pdf.PLACEHOLDER}; the text prints them. The Markdown keeps them as typed."
            )
    summary_button(
        b, "Download Markdown", make_markdown, "md", "text/markdown", ":material/description:"
    )
    st.divider()
    own_data_downloads()
    record_download()


if chosen == NEW:
    # A double-click records one session (ui/once.py): drawn afresh under new keys after each.
    added = Once("sessions")
    new_key = added.key("sessions.new")
    with st.form(new_key):
        raw = session_fields({}, new_key)
        if st.form_submit_button("Save session", type="primary", key=f"{new_key}.save"):
            with calm():
                added.run(
                    lambda: sessions.create(app.db, actor, couple["id"], raw),
                    lambda sid: {NEXT: sid, state.TOAST: "Session saved."},
                )
                st.rerun()
    st.divider()
    own_data_downloads()
    record_download()
    st.stop()

session = sessions.get(app.db, actor, couple["id"], chosen)
sid = session["id"]
notes_tab, discussed_tab, homework_tab, export_tab = lazy_tabs(
    ["Notes", "Discussed", "Homework", "Summary and export"], "sessions.tab"
)

if notes_tab.open:
    # Drawn from this version: a save after another tab's is refused, not written over it.
    # Each save draws the form afresh (ui/once.py), and so does "Show the newer version".
    edits = Once("sessions.edit")
    k = f"{edits.key('sessions')}.{sid}"
    seen = drawn_from(f"{k}.date", session["updated_at"])
    with notes_tab, st.form(f"{k}.edit"):
        raw = session_fields(session, k)
        if st.form_submit_button("Save", type="primary", key=f"{k}.save"):
            with calm(form=f"{k}.edit"):
                edits.run(
                    lambda: sessions.update(app.db, actor, couple["id"], sid, raw, seen=seen),
                    lambda _: {drawn_key(f"{k}.date"): DROP, state.TOAST: "Session saved."},
                )
                st.rerun()
    with notes_tab:
        offer_newer(edits, f"{k}.edit")
        # A session recorded by mistake (or twice) can go; what it pointed to stays.
        asked = st.button("Delete this session", key=f"sessions.{sid}.delete")
        question = (
            f"Delete the session of {shown(session['held_on'])}? Its notes, takeaways and list "
            "of what was discussed go with it; the agreements, decisions and any homework links "
            "already sent stay. This cannot be undone."
        )
        if confirm_delete("sessions.deleting", sid, asked, question):
            with calm():
                sessions.remove(app.db, actor, couple["id"], sid)
                make(state.TOAST, "Session deleted.")
                st.rerun()

if discussed_tab.open:
    with discussed_tab:
        discussed_tab_body(sid, session)

if homework_tab.open:
    with homework_tab:
        homework_tab_body(sid, session)

if export_tab.open:
    with export_tab:
        export_tab_body(sid, session)
