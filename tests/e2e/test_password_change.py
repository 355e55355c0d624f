"""Changing one's password in a real browser. Its own server: passwords change here for good."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.errors import LoginRefused
from tests.e2e.conftest import (
    assert_no_exception,
    auth_cookie,
    caseload_row,
    go,
    login_form,
    open_app,
    settle,
    shot,
    sidebar_link,
    sign_in,
    sign_out_button,
    submit_login,
    wait_idle,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(fresh_server):
    """Every test here changes a password: a fresh server per test and per retry."""
    return fresh_server


def change_password(page: Page, current: str, new: str) -> None:
    """Use the form on "My account" and wait for its answer."""
    go(page, "My account", "My account")
    page.get_by_role("textbox", name="Current password", exact=True).fill(current)
    page.get_by_role("textbox", name="New password (at least 10 characters)").fill(new)
    page.get_by_role("textbox", name="New password again", exact=True).fill(new)
    page.get_by_role("button", name="Change password").last.click()
    expect(
        page.get_by_text("Password changed. You are signed out everywhere else.")
    ).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)


def test_password_change_ends_other_sessions(server, new_context):
    page = new_context().new_page()
    sign_in(page, server, "riley", "riley-password")
    other = new_context().new_page()  # a second device, signed in before the change
    sign_in(other, server, "riley", "riley-password")

    change_password(page, "riley-password", "riley-new-password-2")
    shot(page, "password-1-changed")
    go(page, "Caseload", "Caseload")  # this tab stays signed in
    expect(caseload_row(page, "Hana & Yusuf")).to_have_count(1)

    # The other device is signed out at its next step.
    sidebar_link(other, "Caseload").click()
    expect(login_form(other)).to_be_visible()
    expect(other.get_by_text("You have been signed out")).to_be_visible()
    expect(other.get_by_text("Hana")).to_have_count(0)
    # Signing out draws the cookie component, whose report starts one more run: typing into
    # the form during it lost the click on Sign in once in a fresh clone's CI (no run began).
    settle(other)
    assert_no_exception(other)
    shot(other, "password-2-other-device-signed-out")

    # The old password is refused there, the new one works.
    submit_login(other, "riley", "riley-password")
    expect(other.get_by_text(LoginRefused.MESSAGE)).to_be_visible()
    sign_in(other, server, "riley", "riley-new-password-2")
    expect(caseload_row(other, "Hana & Yusuf")).to_have_count(1)


def test_cookie_copied_before_password_change_is_refused(server, new_context):
    here = new_context()
    page = here.new_page()
    sign_in(page, server, "demo", "demo-password")
    old_cookie = auth_cookie(here)

    # Before the change the copied cookie signs another browser in (so the refusal below
    # is the password change's doing).
    before = new_context()
    before.add_cookies([old_cookie])
    before_page = before.new_page()
    open_app(before_page, server)
    expect(sign_out_button(before_page)).to_be_visible()

    change_password(page, "demo-password", "demo-new-password-2")

    after = new_context()
    after.add_cookies([old_cookie])
    after_page = after.new_page()
    open_app(after_page, server)
    expect(login_form(after_page)).to_be_visible()
    expect(after_page.get_by_text("Rachel")).to_have_count(0)
    assert_no_exception(after_page)
    shot(after_page, "password-3-old-cookie-refused")


def test_password_change_keeps_this_device_remembered(server, new_context):
    here = new_context()
    page = here.new_page()
    sign_in(page, server, "admin", "admin-password")  # "keep me signed in" is on by default
    auth_cookie(here)
    change_password(page, "admin-password", "admin-new-password-2")

    # Reopening the app on this device (a new tab, a reload) keeps the counselor signed in.
    reopened = here.new_page()
    open_app(reopened, server)
    expect(sign_out_button(reopened)).to_be_visible(timeout=2000)  # the run is over
    expect(login_form(reopened)).to_have_count(0)
    shot(reopened, "password-4-reopened-after-change")
