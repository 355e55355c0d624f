"""The role-aware sidebar drawn with st.page_link (the default page list is hidden)."""

from __future__ import annotations

import streamlit as st

from core.accounts import Actor
from ui import state

HOME = "app.py"
COUPLE = "pages/1_Couple.py"
NEW_COUPLE = "pages/2_New_couple.py"
QUESTIONNAIRES = "pages/3_Questionnaires.py"
CHECKINS = "pages/4_Checkins.py"
EQUITY = "pages/6_Equity_and_trends.py"
SEASONS = "pages/7_Seasons_and_ledger.py"
ACCOUNT = "pages/8_Account.py"
ADMIN = "pages/9_Admin.py"
AGREEMENTS = "pages/11_Agreements.py"
DECISIONS = "pages/12_Decisions.py"
ROADMAP = "pages/13_Roadmap.py"
SESSIONS = "pages/14_Sessions.py"


def draw_sidebar(app, actor: Actor) -> None:
    """Links for this actor's role, who is signed in, and the sign-out button."""
    from ui.auth import sign_out

    with st.sidebar:
        st.markdown("### :material/diversity_3: Tandem")
        st.caption(app.settings.practice_name)
        st.page_link(HOME, label="Caseload", icon=":material/list:")
        if st.session_state.get(state.COUPLE_ID) is not None:
            st.caption("Open couple")
            st.page_link(COUPLE, label="Overview", icon=":material/group:")
            st.page_link(QUESTIONNAIRES, label="Questionnaires", icon=":material/checklist:")
            # -- couple pages of the check-ins work (issue 4) go below this line --
            st.page_link(CHECKINS, label="Check-ins", icon=":material/event_repeat:")
            st.page_link(EQUITY, label="Equity and trends", icon=":material/monitoring:")
            st.page_link(SEASONS, label="Seasons and ledger", icon=":material/auto_stories:")
            # -- couple pages of the agreements/decisions/sessions work (issue 5) go below --
            st.page_link(AGREEMENTS, label="Agreements", icon=":material/handshake:")
            st.page_link(DECISIONS, label="Decisions", icon=":material/balance:")
            st.page_link(ROADMAP, label="Roadmap", icon=":material/timeline:")
            st.page_link(SESSIONS, label="Sessions", icon=":material/event_note:")
        st.page_link(NEW_COUPLE, label="New couple", icon=":material/person_add:")
        st.page_link(ACCOUNT, label="My account", icon=":material/key:")
        if actor.is_admin:
            st.page_link(ADMIN, label="Admin", icon=":material/admin_panel_settings:")
        st.divider()
        st.caption(f"Signed in as **{actor.display_name}** ({actor.role})")
        if st.button("Sign out", key="sign_out", width="stretch"):
            sign_out(app, actor)
            st.switch_page(HOME)
