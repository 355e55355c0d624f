"""The partner's form for a screen reader and a larger text size, on a 360x740 touch phone: each
0-10 button is read with what the ends of its scale mean, the welcome heading carries no link to
itself, and at 200% text the buttons wrap into two even rows that fit the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core import instruments
from tests.e2e.conftest import (
    ARTIFACTS,
    assert_no_exception,
    counted_context,
    partner_links,
    rerun,
    running_server,
    shot,
    wait_idle,
)
from tests.e2e.test_partner_form_fixes import begin

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
# The browser's text size at 200% (its default is 16 px): what a partner who reads large text
# sets on their phone. WCAG 1.4.4 asks that text at 200% loses no content or function.
LARGE_TEXT_PX = 32
INTAKE = instruments.load("intake")
SCALE = INTAKE.item("work_identity")  # the first 0-10 question of the first part
ANCHORS = f"0 = {SCALE.min_label} · 10 = {SCALE.max_label}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, list[str]]]:
    """A server (the production entry, with its page script) and a few intake links."""
    db_path: Path = tmp_path_factory.mktemp("partner_accessibility") / "tandem.duckdb"
    tokens = partner_links(db_path, 4, "intake")["intake"]
    with running_server(db_path, ARTIFACTS / "partner_accessibility.server.log", "serve.py") as b:
        yield b, tokens


def phone_page(browser, text_px: int | None = None) -> Page:
    """A page in a fresh 360x740 touch context; `text_px` sets the browser's default text size
    (Chromium's font settings, as a partner's phone or browser sets them)."""
    ctx = counted_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    if text_px is not None:
        sizes = {"standard": text_px, "fixed": text_px}
        ctx.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": sizes})
    return page


def scale_buttons(page: Page):
    """The 0-10 buttons of the first part's first question."""
    return page.get_by_role("radiogroup", name=SCALE.prompt).get_by_role("radio")


def test_each_number_button_is_read_with_what_the_ends_of_its_scale_mean(site, browser):
    base, tokens = site
    page = phone_page(browser)
    page.goto(f"{base}/Questionnaire?t={tokens[0]}")
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    wait_idle(page)
    # The welcome screen's heading is only a heading: no link to itself for a screen reader to
    # read out or a keyboard to stop at.
    expect(page.get_by_role("heading", name=INTAKE.title)).to_be_visible()
    expect(page.get_by_test_id("stHeaderActionElements")).to_have_count(0)
    expect(page.get_by_test_id("stMain").get_by_role("link")).to_have_count(0)

    begin(page, f"{base}/Questionnaire?t={tokens[0]}")
    buttons = scale_buttons(page)
    expect(buttons).to_have_count(11)
    for k in (0, 7, 10):  # not a bare "7": the scale's ends come with it
        expect(buttons.nth(k)).to_have_accessible_name(str(k))
        expect(buttons.nth(k)).to_have_accessible_description(ANCHORS)
    # A tap redraws the question (its "✓ Saved"): the buttons drawn again say it too.
    rerun(page, buttons.nth(7).tap)
    expect(page.get_by_text(f"✓ Saved: “{SCALE.prompt}”")).to_be_visible()
    expect(buttons.nth(7)).to_have_attribute("aria-checked", "true")
    expect(buttons.nth(7)).to_have_accessible_description(ANCHORS)
    assert_no_exception(page)
    page.context.close()


def test_at_200_percent_text_the_number_buttons_wrap_into_two_rows_on_a_360px_phone(site, browser):
    base, tokens = site
    page = phone_page(browser, LARGE_TEXT_PX)
    page.goto(f"{base}/Questionnaire?t={tokens[1]}")
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    wait_idle(page)
    # The partner's own text size is used (Streamlit fixes the page's at 16 px otherwise).
    root = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert root == f"{LARGE_TEXT_PX}px"
    shot(page, "partner-a11y-1-welcome-200pct")

    begin(page, f"{base}/Questionnaire?t={tokens[1]}")
    buttons = scale_buttons(page)
    expect(buttons).to_have_count(11)
    buttons.first.scroll_into_view_if_needed()
    boxes = [buttons.nth(k).bounding_box() for k in range(11)]
    rows = sorted({round(b["y"]) for b in boxes})
    assert len(rows) == 2, rows  # 6 + 5, not eleven squeezed into one
    assert [sum(round(b["y"]) == y for b in boxes) for y in rows] == [6, 5]
    for k, box in enumerate(boxes):
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (k, box)
        assert box["height"] >= 40, (k, box)
    # Each number fits its button, and nothing on the page is wider than the screen.
    cut = buttons.evaluate_all("(bs) => bs.filter((b) => b.scrollWidth > b.clientWidth).length")
    assert cut == 0
    wide = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
             .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
             .map((e) => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert wide == []
    assert_no_exception(page)
    shot(page, "partner-a11y-2-part1-200pct")
    page.context.close()
