"""A counselor page left open clears itself once its sign-in has run out for want of use.

The idle limit was applied only at the next click: a screen left alone kept showing the couple's
details for as long as nobody touched it (privacy review, 2026-11-23). Shortly before the
limit the page asks "Still there?", so that a note being typed is not lost to it. Here the limit
is 0.4 minutes (24 s): the page asks every 6 s and warns from 12 s before the end.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    ARTIFACTS,
    assert_no_exception,
    login_form,
    open_from_caseload,
    running_server,
    shot,
    sign_in,
)

pytestmark = pytest.mark.e2e

COUPLE = "Zoë & Łukasz"
IDLE_MINUTES = "0.4"
IDLE_S = 24
TYPED = "Typed during the session, not saved yet"


@pytest.fixture
def idle_server(tmp_path) -> Iterator[str]:
    log = ARTIFACTS / "test_idle_sign_out.server.log"
    settings = {"TANDEM_IDLE_MINUTES": IDLE_MINUTES}
    with running_server(tmp_path / "tandem.duckdb", log, settings=settings) as base:
        yield base


def test_a_page_left_alone_warns_then_shows_only_the_sign_in_form(idle_server, page: Page):
    sign_in(page, idle_server, "demo", "demo-password")
    signed_in_at = time.monotonic()  # the sign-in's first use; later clicks within a minute
    open_from_caseload(page, COUPLE)  # are not written (TOUCH_EVERY), so the limit runs from here
    heading = page.get_by_role("heading", name=COUPLE, exact=True)
    expect(heading).to_be_visible()
    notes = page.get_by_label("Notes")
    notes.fill(TYPED)  # typed into a form and not saved: it never reached the server

    # Shortly before the limit the page asks, and one click keeps the sign-in.
    box = page.get_by_role("dialog")
    expect(box.get_by_text("Still there?")).to_be_visible(timeout=40_000)
    assert time.monotonic() - signed_in_at < IDLE_S
    expect(box).to_contain_text("not yet saved would be lost")
    shot(page, "idle-1-still-there")
    box.get_by_role("button", name="Stay signed in").click()
    expect(box).to_have_count(0)
    expect(notes).to_have_value(TYPED)
    # Past the first limit, still signed in, with the typed text still there.
    time.sleep(max(0.0, signed_in_at + IDLE_S + 4 - time.monotonic()))
    expect(login_form(page)).to_have_count(0)
    expect(heading).to_be_visible()
    expect(notes).to_have_value(TYPED)

    # No click, no key: after the next limit, plus one check and some slack, only the form.
    expect(login_form(page)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("You have been signed out")).to_be_visible()
    expect(heading).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert (
        page.get_by_test_id("stSidebar").count() == 0
        or not page.get_by_text("Open couple").is_visible()
    )
    assert_no_exception(page)
