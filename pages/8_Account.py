"""The signed-in counselor's own account: change password."""

import streamlit as st

from core import accounts
from ui import state
from ui.auth import _begin_session, require_login
from ui.once import Once
from ui.widgets import calm

app, actor = require_login("My account")

# The confirmation of a change, kept until the remember-me cookie's own reruns are over (the
# notice shown once by the guard would vanish with them).
CHANGED = "tandem.account.changed"

st.title("My account")
st.markdown(f"**{actor.display_name}** · `{actor.username}` · {actor.role}")
st.subheader("Change password", anchor=False)
st.caption("Changing it signs you out on every other device.")

changed = st.session_state.get(CHANGED)
if changed:
    if not st.session_state.get(state.COOKIE):
        st.session_state.pop(CHANGED)
    st.success(changed)

# The form keeps what was typed until the password is changed (a mismatch or a wrong current
# password must not empty it); then it is drawn afresh, and a double-click changes it once,
# never answering "the current password is not right" about its own change (ui/once.py).
changes = Once("account.password")
k = changes.key("account-password")
with st.form(k):
    current = st.text_input("Current password", type="password", key=f"{k}.current")
    new = st.text_input(
        f"New password (at least {accounts.PASSWORD_MIN_CHARS} characters)",
        type="password",
        key=f"{k}.new",
    )
    again = st.text_input("New password again", type="password", key=f"{k}.again")
    submitted = st.form_submit_button("Change password", key=f"{k}.submit")

if submitted:
    if new != again:
        st.error("The two new passwords differ.")
    else:
        with calm():
            changes.run(lambda: accounts.change_own_password(app.db, actor, current, new))
            remember = bool(st.session_state.get(state.REMEMBER)) or bool(
                st.context.cookies.get(accounts.COOKIE_NAME)
            )
            # This device signs in afresh (the change ended every sign-in, this one too); the
            # guard writes its new remember-me cookie on the next run.
            _begin_session(app, accounts.account_actor(app.db, actor.counselor_id), remember)
            st.session_state[CHANGED] = "Password changed. You are signed out everywhere else."
            st.rerun()
