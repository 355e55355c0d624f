"""Counselor pages with a screen reader and the keyboard in mind, in a real browser (an
accessibility audit): a save's toast is also said in a status region, a form sent with Enter
keeps the focus in the form drawn afresh rather than losing it to the page, headings run in
order, and a chart's numbers are reached with the keyboard."""

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
    shot,
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


# Every heading on the screen, in the order a screen reader lists them: its level.
HEADING_LEVELS = (
    "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => +h.tagName[1])"
)


def assert_headings_in_order(page: Page, where: str) -> None:
    """One h1 first, and no level skipped after it (an accessibility audit: sections were h3)."""
    levels = page.evaluate(HEADING_LEVELS)
    assert levels and levels[0] == 1 and levels.count(1) == 1, (where, levels)
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (where, levels)


def test_headings_run_in_order_and_a_charts_numbers_are_reached_with_the_keyboard(
    production, page: Page
):
    sign_in(page, production, "demo", "demo-password")
    assert_headings_in_order(page, "caseload")
    open_from_caseload(page, COUPLE)
    assert page.evaluate(HEADING_LEVELS) == [1, 2, 2, 2]  # the couple, both cards, the notes
    go(page, "Equity and trends", f"Equity and trends · {COUPLE}")
    assert_headings_in_order(page, "equity and trends")
    # A chart's points are reached only by hovering: its numbers are folded under it, and Tab
    # reaches them (an accessibility audit).
    summary = page.locator("summary", has_text="The numbers behind this chart").first
    for _ in range(80):
        page.keyboard.press("Tab")
        if summary.evaluate("(s) => s === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("details.tandem-numbers").first).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    region = page.get_by_role("region", name="Equity over time")
    expect(region).to_be_focused()  # it scrolls: the keyboard scrolls it
    expect(region.locator("caption")).to_contain_text("Equity over time, week by week")
    expect(region.get_by_role("columnheader", name="Balance")).to_be_visible()
    assert region.get_by_role("rowheader").count() >= 50  # a year of weeks
    shot(page, "counselor-a11y-chart-numbers")
    go(page, "Roadmap", f"Roadmap · {COUPLE}")
    expect(page.locator("summary", has_text="The dates behind this chart")).to_have_count(1)
    assert_headings_in_order(page, "roadmap")
    assert_no_exception(page)
