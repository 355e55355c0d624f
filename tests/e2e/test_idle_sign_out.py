"""A counselor page left open clears itself once its sign-in has run out for want of use.

The idle limit was applied only at the next click: a screen left alone kept showing the couple's
details for as long as nobody touched it (privacy review, 2026-11-23). Here the limit is 0.3
minutes (18 s), so the page asks every 4.5 s; nothing is clicked after the couple opens.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    ARTIFACTS,
    assert_no_exception,
    login_form,
    open_from_caseload,
    running_server,
    sign_in,
)

pytestmark = pytest.mark.e2e

COUPLE = "Zoë & Łukasz"
IDLE_MINUTES = "0.3"


@pytest.fixture
def idle_server(tmp_path) -> Iterator[str]:
    log = ARTIFACTS / "test_idle_sign_out.server.log"
    settings = {"TANDEM_IDLE_MINUTES": IDLE_MINUTES}
    with running_server(tmp_path / "tandem.duckdb", log, settings=settings) as base:
        yield base


def test_a_page_left_alone_shows_only_the_sign_in_form_once_the_sign_in_runs_out(
    idle_server, page: Page
):
    sign_in(page, idle_server, "demo", "demo-password")
    open_from_caseload(page, COUPLE)
    partner = page.get_by_text("Łukasz").first
    expect(partner).to_be_visible()
    # No click, no key: 18 s after signing in, plus one check (4.5 s) and some slack.
    expect(login_form(page)).to_be_visible(timeout=40_000)
    expect(page.get_by_text("You have been signed out")).to_be_visible()
    expect(page.get_by_role("heading", name=COUPLE, exact=True)).to_have_count(0)
    assert (
        page.get_by_test_id("stSidebar").count() == 0
        or not page.get_by_text("Open couple").is_visible()
    )
    assert_no_exception(page)
