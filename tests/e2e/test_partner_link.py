"""A partner's private link in the real browser, on a phone-sized screen.

The counselor makes a link; a separate phone context opens it, answers half, closes, reopens,
finishes and sends; the counselor then sees both partners' answers and the comparison.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    CASELOAD_ROWS,
    assert_no_exception,
    counted_context,
    open_app,
    open_from_caseload,
    rerun,
    shot,
    sidebar_link,
    sign_in,
    wait_idle,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def make_link(page: Page, slot: int) -> str:
    """Create a CSI-4 link for the couple's partner in column `slot` (0 or 1); its URL."""
    chooser = page.locator('[class*="st-key-send-"][class*="-instrument"]').nth(slot)
    chooser.click()
    page.get_by_role("option").filter(has_text="CSI-4").click()
    wait_idle(page)
    before = page.locator('[data-testid="stCode"]').count()
    rerun(
        page, lambda: page.locator('[class*="st-key-send-"][class*="-go"] button').nth(slot).click()
    )
    expect(page.locator('[data-testid="stCode"]')).to_have_count(before + 2)
    codes = [c.inner_text().strip() for c in page.locator('[data-testid="stCode"]').all()]
    urls = [c for c in codes if c.startswith("http")]
    assert urls, codes
    assert page.locator('[data-testid="stImage"] img').count() >= 1  # the QR code
    return urls[-1]


def phone(browser):
    return counted_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)


def start(page: Page, label: str) -> None:
    """Press the welcome screen's button and wait for the first section's questions."""
    rerun(page, lambda: page.get_by_role("button", name=label).click())
    expect(page.locator('[data-testid="stRadio"]').first).to_be_visible()
    wait_idle(page)


def answer(page: Page, count: int, choice: int) -> None:
    """Pick option `choice` in the first `count` unanswered radio groups, one save per tap."""
    groups = page.locator('[data-testid="stRadio"]')
    expect(groups).to_have_count(4)  # the CSI-4 section
    done = 0
    for i in range(groups.count()):
        group = groups.nth(i)
        if group.locator("input:checked").count():
            continue
        rerun(page, lambda g=group: g.locator("label").nth(choice).click())
        expect(group.locator("input:checked")).to_have_count(1)  # saved and shown as chosen
        done += 1
        if done == count:
            return


def test_partner_answers_on_a_phone_resumes_and_counselor_compares(fresh_server, browser, page):
    # A server of its own per try: a retry must not start from the records this test made.
    sign_in(page, fresh_server, "demo", "demo-password")
    search = page.get_by_role("textbox", name="Search")
    search.fill("Rachel")
    search.press("Enter")
    expect(page.locator(CASELOAD_ROWS)).to_have_count(1)  # Rachel & Marcus
    open_from_caseload(page, "Rachel & Marcus")
    wait_idle(page)
    sidebar_link(page, "Questionnaires").click()
    expect(page.get_by_role("heading", name=re.compile("Questionnaires"))).to_be_visible()
    wait_idle(page)
    rachel_url = make_link(page, 0)
    marcus_url = make_link(page, 1)
    shot(page, "partner-link-1-counselor-made-links")
    assert "/Questionnaire?t=" in rachel_url

    # Rachel, on her phone: half the form, then the browser is closed.
    ctx = phone(browser)
    p = ctx.new_page()
    open_app(p, rachel_url)
    expect(p.get_by_text("Hello Rachel.")).to_be_visible()
    assert "Marcus" not in p.locator("body").inner_text()
    assert (
        p.get_by_test_id("stSidebar").count() == 0 or not p.get_by_test_id("stSidebar").is_visible()
    )
    shot(p, "partner-link-2-phone-welcome")
    start(p, "Start")
    answer(p, 2, 4)
    shot(p, "partner-link-3-phone-half-answered")
    ctx.close()

    # She opens the same link again later: it resumes, with her two answers kept.
    ctx = phone(browser)
    p = ctx.new_page()
    open_app(p, rachel_url)
    start(p, "Continue where you left off")
    expect(p.locator('[data-testid="stRadio"] input:checked')).to_have_count(2)
    answer(p, 2, 4)
    shot(p, "partner-link-4-phone-finished")
    rerun(p, lambda: p.get_by_role("button", name="Send my answers").click())
    expect(p.get_by_text("Your answers are with your counselor")).to_be_visible()
    shot(p, "partner-link-5-phone-sent")
    body = p.locator("body").inner_text()
    assert "Mostly" not in body and "Somewhat" not in body  # no answers shown back
    # A second visit: still complete, no form.
    open_app(p, rachel_url)
    expect(p.get_by_text("Your answers are with your counselor")).to_be_visible()
    assert p.locator('[data-testid="stRadio"]').count() == 0
    ctx.close()

    # Marcus answers all four in one go.
    ctx = phone(browser)
    p = ctx.new_page()
    open_app(p, marcus_url)
    expect(p.get_by_text("Hello Marcus.")).to_be_visible()
    start(p, "Start")
    answer(p, 4, 1)
    rerun(p, lambda: p.get_by_role("button", name="Send my answers").click())
    expect(p.get_by_text("Your answers are with your counselor")).to_be_visible()
    ctx.close()

    # The counselor sees both scores and the side-by-side comparison.
    rerun(page, lambda: page.get_by_role("button", name="Refresh").click())
    page.get_by_role("tab", name="Answers").click()
    expect(page.get_by_text("Where they differ most")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Relationship satisfaction \(CSI-4\): \d+"))).to_have_count(
        2
    )
    page.locator('[data-testid="stExpander"] summary').first.click()
    wait_idle(page)
    shot(page, "partner-link-6-counselor-comparison")
    assert_no_exception(page)


def test_a_wrong_token_gets_one_calm_message(server, browser):
    ctx = phone(browser)
    p = ctx.new_page()
    open_app(p, f"{server}/Questionnaire?t={'x' * 43}")
    expect(p.get_by_text("This link can't be opened")).to_be_visible()
    assert_no_exception(p)
    ctx.close()
