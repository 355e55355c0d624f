"""The signed-in counselor's own account: change password."""

import streamlit as st

from ui import state
from ui.auth import PASSWORD_CHANGED, password_change_form, require_login
from ui.widgets import plain

app, actor = require_login("My account")

# The confirmation of a change, kept until the remember-me cookie's own reruns are over (the
# notice shown once by the guard would vanish with them).
CHANGED = "tandem.account.changed"

st.title("My account", anchor=False)
st.markdown(f"**{plain(actor.display_name)}** · `{actor.username}` · {actor.role}")
st.header("Change password", anchor=False)
st.caption("Changing it signs you out on every other device.")

changed = st.session_state.get(CHANGED)
if changed:
    if not st.session_state.get(state.COOKIE):
        st.session_state.pop(CHANGED)
    st.success(changed)

# A refusal keeps what was typed; a change draws the form afresh (ui.auth).
if password_change_form(
    app, actor, key="account-password", sync_cookie=False, said={CHANGED: PASSWORD_CHANGED}
):
    st.rerun()
