"""My account's password form keeps what was typed when a change is refused.

AppTest plays a form's clear_on_submit the way the browser does: the next submit sends empty
values for the fields the test did not type into again. So each test below retypes only the
field it corrects, as a person would, and the change must then go through.
"""

from core import accounts
from tests.pages.conftest import signed_in, text_of, visible_text
from ui import state

ACCOUNT = "pages/8_Account.py"
FORM = "account-password"
CHANGED = "Password changed. You are signed out everywhere else."


def type_in(at, **values: str) -> None:
    """Type into some of the form's fields (current, new, again)."""
    for field, value in values.items():
        at.text_input(key=f"{FORM}.{field}").input(value)


def submit(at):
    return at.button(key=f"{FORM}.submit").click().run()


def errors(at) -> list[str]:
    return [text_of(e) for e in at.error]


def test_password_form_is_not_cleared_on_submit(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley", page=ACCOUNT)
    forms = [f for f in at.get("form") if f.proto.form.form_id == FORM]
    assert len(forms) == 1 and not forms[0].proto.form.clear_on_submit


def test_mismatch_keeps_current_and_both_new_passwords(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley", page=ACCOUNT)
    before = at.session_state[state.ACTOR]
    type_in(at, current="riley-password", new="a-brand-new-one", again="a-brand-new-two")
    submit(at)
    assert not at.exception
    assert errors(at) == ["The two new passwords differ."]
    assert CHANGED not in visible_text(at)
    assert accounts.authenticate(demo_db, "riley", "riley-password")  # nothing changed
    # Only the confirmation is typed again: the current and new password were kept.
    type_in(at, again="a-brand-new-one")
    submit(at)
    assert not at.exception
    assert errors(at) == []
    assert CHANGED in visible_text(at)
    assert accounts.current(demo_db, before.session_id) is None  # other sign-ins ended
    assert accounts.current(demo_db, at.session_state[state.ACTOR].session_id) is not None
    assert accounts.authenticate(demo_db, "riley", "a-brand-new-one")


def test_each_refusal_keeps_what_was_typed(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley", page=ACCOUNT)
    type_in(at, current="not-it-at-all", new="short", again="short")
    submit(at)
    assert errors(at) == ["The current password is not right."]
    type_in(at, current="riley-password")  # new and again were kept
    submit(at)
    assert len(errors(at)) == 1 and "at least" in errors(at)[0]
    type_in(at, new="riley-password", again="riley-password")  # current was kept
    submit(at)
    assert errors(at) == ["Choose a password different from the current one."]
    type_in(at, new="a-brand-new-one", again="a-brand-new-one")
    submit(at)
    assert not at.exception
    assert errors(at) == []
    assert CHANGED in visible_text(at)
    assert accounts.authenticate(demo_db, "riley", "a-brand-new-one")


def test_a_successful_change_draws_the_form_afresh_and_empty(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley", page=ACCOUNT)
    type_in(at, current="riley-password", new="a-brand-new-one", again="a-brand-new-one")
    submit(at)
    assert CHANGED in visible_text(at)
    keys = [t.key for t in at.text_input]
    assert f"{FORM}.current" not in keys
    assert [at.text_input(key=f"{FORM}1.{f}").value for f in ("current", "new", "again")] == [
        "",
        "",
        "",
    ]
