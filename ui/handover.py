"""Handing the device to one partner in session: their check-in form and nothing else.

While a hand-over is stored for the counselor's sign-in (core.checkins), the login guard calls
`lock_if_active` before anything else is drawn: no sidebar, no couple, no counselor data, on
every page, after a reload too. The partner fills in their check-in and is then asked to hand
the device back; taking it back always needs the counselor's password (before the form is sent
and after), in a box with its own limit on wrong tries. A reload loses the form's token (it
lives only in this browser session): the partner is asked to hand the device back, and the
counselor's password opens the same check-in again with its answers.
"""

from __future__ import annotations

import streamlit as st

from core import checkins, frontend
from core.errors import TandemError, ValidationError
from ui import fill
from ui.widgets import plain

TOKEN = "tandem.handover.token"  # the hand-over form's token: only in this browser session
CLIENT = fill.HANDOVER  # what bad-token attempts from a hand-over are counted under
HAND_BACK = "Please hand the device back to your counselor now."


def start(app, actor, couple_id: int, partner_id: int) -> None:
    """Lock this sign-in to one partner's check-in and show it at once (or say calmly why not)."""
    try:
        st.session_state[TOKEN] = checkins.start_handover(app.db, actor, couple_id, partner_id)
    except checkins.AlreadyCheckedIn as e:
        st.info(plain(e), icon=":material/task_alt:")
        return
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
    name = plain(current["partner_name"])
    if current["submitted_at"] is not None:
        st.title(f"Thank you, {name}", anchor=False)  # the screen's h1 (ui/fill.py)
        st.success(f"Your check-in is with your counselor. {HAND_BACK}")
        st.divider()
        _counselor_box(app, actor, reopen=False)
        return
    token = st.session_state.get(TOKEN)
    if token is None:
        # A reload: the form's token is gone with the old browser session.
        st.title("Your check-in is paused", anchor=False)
        st.info(
            f"{name}, the page was reloaded, so the check-in is paused here. Your answers so far "
            f"are kept. {HAND_BACK}"
        )
        st.divider()
        _counselor_box(app, actor, reopen=True)
        return
    form = st.container(key=frontend.HANDOVER_FORM)  # the page script's sign (core/frontend.py)
    st.divider()
    _counselor_box(app, actor, reopen=False)
    with form:
        fill.render(app.db, token, CLIENT, app.settings.practice_name)


def _counselor_box(app, actor, *, reopen: bool) -> None:
    """The counselor's way back to their own view: their password, every time.

    `reopen` (after a reload) also offers opening the partner's check-in again, answers kept.
    """
    with (
        st.expander("Counselor: take the device back"),
        st.form("handover.end", clear_on_submit=True),
    ):
        password = st.text_input("Your password", type="password", key="handover.password")
        again = reopen and st.form_submit_button(
            "Open the check-in again", key="handover.reopen_submit", type="primary"
        )
        end = st.form_submit_button("End hand-over", key="handover.end_submit")
        if not (again or end):
            return
        try:
            if again:
                token = checkins.resume_handover(app.db, actor, password)
            else:
                checkins.end_handover(app.db, actor, password)
                token = None
        except ValidationError as e:
            st.error(plain(next(iter(e.fields.values()))))
            return
        except TandemError as e:
            st.error(plain(e))
            return
    if token is None:
        st.session_state.pop(TOKEN, None)
    else:
        st.session_state[TOKEN] = token
    st.rerun()
