"""The process-wide app handle: settings and the one database connection."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import streamlit as st

from core import accounts
from core.db import Database
from core.errors import TandemError
from core.settings import Settings, resolve

_LOG = logging.getLogger("tandem")


@dataclass(frozen=True)
class App:
    """What every page needs: resolved settings, the database, the cookie key."""

    settings: Settings
    db: Database
    cookie_key: str


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml is a normal state, not an error
        return {}


@st.cache_resource(show_spinner=False)
def _open(settings: Settings) -> App:
    db = Database(settings.database_path, settings.db_key or None)
    if settings.demo:
        # Only demo mode needs the seed (it pulls in pandas and Altair): a real practice's
        # first page starts without them (issue 6).
        from core import demo

        demo.seed(db)
    elif accounts.needs_first_admin(db):
        code = accounts.issue_setup_code(db, settings.setup_code or None)
        if not settings.setup_code:
            # The operator reads this in the server log; it proves they run the server.
            print(f"Tandem first start: setup code for the first admin: {code}", flush=True)
    return App(settings, db, accounts.cookie_key(db, settings.cookie_key))


def get_app() -> App:
    """Settings from the environment and secrets, and the shared database (opened once)."""
    settings = resolve(os.environ, _secrets())
    try:
        return _open(settings)
    except TandemError as e:
        # The reason (a file path, DuckDB's own words, even its stack trace for an internal
        # error) is for the operator, in the server's log: anyone may open a page, a partner
        # with her link too.
        _LOG.error("Tandem cannot start: %s", e)
        st.error(CANNOT_START)
        st.stop()


CANNOT_START = (
    "Tandem cannot start just now: its database could not be opened. Please try again later. "
    "Whoever runs Tandem finds the reason in the server's log."
)
