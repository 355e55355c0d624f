"""The role-aware sidebar (the default page list is hidden): one HTML element of links where the
page script follows them (serve.py), Streamlit's page links where it does not."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import frontend
from core.accounts import Actor
from ui import state
from ui.widgets import READABLE_CSS, plain

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
# same sidebar on an empty page to measure what the sidebar alone costs a click.
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


# The sidebar is one HTML element, not a Streamlit element per line: every element Streamlit
# draws costs the browser ~2 ms on each page change, and the sidebar's 17 lines (its name,
# twelve page links, captions, a rule) took ~30 ms of every click on a counselor page where the
# empty page's whole page change takes ~40 ms (BENCHMARKS.md). Its links are ordinary links
# that the page script follows inside the app (core/frontend.py, part 8), as it does the
# caseload's couples: a plain click changes the page here, in the same session; a Ctrl/Cmd,
# Shift or middle click opens it in a new tab or window, as any link does.
NAV_CSS = """<style>
/* The app's name in the sidebar: not a heading (it came before each page's h1, and a screen
   reader's list of headings began with it: an accessibility audit). */
.tandem-nav .brand { font-size: 1.25rem; font-weight: 600; margin: 0 0 0.25rem; padding: 0; }
.tandem-nav p { font-size: 0.875rem; margin: 0.5rem 0 0.25rem; opacity: 0.8; }
.tandem-nav ul { list-style: none; margin: 0; padding: 0; }
.tandem-nav li { margin: 0 0 0.125rem; padding: 0; }
.tandem-nav a { display: flex; align-items: center; gap: 0.5rem; padding: 0.25rem 0.5rem;
  border-radius: 0.5rem; color: inherit; text-decoration: none; line-height: 1.6;
  font-size: 0.9375rem; }
.tandem-nav a:hover { background: rgba(151, 166, 195, 0.15); }
.tandem-nav a[aria-current="page"] { background: rgba(151, 166, 195, 0.25); font-weight: 600; }
.tandem-nav .icon { font-family: "Material Symbols Rounded"; font-size: 1.1rem; line-height: 1;
  font-weight: 400; font-style: normal; letter-spacing: normal; text-transform: none;
  white-space: nowrap; direction: ltr; font-feature-settings: "liga"; user-select: none;
  width: 1.25rem; overflow: hidden; flex-shrink: 0; }
.tandem-nav hr { margin: 1rem 0; border: none; border-top: 1px solid rgba(49, 51, 63, 0.2); }
</style>"""
ROOT = Path(__file__).resolve().parents[1]


def page_path(page: str) -> str:
    """A page's address under the app's root, as Streamlit names a pages-folder file:
    "pages/1_Couple.py" is at "Couple", the entry script at the root ("")."""
    return "" if page == HOME else Path(page).stem.split("_", 1)[1]


def current_page() -> str | None:
    """The file of the page this run draws (relative to the app, "pages/1_Couple.py"), if
    Streamlit says; st.page_link asks it the same way."""
    ctx = get_script_run_ctx()
    info = ctx.pages_manager.get_pages().get(ctx.page_script_hash) if ctx else None
    if not info:
        return None
    try:
        return Path(info["script_path"]).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None


def _link(root: str, page: str, label: str, icon: str, current: str | None) -> str:
    name = icon.removeprefix(":material/").removesuffix(":")
    here = ' aria-current="page"' if page == current else ""
    return (
        f'<li><a href="{escape(root + page_path(page))}" data-in-app{here}>'
        f'<span class="icon" aria-hidden="true" translate="no">{escape(name)}</span>'
        f"{escape(label)}</a></li>"
    )


def sidebar_html(
    groups: Sequence[tuple[str, Sequence[tuple[str, str, str]]]],
    practice: str,
    who: str,
    root: str = "/",
    current: str | None = None,
) -> str:
    """The sidebar's text and links as one HTML element: `groups` of (caption, links) in order
    (caption "" for none), the practice's name, who is signed in (already HTML), the app's root
    address and the page on screen (marked as the current one)."""
    parts = [NAV_CSS, READABLE_CSS, '<div class="tandem-nav"><p class="brand">Tandem</p>']
    parts.append(f"<p>{escape(practice)}</p>")
    parts.append('<nav aria-label="Pages">')
    for caption, links in groups:
        if caption:
            parts.append(f"<p>{escape(caption)}</p>")
        parts.append("<ul>" + "".join(_link(root, *link, current) for link in links) + "</ul>")
    parts.append(f"</nav><hr><p>{who}</p></div>")
    return "".join(parts)


def link_groups(
    actor: Actor, couple_open: bool
) -> list[tuple[str, tuple[tuple[str, str, str], ...]]]:
    """The sidebar's links for this actor, in groups of (caption, links)."""
    groups = [("", (HOME_LINK,))]
    if couple_open:
        groups.append(("Open couple", COUPLE_LINKS))
    groups.append(("", OWN_LINKS + ((ADMIN_LINK,) if actor.is_admin else ())))
    return groups


def draw_sidebar(app, actor: Actor) -> None:
    """Links for this actor's role, who is signed in, and the sign-out button."""
    from ui.auth import sign_out

    groups = link_groups(actor, st.session_state.get(state.COUPLE_ID) is not None)
    with st.sidebar:
        # The page's readability styles ride on the sidebar: no element of their own.
        if frontend.page_script_served():
            st.html(
                sidebar_html(
                    groups,
                    app.settings.practice_name,
                    f"Signed in as <strong>{escape(actor.display_name)}</strong> "
                    f"({escape(actor.role)})",
                    frontend.url_root(st.get_option("server.baseUrlPath") or ""),
                    current_page(),
                )
            )
        else:  # no page script to follow plain links inside the app: Streamlit's page links
            # The app's name, not a heading here either (see NAV_CSS): as an h3 it came before
            # each page's h1.
            st.markdown(
                f'{READABLE_CSS}\n\n<p style="font-size: 1.25rem; font-weight: 600">Tandem</p>',
                unsafe_allow_html=True,
            )
            st.caption(plain(app.settings.practice_name))
            for caption, links in groups:
                if caption:
                    st.caption(caption)
                for page, label, icon in links:
                    st.page_link(page, label=label, icon=icon)
            st.divider()
            st.caption(f"Signed in as **{plain(actor.display_name)}** ({actor.role})")
        if st.button("Sign out", key="sign_out", width="stretch"):
            sign_out(app, actor)
            st.switch_page(HOME)
