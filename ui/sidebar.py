"""The role-aware sidebar drawn with st.page_link (the default page list is hidden)."""

from __future__ import annotations

import streamlit as st

from core.accounts import Actor
from ui import state
from ui.widgets import READABLE_CSS

HOME = "app.py"
COUPLE = "pages/1_Couple.py"
NEW_COUPLE = "pages/2_New_couple.py"
QUESTIONNAIRES = "pages/3_Questionnaires.py"
QUESTIONNAIRE = "pages/5_Questionnaire.py"  # a partner's form: public, never in the sidebar
CHECKINS = "pages/4_Checkins.py"
EQUITY = "pages/6_Equity_and_trends.py"
SEASONS = "pages/7_Seasons_and_ledger.py"
ACCOUNT = "pages/8_Account.py"
ADMIN = "pages/9_Admin.py"
AGREEMENTS = "pages/11_Agreements.py"
DECISIONS = "pages/12_Decisions.py"
ROADMAP = "pages/13_Roadmap.py"
SESSIONS = "pages/14_Sessions.py"


# The sidebar's links as (page, label, icon): the caseload; the open couple's pages (shown while
# a couple is open); the counselor's own pages; the admin's. scripts/benchmark.py draws the
# same links on an empty page to measure what the sidebar alone costs a click.
HOME_LINK = (HOME, "Caseload", ":material/list:")
COUPLE_LINKS = (
    (COUPLE, "Overview", ":material/group:"),
    (QUESTIONNAIRES, "Questionnaires", ":material/checklist:"),
    (CHECKINS, "Check-ins", ":material/event_repeat:"),
    (EQUITY, "Equity and trends", ":material/monitoring:"),
    (SEASONS, "Seasons and ledger", ":material/auto_stories:"),
    (AGREEMENTS, "Agreements", ":material/handshake:"),
    (DECISIONS, "Decisions", ":material/balance:"),
    (ROADMAP, "Roadmap", ":material/timeline:"),
    (SESSIONS, "Sessions", ":material/event_note:"),
)
OWN_LINKS = (
    (NEW_COUPLE, "New couple", ":material/person_add:"),
    (ACCOUNT, "My account", ":material/key:"),
)
ADMIN_LINK = (ADMIN, "Admin", ":material/admin_panel_settings:")


def _links(*links: tuple[str, str, str]) -> None:
    for page, label, icon in links:
        st.page_link(page, label=label, icon=icon)


def draw_sidebar(app, actor: Actor) -> None:
    """Links for this actor's role, who is signed in, and the sign-out button."""
    from ui.auth import sign_out

    with st.sidebar:
        # The page's readability styles ride on the sidebar's name: no element of their own.
        st.markdown(f"{READABLE_CSS}\n\n### Tandem", unsafe_allow_html=True)
        st.caption(app.settings.practice_name)
        _links(HOME_LINK)
        if st.session_state.get(state.COUPLE_ID) is not None:
            st.caption("Open couple")
            _links(*COUPLE_LINKS)
        _links(*OWN_LINKS)
        if actor.is_admin:
            _links(ADMIN_LINK)
        st.divider()
        st.caption(f"Signed in as **{actor.display_name}** ({actor.role})")
        if st.button("Sign out", key="sign_out", width="stretch"):
            sign_out(app, actor)
            st.switch_page(HOME)
