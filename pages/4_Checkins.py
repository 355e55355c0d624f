"""A couple's check-ins: the schedule, who is due, personal links, hand-over, recent answers."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from core import checkins, instruments, schedule
from core.checkin_rows import CHECKIN
from core.dates import local, same_clock, shown
from ui import recent_checkins, state, tables
from ui.auth import require_login
from ui.handover import start as start_handover
from ui.links import show_partners_issued
from ui.once import make
from ui.sidebar import EQUITY
from ui.widgets import (
    archived_links_note,
    browser_zone,
    calm,
    choose,
    confirm_delete,
    lazy_expander,
    local_today,
    open_couple,
    plain,
)

app, actor = require_login("Check-ins")
couple = open_couple(app, actor)
partners = couple["partners"]
# Two partners stored with one name ("Sam & Sam", allowed before new couples had to differ):
# the second is "Sam (2)" here, as in the charts' legends, on every card, button and row.
NAMES = {p["id"]: p["name"] for p in partners}
if len(partners) == 2 and len({p["name"].strip().casefold() for p in partners}) == 1:
    NAMES[partners[1]["id"]] = f"{partners[1]['name'].strip()} (2)"
ISSUED = f"{state.ISSUED_PREFIX}checkins.{couple['id']}"  # links made here, shown until left
BADGE = {
    schedule.DONE: "green",
    schedule.DUE: "blue",
    schedule.OVERDUE: "orange",
    schedule.NOT_STARTED: "gray",
    schedule.OFF: "gray",
}
form = instruments.load(CHECKIN)

st.title(f"Check-ins · {plain(couple['label'])}", anchor=False)
archived_links_note(couple)
plan, current, statuses = checkins.overview(app.db, actor, couple["id"])
# Times are stored in UTC; shown on the couple's own clock, like the periods they fall in.
ZONE = plan.timezone if plan else None


def day(value) -> str:
    """The date of a stored time in the couple's time zone: 24 Nov 2026."""
    return shown(local(value, ZONE))


def schedule_form() -> None:
    """How often, from when, on which clock: the schedule's form."""
    with st.form("checkins.schedule"):
        left, middle, right = st.columns(3)
        cadence = choose(
            "How often",
            schedule.CADENCES,
            "checkins.cadence",
            plan.cadence if plan else None,
            where=left,
        )
        anchor = middle.date_input(
            "First check-in opens on",
            value=plan.anchor if plan else local_today(),
            min_value=date(2000, 1, 1),
            max_value=date(2100, 12, 31),
            format="DD/MM/YYYY",
            key="checkins.anchor",
            help="Weekly and two-weekly check-ins open on this weekday; monthly ones on this "
            "day of the month (or the month's last day).",
        )
        zones = list(schedule.timezones())
        wanted = plan.timezone if plan else (st.context.timezone or schedule.DEFAULT_TIMEZONE)
        timezone = right.selectbox(
            "Time zone",
            zones,
            index=zones.index(wanted) if wanted in zones else zones.index("UTC"),
            key="checkins.timezone",
            help="Periods start at midnight here, so a weekly check-in stays on its weekday "
            "through clock changes.",
        )
        if st.form_submit_button("Save schedule", key="checkins.save_schedule", type="primary"):
            with calm():
                checkins.set_schedule(app.db, actor, couple["id"], cadence, anchor, timezone)
                st.toast("Schedule saved.")
                st.rerun()


# -- the schedule --------------------------------------------------------------------------------
with st.container(border=True):
    st.header("Schedule", anchor=False)
    if plan and plan.active and current:
        last_day = current.end_local - timedelta(days=1)
        st.markdown(
            f"**{schedule.CADENCES[plan.cadence]}**, opening at midnight in {plain(plan.timezone)}."
            f" This period: {shown(current.start_local)} – {shown(last_day)}; "
            f"the next opens {shown(current.end_local)}."
        )
    elif plan and plan.active:
        first = schedule.period(plan, 0).start_local
        st.markdown(f"**{schedule.CADENCES[plan.cadence]}**, starting {shown(first)}.")
    else:
        st.markdown("No regular check-ins are scheduled. Choose how often below.")
    if plan and plan.active:
        # Set once and seldom changed: its form (with a list of every time zone) is drawn only
        # when opened. It was ~10 of the page's elements on every visit (issue 6).
        box = lazy_expander("Change the schedule", "checkins.schedule.fold")
        if box.open:
            with box:
                schedule_form()
    else:
        schedule_form()

# -- each partner ----------------------------------------------------------------------------------
st.header("Who is due", anchor=False)
# Other pages date things on the counselor's own clock: where the couple's differs, the days
# here (on the couple's clock, like the periods) are said to be theirs (walkthrough: "24 Nov"
# here was "25 Nov" on the overview, for the same check-in).
their_clock = (
    f" Dates on this page are on the couple's clock ({plain(ZONE)}), which their periods follow."
    if ZONE and not same_clock(ZONE, browser_zone())
    else ""
)
st.caption(
    "Each partner gets one personal check-in link: it always opens the check-in for the "
    "current period and is theirs alone. Tandem keeps only a fingerprint of it, so it is shown "
    "once; sending a new one stops the old one." + their_clock
)
columns = st.columns(2)
for column, status in zip(columns, statuses, strict=True):
    p = status.partner
    name = NAMES[p["id"]]
    with column, st.container(border=True):
        # The name and its badge in one element, the two facts in another: each element drawn
        # costs the browser a few milliseconds of every click to this page (issue 6).
        st.markdown(
            f"**{plain(name)}**  \n"
            f":{BADGE[status.status.state]}-badge[{plain(status.status.label)}]"
        )
        last = day(status.last_submitted) if status.last_submitted else "none yet"
        link = status.standing
        if link:
            opened = day(link["last_opened_at"]) if link["last_opened_at"] else "not yet"
            sent = (
                f"Personal link made {day(link['created_at'])} · last opened {opened} · "
                f"works until {day(link['expires_at'])}"
            )
        else:
            sent = "No personal check-in link yet."
        st.caption(f"Last check-in: {last} · {status.count} in all  \n{sent}")
        # A row that wraps: in three columns the labels were cut to "New …" on a 1024 px screen.
        # Each label names the partner: a screen reader lists the buttons of both cards, and
        # two "New link" buttons could not be told apart.
        buttons = st.container(horizontal=True, wrap=True, gap="small")
        if buttons.button(
            f"New link for {plain(name)}" if link else f"Create link for {plain(name)}",
            key=f"checkins.issue.{p['id']}",
            type="secondary" if link else "primary",
            width="content",
            help=f"A new personal link for {plain(name)}; the old one stops working. Answers already "
            "given this period carry over to the new link."
            if link
            else f"A personal check-in link for {plain(name)}, to send them.",
        ):
            with calm():
                issued = checkins.issue_standing(app.db, actor, couple["id"], p["id"])
                st.session_state.setdefault(ISSUED, {})[p["id"]] = issued
                st.rerun()  # the partner's card, drawn above, said "No personal link yet"
        stop = bool(link) and buttons.button(
            f"Stop {plain(name)}'s link",
            key=f"checkins.revoke.{p['id']}",
            width="content",
            help=f"{plain(name)}'s personal link and this period's check-in it opened stop working; "
            "unsent answers are set aside. Use this if the link may have reached someone else.",
        )
        question = (
            f"Stop {plain(name)}'s personal check-in link? It and this period's check-in it opened will "
            "no longer open, and answers not yet sent are set aside. You can make a new link."
        )
        if link and confirm_delete(
            f"checkins.stopping.{p['id']}",
            p["id"],
            stop,
            question,
            # Named, as the card's other buttons are: both partners' questions may be open.
            f"Yes, stop {plain(name)}'s link",
            f"Keep {plain(name)}'s link",
        ):
            with calm():
                checkins.revoke_standing(app.db, actor, couple["id"], p["id"])
                st.session_state.get(ISSUED, {}).pop(p["id"], None)
                make(state.TOAST, f"{plain(name)}'s personal link is stopped: it no longer opens.")
                st.rerun()
        if buttons.button(
            f"{plain(name)} fills in here",
            key=f"checkins.handover.{p['id']}",
            width="content",
            help=f"Hand this device to {plain(name)}: only their check-in is shown. Taking it back "
            "needs your password.",
            icon=":material/phone_iphone:",
        ):
            with calm():
                start_handover(app, actor, couple["id"], p["id"])
show_partners_issued(app, ISSUED, partners)

# -- recent check-ins ------------------------------------------------------------------------------
st.header("Recent check-ins", anchor=False)
recent = checkins.recent(app.db, actor, couple["id"])
if recent.empty:
    st.info("No check-ins yet. They appear here as soon as a partner sends one.")
    st.stop()


def option_label(item_id: str, value) -> str:
    """A stored choice as the partner saw it ('Mine', 'Together'); blank when unanswered."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    option = form.item(item_id).option(value)
    return option.label if option else str(value)


# Whose career leads and who decided, in names: each partner's own "Mine" and "My partner's"
# side by side read as if they disagreed (a walkthrough), and the counselor had to work out
# whose "mine" each was.
first, second = (p["id"] for p in partners)
OTHER = {first: NAMES[second], second: NAMES[first]}
WHO = {
    ("career_lead", "mine"): lambda pid: f"{NAMES.get(pid, '?')}'s",
    ("career_lead", "my_partners"): lambda pid: f"{OTHER.get(pid, '?')}'s",
    ("last_decision", "mostly_me"): lambda pid: f"Mostly by {NAMES.get(pid, '?')}",
    ("last_decision", "mostly_partner"): lambda pid: f"Mostly by {OTHER.get(pid, '?')}",
}


def named(item_id: str, value, pid) -> str:
    """option_label, with "mine" and "my partner" said by name."""
    said = WHO.get((item_id, value))
    return said(pid) if said else option_label(item_id, value)


safety_item = form.item("safety_afraid")
rows = [
    (
        day(when),
        NAMES.get(pid, name),
        f"⚠ {option_label('safety_afraid', int(level))}" if flag else "",
        *(tables.figure(v) for v in figures),  # 0-10 answers, a CSI-4 total, a share
        named("career_lead", lead, pid),
        named("last_decision", decided, pid),
    )
    for when, pid, name, flag, level, lead, decided, *figures in zip(
        recent["submitted_at"].dt.to_pydatetime(),
        recent["partner_id"],
        recent["partner_name"],
        recent["safety_flag"],
        recent["safety_level"].fillna(0),
        recent["career_lead"],
        recent["last_decision"],
        recent["csi_total"],
        recent["fairness_me"],
        recent["heard"],
        recent["resentment"],
        recent["stress"],
        recent["load_share"],
        strict=True,
    )
]
st.html(recent_checkins.table_html(rows, "The couple's newest check-ins, newest first"))
st.caption(
    f"{'The one check-in' if len(recent) == 1 else f'The newest {len(recent)} check-ins'}. "
    "Satisfaction is the CSI-4 (cut-off 13.5); the other "
    f"answers are 0–10. “{plain(safety_item.prompt)}” is shown to you only."
)
st.page_link(EQUITY, label="See equity and trends over time", icon=":material/monitoring:")
