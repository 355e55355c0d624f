"""A couple's questionnaires: send private links, follow their status, read and compare answers."""

import streamlit as st

from core import comparison, instruments, links, safety, scoring
from core.palette import distinct_names
from ui import answers, link_status, state
from ui.auth import require_login
from ui.links import show_partners_issued
from ui.once import make
from ui.widgets import (
    archived_links_note,
    calm,
    choose,
    confirm_delete,
    lazy_tabs,
    on_this_clock,
    open_couple,
    plain,
    screen_buttons,
    screen_of,
    when,
)

app, actor = require_login("Questionnaires")
couple = open_couple(app, actor)
partners = couple["partners"]
names = {p["id"]: p["name"] for p in partners}
# Intake first (the usual start), then the satisfaction measure, then the check-in.
ORDER = {"intake": 0, "csi4": 1, "checkin": 2}
catalogue = {
    i.id: i for i in sorted(instruments.all_instruments(), key=lambda i: (ORDER.get(i.id, 9), i.id))
}
# Homework exercises are sent from a session, matrices from a decision: not from here.
sendable = {i.id: f"{i.title} (about {i.minutes} min)" for i in catalogue.values() if i.id in ORDER}


def title_of(instrument_id: str) -> str:
    """A link's questionnaire title, also for links made elsewhere (matrices, homework)."""
    if instrument_id == links.DECISION_FORM:
        return "Opportunity matrix"
    found = catalogue.get(instrument_id)
    return found.title if found else instrument_id


ISSUED = f"{state.ISSUED_PREFIX}questionnaires.{couple['id']}"  # links made here, shown until left

# The button as wide as its word beside the title (a sixth of a tablet's width cut it to "R…").
head = st.container(horizontal=True, vertical_alignment="bottom")
head.title(f"Questionnaires · {plain(couple['label'])}", anchor=False)
head.button(
    "Refresh",
    key="questionnaires.refresh",
    icon=":material/refresh:",
    help="Show links opened and answers sent since this page was loaded",
)
archived_links_note(couple)

send, status_tab, answers_tab = lazy_tabs(
    ["Send a link", "Link status", "Answers"], "questionnaires.tab"
)


def send_tab_body() -> None:
    """A private link for each partner: which questionnaire, for how many days."""
    st.caption(
        "Each partner gets their own private link: no account, works on a phone, and neither "
        "partner ever sees the other's answers. Sending again replaces the earlier link and "
        "carries on with the answers already given. If a link reached the wrong person (the "
        "other partner scanned it, say), stop it first under Link status: the new one then "
        "starts empty, with nothing they answered."
    )
    for column, partner in zip(st.columns(2), partners, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{plain(partner['name'])}**")
            chosen = choose("Questionnaire", sendable, f"send.{partner['id']}.instrument")
            days = st.number_input(
                "Link works for (days)",
                value=links.DEFAULT_EXPIRY_DAYS,
                key=f"send.{partner['id']}.days",
            )
            if st.button(
                f"Create link for {plain(partner['name'])}",
                key=f"send.{partner['id']}.go",
                type="primary",
            ):
                with calm():
                    issued = links.issue(app.db, actor, couple["id"], partner["id"], chosen, days)
                    st.session_state.setdefault(ISSUED, {})[partner["id"]] = issued
                    # Link status opens on its first screen again, where the new link is.
                    st.session_state.pop(f"{state.LINKS_PAGE}{couple['id']}", None)
    show_partners_issued(app, ISSUED, partners)


def stop_a_link(open_links: list[dict]) -> None:
    """Stop one of the links that still open, once the counselor has confirmed it."""
    by_id = {r["id"]: r for r in open_links}
    labels = {
        r["id"]: f"{r['partner_name']} · {title_of(r['instrument_id'])} · "
        f"{links.STATUS_LABELS[r['status']]}"
        for r in open_links
    }
    to_revoke = choose("Stop a link from working", labels, "revoke.id")
    asked = st.button("Stop link", key="revoke.go")
    chosen = by_id[to_revoke]
    question = (
        f"Stop {plain(chosen['partner_name'])}'s link to "
        f"“{title_of(chosen['instrument_id'])}”? It will no longer open, and answers "
        "given on it so far are not sent to you and not carried over: a new link sent "
        "afterwards starts empty."
    )
    if confirm_delete(
        "revoke.asking", to_revoke, asked, question, "Yes, stop it", "Keep it working"
    ):
        with calm():
            links.revoke(app.db, actor, couple["id"], to_revoke)
            make(state.TOAST, "The link is stopped: it no longer opens.")
            st.rerun()


def status_tab_body() -> None:
    """Every link of the couple, newest first, a screen at a time; stopping an open one."""
    rows = links.for_couple(app.db, actor, couple["id"])
    if not rows:
        st.info("No links sent yet.")
        return
    # Newest first, a screen at a time: a couple seen weekly for years has hundreds.
    key = f"{state.LINKS_PAGE}{couple['id']}"
    screen = screen_of(rows, link_status.PAGE_SIZE, key)
    caption = f"Links, page {screen.number} of {screen.count}"
    st.html(link_status.table_html(screen.rows, title_of, on_this_clock, caption))
    screen_buttons(
        screen,
        key,
        ("← Newer", "Older →"),
        ("links.newer", "links.older"),
        f"Links {screen.first + 1}–{screen.first + len(screen.rows)} of {len(rows)}, newest first",
    )
    open_links = [r for r in rows if r["status"] in links.OPEN_STATUSES]
    if open_links:
        stop_a_link(open_links)


def score_lines(instrument, answers) -> None:
    """Every score of a submission with its range, cut-off and meaning."""
    report = scoring.score(instrument, answers)
    for result in report.scores:
        if result.value is None:
            st.caption(f"{result.label}: {result.meaning}")
            continue
        value = f"{result.value:g}" if isinstance(result.value, int) else f"{result.value:.1f}"
        line = f"**{result.label}: {value}** (range {result.min:g}–{result.max:g})"
        if result.cutoff is not None:
            line += f" · cut-off {result.cutoff:g}"
        line += f" · {result.meaning}"
        if result.below_cutoff:
            st.warning(line)
        else:
            st.markdown(line)


def partner_scores(instrument, mine: dict | None) -> None:
    """One partner's newest submission: when, any safety flag, and its scores."""
    if not mine:
        st.caption("Not submitted yet.")
        return
    st.caption(f"Submitted {when(mine['submitted_at'], clock=True)}")
    for flag in safety.flags(instrument, mine["answers"]):
        st.error(
            f"Counselor-only answer needs attention: {flag.prompt} → {flag.answer}",
            icon=":material/priority_high:",
        )
    score_lines(instrument, mine["answers"])


def answers_tab_body() -> None:
    """Each partner's newest answers to one questionnaire: their scores, then the two compared."""
    # Every questionnaire's newest submissions in one query (one per form cost ~10 per rerun).
    submitted = links.latest_submissions(app.db, actor, couple["id"], catalogue)
    available = [iid for iid, by_partner in submitted.items() if by_partner]
    if not available:
        st.info("No submitted answers yet. They appear here as soon as a partner sends them.")
        return
    iid = choose("Questionnaire", {i: catalogue[i].title for i in available}, "answers.instrument")
    instrument = catalogue[iid]
    by_partner = submitted[iid]
    if instrument.citation:
        st.caption(f"Source: {instrument.citation}")
    for column, partner in zip(st.columns(2), partners, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{plain(partner['name'])}**")
            partner_scores(instrument, by_partner.get(partner["id"]))

    # Told apart even when both partners share a first name: a percentage split names both.
    told_apart = distinct_names(partners)
    sent = [p["id"] in by_partner for p in partners]
    # A partner who has not sent this questionnaire yet is said so in the heading.
    col_a, col_b = (
        name if did_send else f"{name} (not sent yet)"
        for name, did_send in zip(told_apart, sent, strict=True)
    )
    both = all(sent)
    a, b = (by_partner.get(p["id"], {"answers": {}})["answers"] for p in partners)
    result = comparison.compare(instrument, a, b, names=tuple(told_apart), include_safety=False)
    if both:
        st.header("Where they differ most", anchor=False)
        st.caption("Conversation starters: the largest gaps between the two answers come first.")
        for row in result.starters[:8]:
            # A split's sentence says both accounts of one partner's share; its two answers
            # would say the same again.
            said = (
                plain(row.detail)
                if row.type == instruments.SPLIT
                else f"{plain(told_apart[0])}: {plain(row.answer_a)} · "
                f"{plain(told_apart[1])}: {plain(row.answer_b)}"
                + (f" · {plain(row.detail)}" if row.detail else "")
            )
            st.markdown(f"- **{plain(row.prompt)}** — {said}")
        st.header("Side by side", anchor=False)
        written = any(r.type in instruments.TEXT_TYPES for r in result.rows)
        st.caption(
            answers.LEGEND
            + (" Written answers follow each part's table, in full." if written else "")
            + " Counselor-only questions are not part of this view."
        )
    else:
        st.header("The answers sent so far", anchor=False)
        st.caption(
            "The comparison of the two, with the largest gaps first, appears once both "
            "partners have sent this questionnaire. Counselor-only questions are above."
        )
    for section in result.sections:
        with st.expander(section.title, expanded=not both):
            table = answers.table_html(section.rows, (col_a, col_b), section.title)
            if table:
                st.html(table)
            written = answers.written_markdown(section.rows, told_apart, sent)
            if written:
                st.markdown(written)


if send.open:
    with send:
        send_tab_body()

if status_tab.open:
    with status_tab:
        status_tab_body()

if answers_tab.open:
    with answers_tab:
        answers_tab_body()
