"""Tandem's entry: sign-in, then the counselor's caseload, the couple who needs attention first."""

import math

import streamlit as st

from core import alerts, couples
from core.clock import utcnow
from ui import state
from ui.auth import require_login
from ui.sidebar import COUPLE, NEW_COUPLE, QUESTIONNAIRE

# Set by the table's Open button (below): go to the couple at once, before this page draws
# anything (its sidebar would be sent to the browser only to be replaced). Nothing is shown
# here: the couple page runs the login guard and core checks the couple's owner. (st.switch_page
# inside the callback itself would save nothing measurable, and AppTest cannot run it there.)
OPENING = "caseload.opening"
if st.session_state.pop(OPENING, False):
    st.switch_page(COUPLE)
# A partner's link that reached the site's root (its page's name lost or mistyped in copying)
# opens the partner's page with its token, not the counselors' sign-in.
if "t" in st.query_params:
    st.switch_page(QUESTIONNAIRE, query_params={"t": st.query_params["t"]})

app, actor = require_login("Caseload")
db = app.db

# Rows per screen; search narrows a large caseload faster than paging through it.
PAGE_SIZE = 25
STATUS_LABELS = {"active": "Active", "archived": "Archived", "all": "All"}
SORTS = {alerts.SORT_ATTENTION: alerts.SORT_LABEL, **couples.SORTS}
# Badge colour by the worst alert: safety, the validated measure, patterns, reminders.
SEVERITY_COLOURS = {4: "red", 3: "orange", 2: "violet", 1: "blue"}

# The title with the way to add a couple on its right: above the table, the table's own toolbar
# (columns, download, search, full screen) appears at its top right when the pointer is on it.
heading, add = st.columns([3, 1], vertical_alignment="bottom")
heading.title("Caseload", anchor=False)
add.page_link(NEW_COUPLE, label="New couple", icon=":material/person_add:")

controls = st.columns([3, 3, 2, 2] if actor.is_admin else [3, 3, 2])
q = controls[0].text_input(
    "Search", key="caseload.q", placeholder="Name, city, occupation…", max_chars=100
)
status = controls[1].segmented_control(
    "Show",
    list(STATUS_LABELS),
    format_func=STATUS_LABELS.get,
    default="active",
    key="caseload.status",
)
sort = controls[2].selectbox("Sort by", list(SORTS), format_func=SORTS.get, key="caseload.sort")
whole_practice = False
if actor.is_admin:
    whole_practice = controls[3].toggle(
        "Whole practice", value=True, key="caseload.whole", help="Admins can see every caseload."
    )

rows = couples.caseload(
    db,
    actor,
    q=q,
    status=status or "active",
    sort="name" if sort == alerts.SORT_ATTENTION else sort,
    whole_practice=whole_practice,
)
count = couples.counts(db, actor, whole_practice)
now = utcnow()
# Every couple's alert inputs in a few queries for the whole caseload, never one per couple.
found = alerts.summaries(db, actor, whole_practice=whole_practice, now=now)
# An archived couple shows only a safety alert (core.alerts.as_shown).
found = {r["id"]: alerts.as_shown(found[r["id"]], r["status"]) for r in rows if r["id"] in found}
if sort == alerts.SORT_ATTENTION:
    rows = alerts.by_urgency(rows, found)

needing = sum(1 for r in rows if found.get(r["id"]) and found[r["id"]].alerts)
st.caption(
    f"{count['active']} active · {count['archived']} archived"
    + (" · whole practice" if whole_practice else "")
    + (f" · {needing} with alerts" if needing else "")
)

if not rows:
    if q:
        st.info("No couple matches that search.")
    elif count["active"] + count["archived"] == 0:
        st.info("No couples yet. Add the first one with **New couple**.")
    else:
        st.info(f"No {STATUS_LABELS.get(status or 'active', '').lower()} couples.")
    st.stop()

pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
page = min(st.session_state.get(state.CASELOAD_PAGE, 1), pages)
shown_rows = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

# One table, not a grid of columns: a grid drew ~20 elements per row, one websocket message
# each, and a click on the caseload spent ~0.5 s sending and drawing them (BENCHMARKS.md).
ALERT_OPTIONS = list(alerts.TITLES.values())
ALERT_COLOURS = [SEVERITY_COLOURS[alerts.SEVERITY[rule]] for rule in alerts.TITLES]
EMPTY = alerts.Summary(0, (), None, None, None)


def open_couple_from_table(ids: list[int]) -> None:
    """The table's Open button: note the couple; the run it starts switches to the couple's
    page before the caseload is read or drawn again (top of this file).

    `ids` are the rows as the clicked table showed them (bound when it was drawn), so a caseload
    that changed since cannot turn a click into another couple.
    """
    click = st.session_state.get("caseload.open")
    _open_row(ids, click["row"] if click else None)


PICKER = "caseload.pick"


def open_couple_from_picker(ids: list[int]) -> None:
    """The picker under the table (the keyboard's way in: the table's Open cells take no Enter
    or Space), like the table's Open button. `ids` are the rows the picker offered."""
    _open_row(ids, st.session_state.get(PICKER))


def _open_row(ids: list[int], row) -> None:
    """Note the couple of row `row` of `ids` (anything else: nothing) for the next run to open."""
    if isinstance(row, int) and 0 <= row < len(ids):
        st.session_state[state.COUPLE_ID] = ids[row]
        st.session_state[OPENING] = True


# The alerts' reasons right after them: at the end they were off screen at 1400 px.
COLUMNS = ["open", "couple", "counselor", "alerts", "why", "last", "trend", "review", "about"]
table: dict[str, list] = {c: [] for c in COLUMNS if c != "counselor" or whole_practice}
for row in shown_rows:
    summary = found.get(row["id"], EMPTY)
    work = " / ".join(x for x in (row["occupation_1"], row["occupation_2"]) if x)
    cities = ", ".join(sorted({c for c in (row["city_1"], row["city_2"]) if c}))
    table["open"].append("Open")
    table["couple"].append(row["label"] + (" (archived)" if row["status"] == "archived" else ""))
    table["about"].append(" · ".join(x for x in (work, cities) if x) or "—")
    table["alerts"].append([a.title for a in summary.alerts])
    table["why"].append("   ·   ".join(a.reason for a in summary.alerts))
    table["last"].append(summary.last_checkin)
    table["trend"].append(summary.trend_label)
    review = summary.next_review
    table["review"].append(review.review_on if review else None)
    if whole_practice:
        table["counselor"].append(row["counselor_name"])

ROW_PX = 35
# Room below the last row for the table's sideways scroll bar, which otherwise covers it.
SCROLLBAR_PX = 14
DATE = "D MMM YYYY"  # 7 Mar 2027, as core.dates.shown writes dates elsewhere
st.dataframe(
    table,
    key="caseload.table",
    hide_index=True,
    width="stretch",
    row_height=ROW_PX,
    # Every row of the page on screen, no scrolling inside the table.
    height=ROW_PX * (len(shown_rows) + 1) + 3 + SCROLLBAR_PX,
    column_order=list(table),
    placeholder="—",  # a couple with no check-in or review yet: a dash, not "None"
    column_config={
        "open": st.column_config.ButtonColumn(
            "",
            width=70,
            pinned=True,
            on_click=open_couple_from_table,
            args=([row["id"] for row in shown_rows],),
            key="caseload.open",
        ),
        "couple": st.column_config.TextColumn("Couple", width=170, pinned=True),
        "about": st.column_config.TextColumn("Work and cities", width="medium"),
        "alerts": st.column_config.MultiselectColumn(
            "Alerts",
            options=ALERT_OPTIONS,
            color=ALERT_COLOURS,
            width=260,
            help="The worst first; *Why* has each one's reason.",
        ),
        "why": st.column_config.TextColumn("Why", width="large"),
        "last": st.column_config.DateColumn("Last check-in", format=DATE, width=105),
        "trend": st.column_config.TextColumn(
            "Satisfaction", width=105, help="Over the last 90 days: whose moved, and which way."
        ),
        "review": st.column_config.DateColumn(
            "Next review", format=DATE, width=105, help="The next agreement or decision review."
        ),
        "counselor": st.column_config.TextColumn("Counselor", width=130),
    },
)

# The same rows by name, for the keyboard (and for anyone who would rather type a name): a
# choice opens the couple, as Open does.
labels = table["couple"]
st.selectbox(
    "Open a couple from this page",
    range(len(shown_rows)),
    index=None,
    format_func=labels.__getitem__,
    placeholder="Type or choose a name…",
    key=PICKER,
    on_change=open_couple_from_picker,
    args=([row["id"] for row in shown_rows],),
    width=360,
)

if pages > 1:
    nav = st.columns([1, 2, 1])
    if nav[0].button("← Previous", disabled=page <= 1, key="caseload.prev"):
        st.session_state[state.CASELOAD_PAGE] = page - 1
        st.rerun()
    nav[1].caption(f"Page {page} of {pages} · {len(rows)} couples")
    if nav[2].button("Next →", disabled=page >= pages, key="caseload.next"):
        st.session_state[state.CASELOAD_PAGE] = page + 1
        st.rerun()
