"""Tandem's entry: sign-in, then the counselor's caseload, the couple who needs attention first."""

import streamlit as st

from core import alerts, couples
from core.clock import utcnow
from ui import caseload, state
from ui.auth import require_login
from ui.sidebar import NEW_COUPLE, QUESTIONNAIRE
from ui.widgets import browser_zone, choose, screen_buttons, screen_of

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

# The title with the way to add a couple at the row's right end (a row, not columns: 4 elements
# fewer, though no faster to draw, BENCHMARKS.md).
top = st.container(horizontal=True, vertical_alignment="bottom")
top.title("Caseload", anchor=False)
top.page_link(NEW_COUPLE, label="New couple", icon=":material/person_add:", width="content")

# One row that wraps: in columns, a tablet's width (820 px beside the sidebar) cut the "Show"
# choices off after "Archived", and "All" could not be reached.
controls = st.container(horizontal=True, wrap=True, gap="small")
q = controls.text_input(
    "Search", key="caseload.q", placeholder="Name, city, occupation…", max_chars=100, width=230
)
status = controls.segmented_control(
    "Show",
    list(STATUS_LABELS),
    format_func=STATUS_LABELS.get,
    default="active",
    key="caseload.status",
)
sort = choose("Sort by", SORTS, "caseload.sort", where=controls, width=190)
whole_practice = False
if actor.is_admin:
    whole_practice = controls.toggle(
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
found = alerts.summaries(db, actor, whole_practice=whole_practice, now=now, zone=browser_zone())
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
    elif count["active"] + count["archived"] == 0 and actor.is_admin and not whole_practice:
        st.info(
            "No couples of your own yet. **Whole practice** shows every counselor's couples; "
            "**New couple** adds one to your own caseload."
        )
    elif count["active"] + count["archived"] == 0:
        st.info("No couples yet. Add the first one with **New couple**.")
    else:
        st.info(f"No {STATUS_LABELS.get(status or 'active', '').lower()} couples.")
    st.stop()

screen = screen_of(rows, PAGE_SIZE, state.CASELOAD_PAGE)

# One HTML table, its names links to the couples (ui/caseload.py): not a grid of columns (~20
# elements per row, one websocket message each) and not Streamlit's data grid (~170 ms of code
# to fetch, compile and draw on every full load; BENCHMARKS.md).
st.html(
    caseload.table_html(
        screen.rows,
        found,
        whole_practice=whole_practice,
        caption=f"Couples, page {screen.number} of {screen.count}",
        token=lambda couple_id: couples.link_token(app.cookie_key, actor, couple_id),
    )
)
screen_buttons(
    screen,
    state.CASELOAD_PAGE,
    ("← Previous", "Next →"),
    ("caseload.prev", "caseload.next"),
    f"Page {screen.number} of {screen.count} · {len(rows)} couples",
)
