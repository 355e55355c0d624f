"""The foundation in a real browser: sign-in, caseload, a couple's life cycle, guards, lockout.

The tests share one demo server (and database); each uses data the others leave alone.
"""

from __future__ import annotations

import contextlib
import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from core.errors import LoginRefused
from tests.e2e.browser import TABLET
from tests.e2e.conftest import (
    CASELOAD_ROWS,
    ROOT,
    assert_no_exception,
    auth_cookie,
    caseload_row,
    go,
    login_form,
    open_app,
    open_from_caseload,
    rerun,
    settle,
    shot,
    sidebar_link,
    sign_in,
    sign_out,
    sign_out_button,
    submit_login,
    wait_idle,
)

pytestmark = pytest.mark.e2e

NEW_COUPLE = "Zoë Test & Łukasz Test"
DEMO_COUPLE = "Rachel & Marcus"  # in demo's caseload
RILEY_COUPLE = "Hana & Yusuf"  # in riley's caseload
# Names from demo's caseload that a visitor must never see.
PRIVATE_NAMES = ("Rachel", "Marcus", "王芳")
# core.accounts.LOCK_AFTER_FAILURES: the sign-in that pauses a username.
LOCK_AFTER_FAILURES = 5
# Counselor pages that must exist (the test finds every page; these must be among them).
COUNSELOR_URLS = ("/", "/Couple", "/New_couple", "/Account", "/Admin")
# Pages meant for visitors, with no login guard: a partner's own questionnaire link.
PUBLIC_PAGES = {"pages/5_Questionnaire.py"}
GUARD = re.compile(r"""require_(?:login|admin)\(\s*["']([^"']+)["']""")


def page_files() -> dict[str, tuple[str, str | None]]:
    """Every page file: its URL (Streamlit's, from the file name) and the title its guard
    gives the browser tab (None if the page calls no guard)."""
    found = {}
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        name = re.sub(r"^[0-9]+_", "", path.stem)
        url = "/" if path.name == "app.py" else f"/{name}"
        guard = GUARD.search(path.read_text(encoding="utf-8"))
        found[str(path.relative_to(ROOT))] = (url, guard.group(1) if guard else None)
    return found


def login_error(page: Page) -> str:
    """The text of the sign-in error on screen."""
    alert = page.get_by_test_id("stAlertContentError").last
    alert.wait_for()
    return alert.inner_text().strip()


def test_counselor_journey(fresh_server, page):
    # It creates a couple: a retry on the module's server would find the first attempt's too.
    server = fresh_server
    sign_in(page, server, "demo", "demo-password")
    expect(page.get_by_role("heading", name="Caseload", exact=True)).to_be_visible()
    expect(caseload_row(page, DEMO_COUPLE)).to_have_count(1)
    expect(caseload_row(page, "王芳 & Tomás")).to_have_count(1)
    shot(page, "journey-1-caseload")

    go(page, "New couple", "New couple")
    page.locator(".st-key-p1-name input").fill("Zoë Test")
    page.locator(".st-key-p2-name input").fill("Łukasz Test")
    shot(page, "journey-2-new-couple-form")
    page.get_by_role("button", name="Create couple").last.click()
    expect(page.get_by_role("heading", name=NEW_COUPLE)).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Zoë Test", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Łukasz Test", exact=True)).to_be_visible()
    shot(page, "journey-3-couple-page")

    go(page, "Caseload", "Caseload")
    search = page.locator(".st-key-caseload-q input")
    search.fill("Łukasz")
    search.press("Enter")
    expect(page.get_by_text(DEMO_COUPLE)).to_have_count(0)
    wait_idle(page)
    expect(caseload_row(page, NEW_COUPLE)).to_have_count(1)
    expect(caseload_row(page, "Zoë & Łukasz")).to_have_count(1)  # the demo couple matches too
    assert_no_exception(page)
    shot(page, "journey-4-search")

    open_from_caseload(page, NEW_COUPLE)
    page.get_by_role("tab", name="Archive or delete").click()
    page.get_by_role("button", name="Archive couple").last.click()
    expect(page.get_by_text("This couple is archived")).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)
    shot(page, "journey-5-archived")

    go(page, "Caseload", "Caseload")
    expect(caseload_row(page, DEMO_COUPLE)).to_have_count(1)
    expect(page.get_by_text(NEW_COUPLE)).to_have_count(0)
    shot(page, "journey-6-active-view")
    page.get_by_role("radio", name="Archived").click()
    expect(caseload_row(page, NEW_COUPLE)).to_have_count(1)
    expect(page.get_by_text(DEMO_COUPLE)).to_have_count(0)
    wait_idle(page)
    assert_no_exception(page)
    shot(page, "journey-7-archived-view")

    sign_out(page)
    expect(login_form(page)).to_be_visible()
    expect(page.get_by_text(NEW_COUPLE)).to_have_count(0)
    shot(page, "journey-8-signed-out")


def test_keep_me_signed_in_survives_a_quick_first_click(server, context, page):
    # The cookie component loads slowly (a slow network), and the counselor clicks at once.
    held = []
    page.route("**/component/**", lambda route: held.append(route))
    open_app(page, server)
    page.get_by_label("Username").fill("demo")
    page.get_by_role("textbox", name="Password").fill("demo-password")
    rerun(page, lambda: login_form(page).click())
    go(page, "New couple", "New couple")
    page.unroute("**/component/**")
    for route in held:
        with contextlib.suppress(Exception):  # its frame may be gone already
            route.continue_()
    # The cookie component, loaded at last, reports and reruns the page it is on. A click on
    # another page at that very moment can be undone by that rerun (Streamlit reruns the page
    # the report names), so the next click waits for it.
    settle(page)
    go(page, "Caseload", "Caseload")
    settle(page)

    # "Keep me signed in" was ticked: the next visit on this device is signed in.
    again = context.new_page()
    open_app(again, server)
    expect(sign_out_button(again)).to_be_visible(timeout=2000)  # the run is over


def test_sign_out_says_so(server, page):
    sign_in(page, server, "riley", "riley-password")
    sign_out(page)  # waits for the cookie component's follow-up run too
    expect(page.get_by_text("You are signed out.")).to_be_visible(timeout=1000)


def test_copied_cookie_does_not_sign_in_after_logout(server, new_context):
    first = new_context()
    page_1 = first.new_page()
    open_app(page_1, server)
    expect(page_1.get_by_role("checkbox", name="Keep me signed in")).to_be_checked()
    sign_in(page_1, server, "demo", "demo-password")
    cookie = auth_cookie(first)

    # Remember-me works: another browser holding only the cookie is signed in.
    second = new_context()
    second.add_cookies([cookie])
    page_2 = second.new_page()
    open_app(page_2, server)
    expect(caseload_row(page_2, DEMO_COUPLE)).to_have_count(1)
    expect(login_form(page_2)).to_have_count(0)
    assert_no_exception(page_2)
    shot(page_2, "cookie-1-resumed-in-another-browser")

    sign_out(page_1)

    # The same cookie, copied before the sign-out, opens nothing any more.
    third = new_context()
    third.add_cookies([cookie])
    page_3 = third.new_page()
    open_app(page_3, server)
    expect(login_form(page_3)).to_be_visible()
    for name in PRIVATE_NAMES:
        expect(page_3.get_by_text(name)).to_have_count(0)
    assert_no_exception(page_3)
    shot(page_3, "cookie-2-copied-after-logout")

    # The browser that resumed from the cookie shared that sign-in: it ends there too.
    sidebar_link(page_2, "My account").click()
    expect(login_form(page_2)).to_be_visible()
    expect(page_2.get_by_text("You have been signed out")).to_be_visible()
    expect(page_2.get_by_text(DEMO_COUPLE)).to_have_count(0)
    wait_idle(page_2)
    assert_no_exception(page_2)


def test_pages_refuse_visitors(server, page):
    pages = page_files()
    assert set(COUNSELOR_URLS) <= {url for url, _ in pages.values()}, "a page went missing"
    unguarded = {f for f, (_, title) in pages.items() if title is None} - PUBLIC_PAGES
    assert not unguarded, f"no require_login/require_admin: guard or declare public: {unguarded}"

    # One tab, one URL after another: each load is a new session, and the tab keeps the
    # compiled app bundle (new tabs load ~40% slower here, even side by side).
    for url, title in pages.values():
        open_app(page, server + url)
        expect(page.get_by_text("Page not found"), f"{url} is not a page").to_have_count(0)
        expect(page.get_by_test_id("stSidebar"), f"{url} shows the sidebar").to_have_count(0)
        for name in PRIVATE_NAMES:
            expect(page.get_by_text(name), f"{url} shows {name}").to_have_count(0)
        if title is not None:
            # The page named in the URL ran (its title is set before the guard), and showed
            # nothing but the sign-in form.
            expect(page, f"{url} ran another page").to_have_title(f"{title} · Tandem")
            expect(login_form(page), f"{url} has no sign-in form").to_be_visible()
        assert_no_exception(page)
        if url == "/" or title is None:  # every guarded page shows the same form
            shot(page, f"visitor-{url.strip('/') or 'home'}")


def test_wrong_password_message_is_generic_and_locks(server, new_context):
    page = new_context().new_page()
    open_app(page, server)
    submit_login(page, "demo", "not-the-password")
    known = login_error(page)
    submit_login(page, "nobody-by-this-name", "not-the-password")
    unknown = login_error(page)
    assert known == unknown == LoginRefused.MESSAGE
    shot(page, "lockout-1-generic-error")

    # A dedicated account, so no other test's account gets paused; the admin stays signed
    # in on a second browser. Its own name per try: a retry on this module's server must not
    # find the account a first try made and locked.
    username = f"locktest{secrets.token_hex(3)}"
    admin = new_context().new_page()
    sign_in(admin, server, "admin", "admin-password")
    go(admin, "Admin", "Practice admin")
    admin.locator(".st-key-admin-new-name input").fill("Lock Test")
    admin.locator(".st-key-admin-new-username input").fill(username)
    admin.locator(".st-key-admin-new-password input").fill("first-pass-1234")
    rerun(admin, lambda: admin.get_by_role("button", name="Create account").last.click())
    assert admin.get_by_test_id("stAlertContentError").count() == 0
    assert_no_exception(admin)
    shot(admin, "lockout-2-account-created")

    for _ in range(LOCK_AFTER_FAILURES):
        submit_login(page, username, "wrong-password")
        assert login_error(page) == LoginRefused.MESSAGE
    submit_login(page, username, "first-pass-1234")
    assert login_error(page) == LoginRefused.MESSAGE
    expect(login_form(page)).to_be_visible()
    expect(page.get_by_text("Choose a new password")).to_have_count(0)
    assert_no_exception(page)
    shot(page, "lockout-3-right-password-refused-while-locked")

    # Proof that the lock refused it: once the admin unlocks, the same password works.
    admin.locator(".st-key-admin-account").click()
    admin.get_by_role("option", name=f"Lock Test ({username})").click()
    wait_idle(admin)
    admin.get_by_role("button", name="Unlock sign-in").last.click()
    expect(admin.get_by_text("Sign-in unlocked.")).to_be_visible()
    wait_idle(admin)
    submit_login(page, username, "first-pass-1234")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_no_exception(page)
    shot(page, "lockout-4-unlocked-first-sign-in")


def test_counselor_cannot_see_other_caseload_and_admin_can(server, page):
    sign_in(page, server, "riley", "riley-password")
    expect(caseload_row(page, RILEY_COUPLE)).to_have_count(1)
    expect(page.get_by_text(DEMO_COUPLE)).to_have_count(0)
    expect(page.get_by_text("Whole practice")).to_have_count(0)
    # A table with no download: client data leaves only through Tandem's audited exports.
    table = page.get_by_role("table")
    table.hover()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    expect(table.get_by_role("rowheader", name=RILEY_COUPLE)).to_have_count(1)
    shot(page, "caseload-riley")
    sign_out(page)

    sign_in(page, server, "admin", "admin-password")
    expect(page.get_by_role("switch", name="Whole practice")).to_be_checked()
    expect(caseload_row(page, DEMO_COUPLE)).to_have_count(1)
    expect(caseload_row(page, RILEY_COUPLE)).to_have_count(1)
    assert_no_exception(page)
    shot(page, "caseload-admin-whole-practice")
    # The switch is what shows them: the admin's own caseload is empty.
    page.locator(".st-key-caseload-whole").get_by_text("Whole practice").click()
    expect(page.get_by_text(DEMO_COUPLE)).to_have_count(0)
    expect(page.get_by_text(RILEY_COUPLE)).to_have_count(0)
    wait_idle(page)
    assert_no_exception(page)


def test_a_couple_opens_from_the_keyboard(server, page):
    """The caseload's names are links in the page's Tab order, opened with Enter, with no
    pointer at all (Streamlit's grid took no Enter: the caseload had a picker for it)."""
    sign_in(page, server, "demo", "demo-password")
    page.get_by_role("combobox", name="Sort by").focus()
    page.keyboard.press("Tab")  # the table's scrolling region (narrow screens scroll it sideways)
    expect(page.get_by_role("region", name="Caseload table")).to_be_focused()
    expect(page.get_by_role("table", name="Couples, page 1 of 1")).to_be_visible()
    page.keyboard.press("Tab")
    first = page.locator(CASELOAD_ROWS).first.get_by_role("link")
    expect(first).to_be_focused()
    label = first.inner_text().strip()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
    assert "/Couple?open=" in page.url, page.url  # a token, never the id
    assert_no_exception(page)
    # Back returns to the caseload, inside the same session (still signed in, nothing reloaded).
    page.go_back()
    expect(page.get_by_role("heading", name="Caseload", exact=True)).to_be_visible()
    assert_no_exception(page)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_remember_me_cookie_lasts_its_hours_in_any_time_zone(server, browser, zone):
    """The cookie ends 8 hours after sign-in wherever the browser is: its end went to the
    browser without a zone, so in UTC+14 it was born expired (the next full load showed the
    sign-in form; CI, 2026-11-24) and in UTC-11 it lasted 19 hours."""
    import time

    from tests.e2e.conftest import counted_context

    ctx = counted_context(browser, timezone_id=zone)
    try:
        page = ctx.new_page()
        signed_at = time.time()
        sign_in(page, server, "riley", "riley-password")
        cookie = auth_cookie(ctx)
        assert abs(cookie["expires"] - (signed_at + 8 * 3600)) < 300, (zone, cookie)
        page.reload()  # a full load signs in from the cookie
        expect(caseload_row(page, RILEY_COUPLE)).to_have_count(1)
        assert_no_exception(page)
    finally:
        ctx.close()


def test_a_new_sessions_date_is_today_where_the_counselor_is(server, browser):
    """Not the server's UTC date: in a Sydney morning that is yesterday, in a Chicago evening
    tomorrow (walkthrough, 2026-11-23). The browser's zone is chosen on the other side of the
    date line from UTC's at this hour, so the two dates differ whenever the test runs."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from tests.e2e.conftest import counted_context

    zone = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Pacific/Pago_Pago"
    ctx = counted_context(browser, timezone_id=zone)
    try:
        page = ctx.new_page()
        sign_in(page, server, "riley", "riley-password")
        open_from_caseload(page, RILEY_COUPLE)
        go(page, "Sessions", f"Sessions · {RILEY_COUPLE}")
        picker = page.get_by_role("combobox", name="Session")
        picker.click()
        page.get_by_role("option", name="+ New session").click()
        wait_idle(page)
        day = page.get_by_test_id("stDateInput").filter(has_text="Date").filter(visible=True)
        value = day.first.locator("input[type=date]").get_attribute("value")
        expected = datetime.now(ZoneInfo(zone)).date()
        assert expected != datetime.now(UTC).date()  # the test can tell the two apart
        assert value == expected.isoformat(), (zone, value)
        assert_no_exception(page)
    finally:
        ctx.close()


def test_on_a_phone_the_caseload_is_cards_that_fit_the_screen(server, browser):
    """390 px wide: nothing scrolls sideways, each couple's reasons are on screen whole, and a
    date says what it is ("Last check-in: …")."""
    from tests.e2e.conftest import counted_context

    ctx = counted_context(browser, viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page = ctx.new_page()
        sign_in(page, server, "demo", "demo-password")
        expect(caseload_row(page, DEMO_COUPLE)).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        why = page.locator(".tandem-caseload td.why").first
        box = why.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        label = page.locator(".tandem-caseload td.date:not(.none)").first.evaluate(
            "e => getComputedStyle(e, '::before').content"
        )
        assert label == '"Last check-in: "'
        # Still a table to a screen reader: the couple a row header, each fact a cell under its
        # column's name (drawn as cards, the table's implicit roles were dropped).
        table = page.get_by_role("table", name="Couples")
        expect(table.get_by_role("rowheader", name=DEMO_COUPLE)).to_have_count(1)
        expect(table.get_by_role("columnheader", name="Next review")).to_have_count(1)
        assert table.get_by_role("cell").count() > 0
        shot(page, "caseload-phone")
        assert_no_exception(page)
    finally:
        ctx.close()


def test_the_caseload_works_on_a_tablet(server, browser):
    """An iPad held upright (820 px, touch): every "Show" choice is on screen (in columns "All"
    was cut off), and each couple's reasons are whole, since a touch screen has no tooltip."""
    from tests.e2e.conftest import counted_context

    ctx = counted_context(browser, viewport=TABLET, has_touch=True)
    try:
        page = ctx.new_page()
        sign_in(page, server, "demo", "demo-password")
        expect(caseload_row(page, DEMO_COUPLE)).to_have_count(1)
        choice = page.locator(".st-key-caseload-status").get_by_role("radio", name="All")
        expect(choice).to_be_in_viewport(ratio=1)
        why = page.locator(".tandem-caseload td.why .clamp").first
        assert why.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # nothing cut
        assert why.evaluate("e => e.getClientRects()[0].height > 60")  # more than two lines
        about = page.locator(".tandem-caseload .about").first  # work and cities, whole too
        assert about.evaluate("e => e.scrollWidth <= e.clientWidth")
        shot(page, "caseload-tablet")
        rerun(page, lambda: choice.click())
        expect(caseload_row(page, "Elif & Mateo")).to_have_count(1)
        assert_no_exception(page)
    finally:
        ctx.close()
