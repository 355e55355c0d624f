"""Tandem's entry: sign-in, then the counselor's caseload."""

import math

import streamlit as st

from core import couples
from ui import state
from ui.auth import require_login
from ui.sidebar import COUPLE, NEW_COUPLE
from ui.widgets import plain

app, actor = require_login("Caseload")
db = app.db

# Rows per screen; search narrows a large caseload faster than paging through it.
PAGE_SIZE = 25
STATUS_LABELS = {"active": "Active", "archived": "Archived", "all": "All"}

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
sort = controls[2].selectbox(
    "Sort by", list(couples.SORTS), format_func=couples.SORTS.get, key="caseload.sort"
)
whole_practice = False
if actor.is_admin:
    whole_practice = controls[3].toggle(
        "Whole practice", value=True, key="caseload.whole", help="Admins can see every caseload."
    )

rows = couples.caseload(
    db, actor, q=q, status=status or "active", sort=sort, whole_practice=whole_practice
)
count = couples.counts(db, actor, whole_practice)

top = st.columns([4, 1])
top[0].caption(
    f"{count['active']} active · {count['archived']} archived"
    + (" · whole practice" if whole_practice else "")
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
shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

header = st.columns([3, 3, 2, 2, 1] if whole_practice else [3, 3, 2, 1])
for col, title in zip(
    header,
    ["Couple", "Work", "Where", "Counselor", ""]
    if whole_practice
    else ["Couple", "Work", "Where", ""],
    strict=True,
):
    if title:
        col.markdown(f"**{title}**")

for row in shown:
    cols = st.columns([3, 3, 2, 2, 1] if whole_practice else [3, 3, 2, 1])
    badge = " · *archived*" if row["status"] == "archived" else ""
    cols[0].markdown(f"{plain(row['label'])}{badge}")
    cols[1].caption(
        plain(" / ".join(x for x in (row["occupation_1"], row["occupation_2"]) if x) or "—")
    )
    cities = {c for c in (row["city_1"], row["city_2"]) if c}
    cols[2].caption(plain(", ".join(sorted(cities)) or "—"))
    if whole_practice:
        cols[3].caption(plain(row["counselor_name"]))
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
