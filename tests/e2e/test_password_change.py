"""Changing one's password in a real browser. Its own server: passwords change here for good."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.errors import LoginRefused
from tests.e2e.conftest import (
    assert_no_exception,
    auth_cookie,
    go,
    login_form,
    open_app,
    shot,
    sidebar_link,
    sign_in,
    sign_out_button,
    submit_login,
    wait_idle,
)

pytestmark = pytest.mark.e2e


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
    here = new_context()
    page = here.new_page()
    sign_in(page, server, "riley", "riley-password")
    old_cookie = auth_cookie(here)

    # A second device, signed in through remember-me before the change.
    other = new_context()
    other.add_cookies([old_cookie])
    other_page = other.new_page()
    open_app(other_page, server)
    expect(sign_out_button(other_page)).to_be_visible()

    change_password(page, "riley-password", "riley-new-password-2")
    shot(page, "password-1-changed")
    go(page, "Caseload", "Caseload")  # this tab stays signed in
    expect(page.get_by_text("Hana & Yusuf")).to_be_visible()

    # The other device is signed out at its next step.
    sidebar_link(other_page, "Caseload").click()
    expect(login_form(other_page)).to_be_visible()
    expect(other_page.get_by_text("You have been signed out")).to_be_visible()
    wait_idle(other_page)
    assert_no_exception(other_page)

    # The cookie copied before the change opens nothing.
    copied = new_context()
    copied.add_cookies([old_cookie])
    copied_page = copied.new_page()
    open_app(copied_page, server)
    expect(login_form(copied_page)).to_be_visible()
    expect(copied_page.get_by_text("Hana")).to_have_count(0)
    shot(copied_page, "password-2-old-cookie-refused")

    # The old password is refused, the new one works.
    submit_login(copied_page, "riley", "riley-password")
    expect(copied_page.get_by_text(LoginRefused.MESSAGE)).to_be_visible()
    sign_in(copied_page, server, "riley", "riley-new-password-2")
    expect(copied_page.get_by_text("Hana & Yusuf")).to_be_visible()


def test_password_change_keeps_this_device_remembered(server, new_context):
    here = new_context()
    page = here.new_page()
    sign_in(page, server, "demo", "demo-password")  # "keep me signed in" is on by default
    auth_cookie(here)
    change_password(page, "demo-password", "demo-new-password-2")

    # Reopening the app on this device (a reload, a new tab) keeps the counselor signed in.
    open_app(here.new_page(), server)
    reopened = here.pages[-1]
    expect(sign_out_button(reopened)).to_be_visible()
    expect(login_form(reopened)).to_have_count(0)
    shot(reopened, "password-3-reopened-after-change")
