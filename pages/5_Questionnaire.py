"""A partner's private questionnaire link (public: the token in the URL is the credential).

No counselor login, no sidebar, nothing of the other partner: see ui/fill.py.
"""

import streamlit as st

from core.links import visitor_address
from ui.app import get_app
from ui.fill import render

st.set_page_config(
    page_title="Your questionnaire",
    layout="centered",
    initial_sidebar_state="collapsed",
)
app = get_app()
render(
    app.db,
    st.query_params.get("t", ""),
    visitor_address(
        st.context.ip_address, st.context.headers.get("X-Forwarded-For"), app.settings.behind_proxy
    ),
    app.settings.practice_name,
)
