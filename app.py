"""Tandem's entry: sign-in, then the counselor's caseload, the couple who needs attention first."""

import math

import streamlit as st

from core import alerts, couples
from core.clock import utcnow
from core.dates import shown
from ui import state
from ui.auth import require_login
from ui.sidebar import COUPLE, NEW_COUPLE
from ui.widgets import plain

app, actor = require_login("Caseload")
db = app.db

# Rows per screen; search narrows a large caseload faster than paging through it.
PAGE_SIZE = 25
STATUS_LABELS = {"active": "Active", "archived": "Archived", "all": "All"}
SORTS = {alerts.SORT_ATTENTION: alerts.SORT_LABEL, **couples.SORTS}
# Badge colour by the worst alert: safety, the validated measure, patterns, reminders.
SEVERITY_COLOURS = {4: "red", 3: "orange", 2: "violet", 1: "blue"}

st.title("Caseload")

controls = st.columns([3, 2, 2, 2] if actor.is_admin else [3, 2, 2])
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
if sort == alerts.SORT_ATTENTION:
    rows = alerts.by_urgency(rows, found)

top = st.columns([4, 1])
needing = sum(1 for r in rows if found.get(r["id"]) and found[r["id"]].alerts)
top[0].caption(
    f"{count['active']} active · {count['archived']} archived"
    + (" · whole practice" if whole_practice else "")
    + (f" · {needing} with alerts" if needing else "")
)
top[1].page_link(NEW_COUPLE, label="New couple", icon=":material/person_add:")

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

WIDTHS = [3, 4, 1.3, 1.3, 1.4, 1.8, 1] if whole_practice else [3, 4, 1.3, 1.3, 1.4, 1]
TITLES = ["Couple", "Alerts", "Last check-in", "Satisfaction (90 days)", "Next review"]
TITLES += ["Counselor", ""] if whole_practice else [""]
header = st.columns(WIDTHS)
for col, title in zip(header, TITLES, strict=True):
    if title:
        col.markdown(f"**{title}**")

EMPTY = alerts.Summary(0, (), None, None, None)
for row in shown_rows:
    summary = found.get(row["id"], EMPTY)
    cols = st.columns(WIDTHS, vertical_alignment="center")
    badge = " · *archived*" if row["status"] == "archived" else ""
    cols[0].markdown(f"{plain(row['label'])}{badge}")
    work = " / ".join(x for x in (row["occupation_1"], row["occupation_2"]) if x)
    cities = ", ".join(sorted({c for c in (row["city_1"], row["city_2"]) if c}))
    cols[0].caption(plain(" · ".join(x for x in (work, cities) if x) or "—"))
    with cols[1]:
        if summary.alerts:
            titles = " · ".join(
                f":{SEVERITY_COLOURS[a.severity]}[{plain(a.title)}]" for a in summary.alerts
            )
            # The count and titles are the popover's label: one click shows every reason.
            with st.popover(f"**{len(summary.alerts)}** · {titles}", width="stretch"):
                for alert in summary.alerts:
                    st.markdown(f"- {plain(alert.reason)}")
        else:
            st.caption("No alerts")
    cols[2].caption(shown(summary.last_checkin) if summary.last_checkin else "None yet")
    cols[3].caption(summary.trend_label)
    review = summary.next_review
    if review is None:
        cols[4].caption("—")
    elif review.review_on < now.date():
        cols[4].markdown(f":orange[{shown(review.review_on)} (passed)]")
    else:
        cols[4].caption(shown(review.review_on))
    if whole_practice:
        cols[5].caption(plain(row["counselor_name"]))
    if cols[-1].button("Open", key=f"open-{row['id']}"):
        st.session_state[state.COUPLE_ID] = row["id"]
        st.switch_page(COUPLE)

if pages > 1:
    nav = st.columns([1, 2, 1])
    if nav[0].button("← Previous", disabled=page <= 1, key="caseload.prev"):
        st.session_state[state.CASELOAD_PAGE] = page - 1
        st.rerun()
    nav[1].caption(f"Page {page} of {pages} · {len(rows)} couples")
    if nav[2].button("Next →", disabled=page >= pages, key="caseload.next"):
        st.session_state[state.CASELOAD_PAGE] = page + 1
        st.rerun()
