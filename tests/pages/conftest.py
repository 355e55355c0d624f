"""AppTest fixtures: the real app.py and pages against a temp database, per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import accounts, demo
from core.db import Database
from core.settings import SETTINGS
from ui import state

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
# Pages a visitor may open without signing in: a partner's link page (the token is the key).
PUBLIC_PAGES = ["pages/5_Questionnaire.py"]
PAGES = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "pages").glob("*.py")
    if str(p.relative_to(ROOT)) not in PUBLIC_PAGES
)
DEMO_PASSWORDS = {a["username"]: a["password"] for a in demo.DEMO_ACCOUNTS}


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch):
    """A developer's own TANDEM_* variables must not leak into page tests."""
    for env_name, *_ in SETTINGS.values():
        monkeypatch.delenv(env_name, raising=False)


@pytest.fixture
def demo_db(db_path):
    """A real database holding the demo practice."""
    database = Database(db_path)
    demo.seed(database)
    yield database
    database.close()


def new_app(db_path, *, demo_mode: bool = True) -> AppTest:
    """The entry script with its own database, not yet run."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["database_path"] = str(db_path)
    at.secrets["demo"] = "1" if demo_mode else "0"
    at.secrets["cookie_key"] = "test-cookie-key-that-is-long-enough-for-hs256"
    return at


def signed_in(db, db_path, username: str, page: str | None = None) -> AppTest:
    """An app whose session is already signed in (a live server-side session) as `username`."""
    actor = accounts.authenticate(db, username, DEMO_PASSWORDS.get(username, "test-password-1"))
    actor = accounts.start_session(db, actor, accounts.session_expiry(1))
    at = new_app(db_path)
    at.session_state[state.ACTOR] = actor
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def visible_text(at: AppTest) -> str:
    """Everything the page shows as text, joined (Markdown escapes removed)."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
        "success",
        "toast",
    ):
        parts.extend(str(el.value) for el in getattr(at, kind))
    parts.extend(str(el.label) for el in at.button)
    return "\n".join(parts).replace("\\", "")


def shows_login_form(at: AppTest) -> bool:
    """True when the sign-in form is on screen."""
    keys = {t.key for t in at.text_input}
    return {"login_username", "login_password"} <= keys
