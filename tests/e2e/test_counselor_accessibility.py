"""Counselor pages with a screen reader and the keyboard in mind, in a real browser (an
accessibility audit): a save's toast is also said in a status region, and a form sent with
Enter keeps the focus in the form drawn afresh rather than losing it to the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    ARTIFACTS,
    assert_no_exception,
    go,
    open_from_caseload,
    running_server,
    sign_in,
    wait_idle,
)

pytestmark = pytest.mark.e2e

COUPLE = "Rachel & Marcus"


@pytest.fixture
def production(tmp_path) -> Iterator[str]:
    """A server of its own (the test writes), with the production entry: its page script
    (core/frontend.py) does both things tested here."""
    log = ARTIFACTS / "counselor_accessibility.server.log"
    with running_server(tmp_path / "tandem.duckdb", log, entry="serve.py") as base:
        yield base


def test_a_sent_form_keeps_the_focus_and_its_toast_is_announced(production, page: Page):
    sign_in(page, production, "demo", "demo-password")
    open_from_caseload(page, COUPLE)
    go(page, "Decisions", f"Decisions · {COUPLE}")
    page.get_by_role("tab", name="Options").click()
    wait_idle(page)
    box = page.get_by_role("textbox", name="Add an option")
    box.fill("Both take a sabbatical")
    box.press("Enter")
    wait_idle(page)
    expect(
        page.get_by_test_id("stExpander").filter(has_text="Both take a sabbatical")
    ).to_have_count(1)
    # The status region says what the toast says (a toast is no live region).
    expect(page.locator(".tandem-announce[role=status]")).to_have_text(
        "Option added: Both take a sabbatical."
    )
    # The focus is in the form drawn afresh, ready for the next option (it fell to the page,
    # and the next Tab started at the skip link and the sidebar).
    expect(page.get_by_role("textbox", name="Add an option")).to_be_focused()
    assert_no_exception(page)
    # Each partner's fields are a group named for the partner: their labels are the same.
    go(page, "New couple", "New couple")
    for whose in ("First partner", "Second partner"):
        group = page.get_by_role("group", name=whose)
        expect(group.get_by_role("textbox", name="Name (required)")).to_have_count(1)
