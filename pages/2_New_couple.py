"""Add a couple: both partners' profiles, side by side, with the same fields."""

import streamlit as st

from core import couples
from ui import state
from ui.auth import require_login
from ui.sidebar import COUPLE
from ui.widgets import calm, partner_fields

app, actor = require_login("New couple")

st.title("New couple")
st.caption(
    "Both partners get the same fields; neither is the 'main' client. Only a name is required."
)

with st.form("new-couple"):
    left, right = st.columns(2)
    with left:
        p1 = partner_fields("p1", "Partner")
    with right:
        p2 = partner_fields("p2", "Partner")
    notes = st.text_area("Your notes (never shown to the couple)", key="new.notes", height=120)
    submitted = st.form_submit_button("Create couple", key="new.submit", type="primary")

if submitted:
    with calm({"p1": "First partner", "p2": "Second partner"}):
        couple_id = couples.create(app.db, actor, p1, p2, notes)
        st.session_state[state.COUPLE_ID] = couple_id
        st.switch_page(COUPLE)
