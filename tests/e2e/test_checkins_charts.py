"""Check-ins and charts in a real browser: the caseload sorted by urgency, and a demo couple's
equity and trend charts drawn without an error. Both tests share one demo server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import VIEWPORT, caseload_labels
from tests.e2e.conftest import (
    assert_no_exception,
    auth_cookie,
    caseload_row,
    go,
    open_app,
    open_from_caseload,
    shot,
    sign_in,
    wait_idle,
)

pytestmark = pytest.mark.e2e

URGENT_FIRST = ("王芳 & Tomás", "Zoë & Łukasz", "Jennifer & Katie", "Elif & Mateo")
CHART = '[data-testid="stVegaLiteChart"]'


def test_the_caseload_shows_the_couple_who_needs_attention_first(server, page):
    sign_in(page, server, "demo", "demo-password")
    expect(page.get_by_role("heading", name="Caseload", exact=True)).to_be_visible()
    expect(caseload_row(page, "Safety answer")).to_have_count(1)
    shown = caseload_labels(page)
    assert [label for label in shown if label in URGENT_FIRST] == list(URGENT_FIRST)
    # The worst alert's title and its reason are on the couple's row (Alerts and Why).
    first = caseload_row(page, URGENT_FIRST[0])
    expect(first).to_contain_text("Safety answer")
    expect(first).to_contain_text("read it before the session")
    shot(page, "checkins-1-caseload-by-urgency")
    assert_no_exception(page)


def open_couple(page: Page, label: str) -> None:
    open_from_caseload(page, label)


def charts_drawn(page: Page) -> int:
    """How many Vega charts finished drawing marks."""
    page.locator(f"{CHART} .mark-line path").first.wait_for()
    return sum(
        1 for chart in page.locator(CHART).all() if chart.locator(".mark-line path").count() > 0
    )


def test_a_demo_couples_equity_and_trend_charts_are_drawn(server, page):
    # Vega's own warnings in the console (e.g. "WARN Conflicting scale property", which the
    # seasons' bands caused on every equity chart until they left the window to other layers).
    vega: list[str] = []
    page.on("console", lambda m: vega.append(m.text) if m.text.startswith("WARN") else None)
    sign_in(page, server, "demo", "demo-password")
    open_couple(page, "Rachel & Marcus")
    go(page, "Equity and trends", "Equity and trends · Rachel & Marcus")
    assert charts_drawn(page) == 2
    expect(page.get_by_text("How this is computed")).to_be_visible()
    # Each chart is named in words for a screen reader (its name was every axis tick).
    named = [c.get_attribute("aria-label") or "" for c in page.locator(CHART).all()]
    assert named[0].startswith("Equity over time, ") and "has given more" in named[0], named
    assert named[1].startswith("Check-in trends, ") and "Marcus dashed" in named[1], named
    expect(page.get_by_text("not a verdict", exact=False)).to_be_visible()
    # The chart's toolbar keeps "Show data" and "Fullscreen", not a picture or the spec to take
    # away: client data leaves only through Tandem's audited exports.
    page.locator(CHART).first.hover()
    expect(page.get_by_role("button", name="Fullscreen").first).to_be_visible()
    for unaudited in ("Download as PNG", "Copy Vega-Lite spec"):
        expect(page.get_by_role("button", name=unaudited)).to_have_count(0)
    assert_no_exception(page)
    # No chart runs over the explanation or past the page's column, its padding left out (at
    # 1280 px and 1024 px the equity chart ran over "How this is computed"; at 1024 px the
    # trends ran past the screen, and at 1280 px their subtitle into the padding).
    for width in (1280, 1024, 1600):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)
        main = page.get_by_test_id("stMainBlockContainer")
        column = main.bounding_box()
        padding = main.evaluate("(e) => parseFloat(getComputedStyle(e).paddingRight)")
        right = column["x"] + column["width"] - padding
        explained = page.get_by_text("How this is computed").bounding_box()
        for chart in page.locator(CHART).all():
            box = chart.locator("svg").first.bounding_box()
            assert box["x"] + box["width"] <= right + 1, (width, box, right)
            beside = box["y"] < explained["y"] + explained["height"] and explained["y"] < (
                box["y"] + box["height"]
            )
            assert not beside or box["x"] + box["width"] <= explained["x"], width
    page.set_viewport_size(VIEWPORT)
    shot(page, "checkins-3-equity-and-trends-1-year")

    # A reload brings back the same couple's page (the sign-in notes the open couple on the
    # server; the address holds no couple id).
    auth_cookie(page.context)
    assert page.url.endswith("/Equity_and_trends"), page.url  # no query, no couple id
    open_app(page, page.url)
    expect(page.get_by_role("heading", name="Equity and trends · Rachel & Marcus")).to_be_visible()
    assert charts_drawn(page) == 2
    assert_no_exception(page)

    page.get_by_role("radio", name="All", exact=True).click()
    expect(page.get_by_text("One point per month")).to_be_visible()
    wait_idle(page)
    assert charts_drawn(page) == 2
    assert_no_exception(page)
    shot(page, "checkins-4-equity-and-trends-all")
    assert vega == [], vega

    go(page, "Check-ins", "Check-ins · Rachel & Marcus")
    expect(page.get_by_text("Recent check-ins")).to_be_visible()
    assert_no_exception(page)
    shot(page, "checkins-5-checkins-page")
    go(page, "Seasons and ledger", "Seasons and ledger · Rachel & Marcus")
    expect(page.get_by_text("Marcus goes for partner").first).to_be_visible()
    assert_no_exception(page)
    shot(page, "checkins-6-seasons-and-ledger")
    go(page, "Roadmap", "Roadmap · Rachel & Marcus")
    page.locator(f"{CHART} .mark-symbol path").first.wait_for()
    assert_no_exception(page)
    assert vega == [], vega  # the roadmap's seasons and spans warned as the equity chart's did
