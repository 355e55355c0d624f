"""A double-click on a counselor form's submit button saves once and says so, in a real browser.

Streamlit starts a second script run for the second click while the first may still be saving
(fast reruns); only a browser sends the two clicks that close together. The forms keep what was
typed on an error, so they cannot use clear_on_submit (which emptied the form before the second
click and turned it into "say what happened…").
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    assert_no_exception,
    go,
    open_from_caseload,
    sign_in,
    sign_out,
    wait_idle,
)

pytestmark = pytest.mark.e2e

COUPLE = "Zoë & Łukasz"


def double_click(page: Page, name: str, gap_ms: int = 0) -> None:
    """Double-click the button `name` and wait until every run it started is over.

    With `gap_ms`, the second click comes that much later at the same spot, as a person's
    does: often after the first click's save and rerun, when the browser still sends what it
    showed before them."""
    button = page.get_by_role("button", name=name, exact=True)
    if gap_ms:
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)
        page.wait_for_timeout(gap_ms)
        page.mouse.click(x, y)
    else:
        button.dblclick()
    wait_idle(page)
    page.wait_for_timeout(800)  # a second run may start just after the first one ends
    wait_idle(page)
    assert_no_exception(page)


def errors(page: Page) -> list[str]:
    return page.get_by_test_id("stAlertContentError").all_inner_texts()


# Every toast the page shows, as it appears. A toast stays ~4 s; on a loaded machine the waits
# after a double-click (both runs over, then a pause for a late third) outlasted it once in CI.
TOAST_RECORDER = """
window.__toasts = [];
new MutationObserver(() => {
  for (const t of document.querySelectorAll('[data-testid="stToast"]')) {
    const text = t.innerText.trim();
    if (text && !window.__toasts.includes(text)) window.__toasts.push(text);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def toasts(page: Page) -> list[str]:
    return page.evaluate("window.__toasts")


def test_double_clicks_add_one_record_and_empty_the_form(fresh_server, page: Page):
    # A server of its own per try: a retry must not start from the records this test made.
    page.context.add_init_script(TOAST_RECORDER)
    sign_in(page, fresh_server, "demo", "demo-password")
    open_from_caseload(page, COUPLE)

    # -- the roadmap --------------------------------------------------------------------------
    go(page, "Roadmap", f"Roadmap · {COUPLE}")
    what = page.get_by_role("textbox", name="What (required)")
    what.fill("Contract ends")
    page.get_by_test_id("stDateInput").first.get_by_role("spinbutton").first.click()
    page.keyboard.type("30092027")
    page.keyboard.press("Tab")
    wait_idle(page)
    double_click(page, "Add")
    assert errors(page) == []
    assert any("Added to the roadmap: Contract ends." in t for t in toasts(page)), toasts(page)
    expect(what).to_have_value("")
    page.get_by_role("tab", name="Change or remove").click()
    page.get_by_test_id("stSelectbox").filter(has_text="Event").click()
    events = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert sum("Contract ends" in e for e in events) == 1, events

    # -- a decision: start it, one option, one factor -------------------------------------------
    go(page, "Decisions", f"Decisions · {COUPLE}")
    page.get_by_role("textbox", name="What is being decided? (required)").fill("Offer in Porto")
    double_click(page, "Start the decision record", gap_ms=150)
    page.locator("[class*='st-key-decisions-pick-']").first.click()
    decisions = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert sum("Offer in Porto" in d for d in decisions) == 1, decisions
    # Saving the record twice: the second half finds its own words, not "changed elsewhere".
    facts = page.get_by_role("textbox", name="The facts gathered")
    facts.fill("Two-year contract, 20% more.")
    double_click(page, "Save", gap_ms=150)
    assert errors(page) == []
    expect(facts).to_have_value("Two-year contract, 20% more.")
    page.get_by_role("tab", name="Options").click()
    page.get_by_role("textbox", name="Add an option").fill("Move to Porto")
    double_click(page, "Add option")
    assert errors(page) == []
    expect(page.get_by_test_id("stExpander").filter(has_text="Move to Porto")).to_have_count(1)
    expect(page.get_by_role("textbox", name="Add an option")).to_have_value("")
    page.get_by_role("tab", name="Opportunity matrix").click()
    page.get_by_role("textbox", name="Add a factor").fill("Commute")
    double_click(page, "Add factor", gap_ms=150)
    assert errors(page) == []  # not "That factor is already in the matrix."
    expect(page.get_by_role("textbox", name="Add a factor")).to_have_value("")
    sign_out(page)

    # -- a counselor account --------------------------------------------------------------------
    sign_in(page, fresh_server, "admin", "admin-password")
    go(page, "Admin", "Practice admin")
    page.get_by_role("textbox", name="Name", exact=True).fill("Jo Tester")
    page.get_by_role("textbox", name="Username").fill("jo")
    page.get_by_role("textbox", name="First password (they must change it at first sign-in)").fill(
        "longpassword1"
    )
    double_click(page, "Create account")
    assert errors(page) == []  # not "That username is taken."
    # The confirmation above the page (a toast says it too, for a moment).
    confirmed = page.get_by_test_id("stAlertContentSuccess").filter(has_text="Account jo created")
    expect(confirmed).to_be_visible()
    expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_value("")
    rows = page.locator(".tandem-accounts tbody tr").filter(has_text="Jo Tester")
    expect(rows).to_have_count(1)
