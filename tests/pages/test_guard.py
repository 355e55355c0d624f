"""Every page refuses a visitor who is not signed in: login form only, no client data."""

import ast

import pytest
from streamlit.testing.v1 import AppTest

from core import demo
from tests.pages.conftest import (
    PAGES,
    PUBLIC_PAGES,
    ROOT,
    new_app,
    shows_login_form,
    visible_text,
)
from ui import state

CLIENT_NAMES = sorted(
    {c[1]["name"] for c in demo.DEMO_COUPLES} | {c[2]["name"] for c in demo.DEMO_COUPLES}
)


@pytest.mark.parametrize("page", ["app.py", *PAGES])
def test_visitor_sees_only_the_login_form(demo_db, db_path, page):
    at = new_app(db_path)
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception
    assert shows_login_form(at)
    text = visible_text(at)
    assert not [name for name in CLIENT_NAMES if name in text]


@pytest.mark.parametrize("page", PAGES)
def test_visitor_with_a_couple_id_in_state_still_sees_only_the_login_form(demo_db, db_path, page):
    at = new_app(db_path)
    at.session_state[state.COUPLE_ID] = 1
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert shows_login_form(at)
    assert "Rachel" not in visible_text(at)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_public_page_without_a_valid_token_shows_no_client_data(demo_db, db_path, page, token):
    at = AppTest.from_file(str(ROOT / page), default_timeout=30)
    at.secrets["database_path"] = str(db_path)
    at.query_params["t"] = token
    at.run()
    assert not at.exception
    text = visible_text(at)
    assert not [name for name in CLIENT_NAMES if name in text]
    assert not at.sidebar.button and not at.sidebar.markdown and not at.sidebar.get("html")


def test_every_page_but_the_public_ones_calls_the_guard_first():
    for page in PAGES:
        body = (ROOT / page).read_text(encoding="utf-8")
        # The first statement after the docstring and the imports (however they are wrapped).
        first = next(
            node
            for node in ast.parse(body).body
            if not isinstance(node, ast.Import | ast.ImportFrom)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        )
        assert ast.get_source_segment(body, first).startswith(
            ("app, actor = require_login(", "app, actor = require_admin(")
        ), page
