"""Handing the device to one partner in session: their check-in form and nothing else.

While a hand-over is stored for the counselor's sign-in (core.checkins), the login guard calls
`lock_if_active` before anything else is drawn: no sidebar, no couple, no counselor data, on
every page, after a reload too. The partner fills in their check-in; once it is sent, the
device can be handed back with one tap. Ending it before that needs the counselor's password.
"""

from __future__ import annotations

import streamlit as st

from core import checkins
from core.errors import TandemError, ValidationError
from ui import fill
from ui.widgets import plain

TOKEN = "tandem.handover.token"  # the hand-over form's token: only in this browser session
CLIENT = "handover"  # what bad-token attempts from a hand-over are counted under


def start(app, actor, couple_id: int, partner_id: int) -> None:
    """Lock this sign-in to one partner's check-in and show it at once."""
    st.session_state[TOKEN] = checkins.start_handover(app.db, actor, couple_id, partner_id)
    st.rerun()


def lock_if_active(app, actor) -> None:
    """If this sign-in is handed over, draw only the partner's form and stop the page."""
    current = checkins.active_handover(app.db, actor)
    if current is None:
        st.session_state.pop(TOKEN, None)
        return
    _locked(app, actor, current)
    st.stop()


def _locked(app, actor, current: dict) -> None:
    st.html(fill.PHONE_CSS)
    name = current["partner_name"]
    if current["submitted_at"] is not None:
        st.markdown(f"### Thank you, {plain(name)}")
        st.success("Your check-in is with your counselor. Please hand the device back now.")
        if st.button("Back to the counselor view", key="handover.back", type="primary"):
            checkins.end_handover(app.db, actor)
            st.session_state.pop(TOKEN, None)
            st.rerun()
        return
    form = st.container()
    st.divider()
    _end_early(app, actor)
    token = st.session_state.get(TOKEN)
    with form:
        if token is None:
            st.info(
                f"This device is handed to {plain(name)} for a check-in. The form cannot be "
                "reopened after a reload: the counselor can end the hand-over below and start "
                "it again."
            )
            return
        fill.render(app.db, token, CLIENT)


def _end_early(app, actor) -> None:
    """The counselor's way out before the form is sent: their own password."""
    with st.expander("Counselor: end the hand-over"), st.form("handover.end", clear_on_submit=True):
        password = st.text_input("Your password", type="password", key="handover.password")
        if st.form_submit_button("End hand-over", key="handover.end_submit"):
            try:
                checkins.end_handover(app.db, actor, password)
            except ValidationError as e:
                st.error(next(iter(e.fields.values())))
                return
            except TandemError as e:
                st.error(str(e))
                return
            st.session_state.pop(TOKEN, None)
            st.rerun()
