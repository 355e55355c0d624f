"""Add a couple: both partners' profiles, side by side, with the same fields."""

import streamlit as st

from core import couples
from ui import state
from ui.auth import require_login
from ui.once import Once
from ui.sidebar import COUPLE
from ui.widgets import calm, partner_fields

app, actor = require_login("New couple")

st.title("New couple", anchor=False)
st.caption(
    "Both partners get the same fields; neither is the 'main' client. Only a name is required."
)

# A double-click creates one couple (ui/once.py): the form is drawn afresh under new keys after
# each, and the second click's run, arriving just after the first made the couple, goes on to it.
# Within a second only: for REPEAT_S, a counselor who went to New couple again at once, from the
# new couple's page, was sent back to it (an owner's walkthrough).
BOUNCE_S = 1.0
made = Once("new_couple")
MADE = "tandem.new_couple.made"
just_made = st.session_state.get(MADE)
if (
    just_made is not None
    and made.just_saved(BOUNCE_S)
    and just_made == st.session_state.get(state.COUPLE_ID)
):
    st.session_state.pop(MADE, None)
    st.switch_page(COUPLE)

with st.form(made.key("new-couple")):
    left, right = st.columns(2)
    with left:
        p1 = partner_fields(made.key("p1"), "First partner")
    with right:
        p2 = partner_fields(made.key("p2"), "Second partner")
    k = made.key("new")
    notes = st.text_area("Your notes (never shown to the couple)", key=f"{k}.notes", height=120)
    submitted = st.form_submit_button("Create couple", key=f"{k}.submit", type="primary")

if submitted:
    with calm({"p1": "First partner", "p2": "Second partner"}):
        made.run(
            lambda: couples.create(app.db, actor, p1, p2, notes),
            lambda couple_id: {state.COUPLE_ID: couple_id, MADE: couple_id},
        )
        st.switch_page(COUPLE)
