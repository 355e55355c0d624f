"""Signing in through the form: generic refusals, lockout, first-admin setup, sign-out."""

import pytest

from core import accounts
from core.errors import LoginRefused
from tests.pages.conftest import new_app, shows_login_form, signed_in, text_of, visible_text
from ui import state


def sign_in(at, username, password):
    if not shows_login_form(at):
        at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login").click().run()
    return at


def test_demo_login_page_says_it_is_a_demo_and_shows_credentials(demo_db, db_path):
    at = new_app(db_path)
    at.run()
    text = visible_text(at)
    assert "fictional" in text
    assert "demo-password" in text


def test_real_deployment_login_page_shows_no_credentials(demo_db, db_path):
    at = new_app(db_path, demo_mode=False)
    at.run()
    assert shows_login_form(at)
    assert "demo-password" not in visible_text(at)
    assert "fictional" not in visible_text(at)


def test_counselor_signs_in_and_sees_their_caseload(demo_db, db_path):
    at = sign_in(new_app(db_path), "demo", "demo-password")
    assert not at.exception
    assert not shows_login_form(at)
    text = visible_text(at)
    assert "Rachel & Marcus" in text
    assert "Hana & Yusuf" not in text  # riley's couple


def test_wrong_password_and_unknown_user_get_the_same_message(demo_db, db_path):
    wrong = sign_in(new_app(db_path), "demo", "not-the-password")
    unknown = sign_in(new_app(db_path), "nobody-here", "not-the-password")
    assert [text_of(e) for e in wrong.error] == [LoginRefused.MESSAGE]
    assert [text_of(e) for e in unknown.error] == [LoginRefused.MESSAGE]
    assert shows_login_form(wrong) and shows_login_form(unknown)


def test_five_failures_lock_even_the_right_password_with_the_same_message(demo_db, db_path):
    for _ in range(accounts.LOCK_AFTER_FAILURES):
        sign_in(new_app(db_path), "riley", "wrong-password!")
    at = sign_in(new_app(db_path), "riley", "riley-password")
    assert [text_of(e) for e in at.error] == [LoginRefused.MESSAGE]
    assert shows_login_form(at)


def test_sign_out_ends_the_session_server_side(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    actor = at.session_state[state.ACTOR]
    at.button(key="sign_out").click().run()
    assert shows_login_form(at)
    assert accounts.current(demo_db, actor.session_id) is None


def test_deactivated_counselor_is_signed_out_on_the_next_click(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley")
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    riley = at.session_state[state.ACTOR]
    accounts.set_active(demo_db, admin, riley.counselor_id, False)
    at.run()
    assert shows_login_form(at)
    assert "signed out" in visible_text(at)


def test_empty_practice_asks_for_the_first_admin_with_the_setup_code(db_path, monkeypatch):
    monkeypatch.setenv("TANDEM_SETUP_CODE", "let-me-in-123")
    at = new_app(db_path, demo_mode=False)
    at.run()
    assert not shows_login_form(at)
    assert "Set up this practice" in visible_text(at)

    def fill(code):
        at.text_input(key="setup_code").input(code)
        at.text_input(key="setup_name").input("Pat Owner")
        at.text_input(key="setup_username").input("pat")
        at.text_input(key="setup_password").input("a-long-password")
        at.text_input(key="setup_password_again").input("a-long-password")
        at.button(key="setup_submit").click().run()

    fill("wrong-code")
    assert any("setup code" in text_of(e) for e in at.error)
    fill("let-me-in-123")
    assert not at.exception
    assert shows_login_form(at)
    sign_in(at, "pat", "a-long-password")
    assert "Caseload" in visible_text(at)


def test_admin_reset_forces_a_new_password_before_anything_else(demo_db, db_path):
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    riley = accounts.authenticate(demo_db, "riley", "riley-password")
    accounts.reset_password(demo_db, admin, riley.counselor_id, "temporary-pass-1")
    at = sign_in(new_app(db_path), "riley", "temporary-pass-1")
    assert "Choose a new password" in visible_text(at)
    assert "Hana" not in visible_text(at)
    at.text_input(key="forced-password.current").input("temporary-pass-1")
    at.text_input(key="forced-password.new").input("rileys-own-pass")
    at.text_input(key="forced-password.again").input("rileys-own-pass")
    at.button(key="forced-password.submit").click().run()
    assert not at.exception
    assert "Password changed" in visible_text(at)
    at.run()
    assert "Hana & Yusuf" in visible_text(at)


def test_the_still_there_box_says_how_long_in_words():
    """The idle warning (ui/auth.py) rounds up to whole minutes from a minute on."""
    from datetime import timedelta

    from ui.auth import _duration

    assert _duration(timedelta(minutes=15)) == "15 minutes"
    assert _duration(timedelta(seconds=61)) == "2 minutes"
    assert _duration(timedelta(seconds=60)) == "1 minute"
    assert _duration(timedelta(seconds=9.2)) == "10 seconds"
    assert _duration(timedelta(seconds=1)) == "1 second"
    assert _duration(timedelta(0)) == "1 second"


@pytest.mark.parametrize("idle_minutes", ["15", "0"])  # with the idle limit off, too
def test_a_sign_in_near_its_hard_end_says_so_once_and_offers_no_stay(
    demo_db, db_path, idle_minutes
):
    """The idle warning counted only the idle limit: shortly before a sign-in's hard end (the
    remember-me hours, which no click moves) the page cleared without a word. Now a box says
    when it ends and asks to save; "Stay signed in" could not help, so it is not offered."""
    from core.clock import utcnow

    at = new_app(db_path)
    at.secrets["idle_minutes"] = idle_minutes
    at = sign_in(at, "demo", "demo-password")
    actor = at.session_state[state.ACTOR]
    soon = accounts._stamp(utcnow()) + 90
    with demo_db.cursor() as cur:
        cur.execute(
            "UPDATE auth_sessions SET expires_stamp = $s WHERE id = $id",
            {"s": soon, "id": actor.session_id},
        )
    at.run()
    assert not at.exception
    text = visible_text(at)
    assert "a sign-in lasts at most 8 hours. Yours ends in about 2 minutes." in text
    assert "Save what you are typing now" in text
    assert not [b for b in at.button if b.key == "idle.stay"]
    at.run()  # told once per sign-in
    assert "Yours ends in about" not in visible_text(at)
