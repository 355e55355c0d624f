"""The signed-in counselor's own account: change password."""

import streamlit as st

from ui.auth import password_change_form, require_login

app, actor = require_login("My account")

st.title("My account")
st.markdown(f"**{actor.display_name}** · `{actor.username}` · {actor.role}")
st.subheader("Change password", anchor=False)
st.caption("Changing it signs you out on every other device.")
password_change_form(app, actor, key="account-password")
