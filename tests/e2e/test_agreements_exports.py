"""Agreements, a decision's matrix and the session summary in a real browser, on one server.

One couple (Zoë & Łukasz) throughout: create an agreement, edit it and read its history; start
a decision, fill one partner's matrix in session and the other's on a phone through their
private link; download the couple's summary and read the PDF. The PDF's pages are rendered to
PNG under test-artifacts/e2e/ for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    ARTIFACTS,
    assert_no_exception,
    go,
    login_form,
    open_app,
    open_from_caseload,
    rerun,
    shot,
    sign_in,
    sign_out,
    wait_idle,
)

pytestmark = pytest.mark.e2e

COUPLE = "Zoë & Łukasz"
PHONE = {"width": 390, "height": 844}


def click(page: Page, name: str) -> None:
    """Click the (last) button with this name and wait for the run it starts."""
    page.get_by_role("button", name=name, exact=True).last.click()
    wait_idle(page)
    assert_no_exception(page)


def visible(page: Page, label: str):
    """The one visible input with this label (hidden tabs keep theirs in the page)."""
    return page.get_by_label(label, exact=True).filter(visible=True)


def test_agreement_matrix_and_summary(fresh_server, page, new_context):
    # A server of its own per try: a retry must not start from the records this test made.
    sign_in(page, fresh_server, "demo", "demo-password")
    open_from_caseload(page, COUPLE)

    # -- an agreement: create, edit, history ------------------------------------------------
    go(page, "Agreements", f"Agreements · {COUPLE}")
    page.locator("[class*='st-key-agreements-pick-']").first.click()
    page.get_by_role("option", name="+ New agreement").click()
    wait_idle(page)
    page.get_by_role("textbox", name="Title (required)").fill("Sunday planning")
    page.get_by_role("textbox", name="What the two of you agreed (required)").fill(
        "Every Sunday we plan the week's work trips together."
    )
    click(page, "Save agreement")
    expect(page.get_by_role("heading", name="Sunday planning")).to_be_visible()
    page.get_by_role("tab", name="Edit").click()
    page.get_by_role("textbox", name="What the two of you agreed (required)").fill(
        "Every Sunday evening we plan the week's work trips and school runs together."
    )
    page.get_by_role("textbox", name="What changed, in a few words").fill("Add school runs")
    picker = page.get_by_role("combobox", name="Agreement")
    expect(picker).to_have_value("Sunday planning (Draft)")
    page.get_by_test_id("stSelectbox").filter(visible=True).filter(has_text="Status").click()
    page.get_by_role("option", name="Active", exact=True).click()
    click(page, "Save as a new version")
    # The picker shows the saved status (the browser's box kept "(Draft)" until the page was
    # left, before the picker was drawn afresh when its words change).
    expect(picker).to_have_value("Sunday planning (Active)")
    page.get_by_role("tab", name="History").click()
    history = page.get_by_role("tabpanel", name="History")
    expect(history.get_by_text("Version 2")).to_be_visible()
    expect(history.get_by_text("Add school runs")).to_be_visible()
    expect(history.get_by_text("and school runs")).to_be_visible()  # the inserted words
    shot(page, "agreements-1-history-and-diff")

    # -- a decision: options, a factor, one grid in session, the other on a phone -----------
    go(page, "Decisions", f"Decisions · {COUPLE}")
    page.get_by_role("textbox", name="What is being decided? (required)").fill("Offer in Porto")
    click(page, "Start the decision record")
    page.get_by_role("tab", name="Options").click()
    for option in ("Stay in Lisbon", "Move to Porto"):
        page.get_by_role("textbox", name="Add an option").fill(option)
        click(page, "Add option")
        # Its run may not have begun when the page first looks idle: wait for the option and
        # the form drawn afresh, or the next name goes into the form being replaced.
        expect(
            page.get_by_test_id("stExpander").filter(has_text=f"Option: {option}")
        ).to_have_count(1)
        expect(page.get_by_role("textbox", name="Add an option")).to_have_value("")
    page.get_by_role("tab", name="Opportunity matrix").click()
    page.get_by_role("textbox", name="Add a factor").fill("Growth")
    click(page, "Add factor")
    expect(page.get_by_role("textbox", name="Add a factor")).to_have_value("")
    page.get_by_role("tab", name="Łukasz's weights and scores").click()
    for label, value in (
        ("Weight of Growth", "8"),
        ("Stay in Lisbon on Growth", "4"),
        ("Move to Porto on Growth", "9"),
    ):
        visible(page, label).fill(value)
    click(page, "Save Łukasz's matrix")

    click(page, "Create matrix link for Zoë")
    url = page.get_by_test_id("stCode").filter(has_text="/Questionnaire?t=").first.inner_text()
    url = url.strip().splitlines()[0]
    assert url.startswith(fresh_server)
    phone = new_context().new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(url)
    expect(phone.get_by_text("Weighing up: Offer in Porto")).to_be_visible()
    expect(phone.get_by_text("Hello Zoë.")).to_be_visible()  # her own form
    phone.get_by_role("button", name="Start").click()
    for part, score in ((1, "6"), (2, "7"), (3, "5")):  # her weight, then each option
        expect(phone.get_by_text(f"Part {part} of 3")).to_be_visible()
        wait_idle(phone)
        choice = phone.get_by_test_id("stButtonGroup").get_by_role("radio", name=score, exact=True)
        rerun(phone, choice.click)  # the answer is saved by the run this tap starts
        phone.get_by_role("button", name="Send my answers" if part == 3 else "Next").click()
    expect(phone.get_by_text("Your answers are with your counselor")).to_be_visible()
    shot(phone, "matrix-1-partner-sent")

    go(page, "Decisions", f"Decisions · {COUPLE}")
    page.get_by_role("tab", name="Opportunity matrix").click()
    expect(page.locator(".vega-embed svg").first).to_be_visible()
    # Together: the mean of Zoë's 5 (from her phone) and Łukasz's 9 (in session) for Porto.
    porto = page.locator(".tandem-matrix tr").filter(has_text="Move to Porto")
    expect(porto.locator("td").first).to_have_text("7.0")
    assert_no_exception(page)
    shot(page, "matrix-2-results")

    # -- the session summary for the couple, downloaded and read ---------------------------
    go(page, "Sessions", f"Sessions · {COUPLE}")
    page.get_by_role("tab", name="Summary and export").click()
    wait_idle(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "summary-for-the-couple.pdf"
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download PDF").click()
    download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    with page.expect_download(timeout=60_000) as md:
        page.get_by_role("button", name="Download Markdown").click()
    markdown = md.value.path().read_text(encoding="utf-8")
    assert "Lisbon for one year" in markdown and "Zoë" in markdown
    assert_no_exception(page)
    shot(page, "summary-1-export-tab")

    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    for wanted in ("Zoë", "Łukasz", "Lisbon for one year", "Exercise: my support inventory"):
        assert wanted in text, wanted
    assert "isolation" not in text  # the counselor's own note on that session
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(target), str(ARTIFACTS / "summary-page")],
            check=True,
        )

    # -- Zoë's own data: her matrix answers in words; not Łukasz's, not the notes ------------
    with page.expect_download(timeout=60_000) as own:
        page.get_by_role("button", name="Download Zoë's own data").click()
    assert own.value.suggested_filename.startswith("own-data-zoe-")
    mine = ARTIFACTS / "own-data-zoe.pdf"
    with zipfile.ZipFile(own.value.path()) as z:
        assert sorted(z.namelist()) == ["answers.csv", "own-data.pdf"]
        mine.write_bytes(z.read("own-data.pdf"))
    assert_no_exception(page)
    text = " ".join(
        subprocess.run(["pdftotext", "-layout", str(mine), "-"], capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split()
    )
    assert "Zoë: what" in text
    assert "How much this matters to you: Growth 6 of 10" in text  # from her phone
    assert "Move to Porto 5" in text and "Move to Porto 9" not in text  # hers; his was 9
    assert "isolation" not in text  # the counselor's own note on that session

    # -- a download clicked after the sign-in ended makes no file ----------------------------
    # Streamlit runs a download's callable without the page's guard: signed out in another tab,
    # the click made the whole record until the callable checked the sign-in itself.
    other = page.context.new_page()
    open_app(other, fresh_server)
    sign_out(other)
    downloads = []
    page.on("download", lambda d: downloads.append(d.suggested_filename))
    page.get_by_role("button", name="Download full record (zip)").click()
    login_form(page).wait_for()  # the click reruns the page, which finds the sign-in over
    page.wait_for_timeout(1500)  # a file would have started by now
    assert downloads == []
    expect(page.get_by_text("You have been signed out")).to_be_visible()
