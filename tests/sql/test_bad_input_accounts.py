"""Bad input, accounts and the audit trail: usernames, names, passwords, sign-in and the admin's
audit search given nonsense.

An accepted account or password is proven by signing in with it; a refused one leaves the
accounts table exactly as it was. Generated cases (sum of max_examples):
new accounts 40 + own password 30 + admin reset 20 + sign-in 40 + admin actions 20
+ first admin 10 + audit search 40 = 200.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import accounts, audit, couples
from core.db import Database
from core.errors import LoginRefused, NotFound, TandemError, ValidationError
from core.validation import NAME_MAX_CHARS
from tests.bad_input import (
    CAMPAIGN,
    TEN_MB,
    assert_clean_text,
    calm_or_stored,
    mostly,
    nasty_date,
    nasty_id,
    nasty_value,
    snapshot,
    typed_text,
    visible,
)
from tests.conftest import PASSWORD, make_couple

ACCOUNT_TABLES = ("counselors",)
usernames = mostly(
    st.from_regex(r"[a-z0-9][a-z0-9._-]{1,20}", fullmatch=True),
    st.one_of(
        st.sampled_from(["Sam", " sam.lee ", "SAM_LEE", "a", "x" * 33, "sam lee", "säm", "\ud800"]),
        nasty_value,
    ),
)
passwords = mostly(
    st.one_of(
        st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=10, max_size=30),
        st.sampled_from(["correct horse battery", "Zoë-Łukasz-王芳-💑", "'; DROP TABLE x; --"]),
    ),
    st.one_of(
        st.sampled_from(
            [
                "aaaaaaaaaaaa",
                "short",
                "ü" * 40,  # 80 bytes: bcrypt would read only 72
                "tab\there-and-more",
                "nul\x00in-the-middle",
                "\ud800surrogate-here",
                "alex",
                " ALEX ",
            ]
        ),
        nasty_value,
    ),
)


def signs_in(db, username: str, password: str) -> bool:
    try:
        accounts.authenticate(db, username, password)
    except LoginRefused:
        return False
    return True


@settings(CAMPAIGN, max_examples=40)
@given(
    username=usernames,
    name=mostly(typed_text),
    email=mostly(st.sampled_from(["", "sam@example.org", "not an address"])),
    role=mostly(st.sampled_from(accounts.ROLES)),
    password=passwords,
)
@example(username="sam", name=TEN_MB, email="", role="counselor", password=PASSWORD)
@example(username="sam", name="Sam", email="", role="counselor", password=TEN_MB)
def test_a_new_account_is_created_clean_and_can_sign_in_or_is_refused(
    db, admin, username, name, email, role, password
):
    raw = {"username": username, "display_name": name, "email": email, "role": role}
    before = snapshot(db, ACCOUNT_TABLES)
    with calm_or_stored() as refused:
        cid = accounts.create_counselor(db, admin, raw, password, must_change=False)
    if refused:
        assert isinstance(refused[0], ValidationError)
        assert snapshot(db, ACCOUNT_TABLES) == before
        return
    row = accounts.account(db, cid)
    assert accounts.USERNAME.match(row["username"])
    assert row["username"] == username.strip().lower()
    assert_clean_text(row["display_name"], NAME_MAX_CHARS)
    assert visible(row["display_name"]) and row["role"] in accounts.ROLES
    assert signs_in(db, username, password)  # the password stored is the one given
    assert not signs_in(db, username, password + "x")


@settings(CAMPAIGN, max_examples=30)
@given(current=mostly(st.just("right"), nasty_value, one_in=3), new=passwords)
def test_a_counselor_changes_their_password_or_is_told_why_not(db, counselor, current, new):
    typed = PASSWORD if current == "right" else current
    before = snapshot(db, ACCOUNT_TABLES)
    with calm_or_stored() as refused:
        accounts.change_own_password(db, counselor, typed, new)
    if refused:
        assert isinstance(refused[0], ValidationError)
        assert snapshot(db, ACCOUNT_TABLES) == before
        return
    assert signs_in(db, "alex", new) and not signs_in(db, "alex", PASSWORD)
    accounts.change_own_password(db, counselor, new, PASSWORD)  # back, for the next example


@settings(CAMPAIGN, max_examples=20)
@given(target=mostly(st.just("alex"), nasty_id, one_in=3), password=passwords)
def test_an_admin_reset_sets_the_password_given_or_is_refused(
    db, admin, counselor, target, password
):
    account_id = counselor.counselor_id if target == "alex" else target
    before = snapshot(db, ACCOUNT_TABLES)
    with calm_or_stored() as refused:
        accounts.reset_password(db, admin, account_id, password)
    if refused:
        assert isinstance(refused[0], ValidationError | NotFound)
        assert snapshot(db, ACCOUNT_TABLES) == before
        return
    assert accounts.account(db, account_id)["id"] in (admin.counselor_id, counselor.counselor_id)
    assert signs_in(db, accounts.account(db, account_id)["username"], password)


@settings(CAMPAIGN, max_examples=40)
@given(username=st.one_of(nasty_value, usernames), password=st.one_of(nasty_value, passwords))
@example(username="alex\x00", password=PASSWORD)
@example(username="\ud800", password="\ud800")
def test_sign_in_with_nonsense_is_refused_with_one_calm_message(
    db, admin, counselor, username, password
):
    try:
        accounts.authenticate(db, username, password)
    except LoginRefused as e:
        assert str(e) == LoginRefused.MESSAGE
    else:
        assert accounts.normalize_username(username) == "alex" and password == PASSWORD
    accounts.unlock(db, admin, "alex")
    assert signs_in(db, "alex", PASSWORD)  # the real counselor is never locked out by it


@settings(CAMPAIGN, max_examples=20)
@given(target=st.one_of(st.just("alex"), nasty_id), role=nasty_value, active=nasty_value)
def test_admin_account_actions_take_any_input_calmly(
    db, admin, counselor, their_couple, target, role, active
):
    account_id = counselor.counselor_id if target == "alex" else target
    for action in (
        lambda: accounts.set_role(db, admin, account_id, role),
        lambda: accounts.set_active(db, admin, account_id, bool(active)),
        lambda: accounts.unlock(db, admin, role),
        lambda: couples.reassign(db, admin, their_couple, account_id),
        lambda: couples.reassign(db, admin, role, counselor.counselor_id),
    ):
        with calm_or_stored() as refused:
            action()
        assert not refused or isinstance(refused[0], ValidationError | NotFound), refused
    assert accounts.account(db, admin.counselor_id)["role"] == "admin"  # one admin always stays
    owner = couples.get(db, admin, their_couple)["counselor_id"]  # the couple still opens
    assert accounts.account(db, owner)["id"] in (admin.counselor_id, counselor.counselor_id)
    accounts.set_active(db, admin, counselor.counselor_id, True)


@pytest.fixture
def their_couple(db, counselor):
    """A couple an admin may move between counselors."""
    return make_couple(db, counselor)


@pytest.fixture
def fresh(db_path):
    """An empty practice with a setup code issued (the first start)."""
    database = Database(db_path)
    code = accounts.issue_setup_code(database, "abc-def-ghi")
    yield database, code
    database.close()


@settings(CAMPAIGN, max_examples=10)
@given(code=mostly(st.just(" abc-def-ghi "), one_in=2), raw_name=mostly(typed_text, one_in=3))
def test_the_first_admin_needs_the_setup_code_whatever_is_typed(fresh, code, raw_name):
    db, _ = fresh
    raw = {"username": "pat", "display_name": raw_name, "email": ""}
    with calm_or_stored() as refused:
        accounts.create_first_admin(db, code, raw, "correct horse battery")
    assert db.scalar("counselors/count") <= 1
    if refused:
        assert isinstance(refused[0], ValidationError)
    else:
        assert code == " abc-def-ghi " and signs_in(db, "pat", "correct horse battery")


@settings(CAMPAIGN, max_examples=40)
@given(
    since=mostly(st.datetimes(datetime(1, 2, 1), datetime(9000, 1, 1)), nasty_date),
    days=st.integers(min_value=-3, max_value=400),
    who=st.one_of(nasty_value, st.sampled_from(["alex", "ada", "(blank)", "link 1"])),
    action=st.one_of(nasty_value, st.sampled_from(["view", "sign_in", "create"])),
    couple=st.one_of(nasty_id, st.none(), st.just("")),
)
def test_the_audit_search_takes_any_filter(db, admin, counselor, since, days, who, action, couple):
    until = since + timedelta(days=days) if isinstance(since, datetime) else since
    with calm_or_stored() as refused:
        rows = audit.search(
            db, admin, since=since, until=until, who=who, action=action, couple_id=couple
        )
    if refused:
        assert isinstance(refused[0], ValidationError)
        return
    assert all(since <= r["occurred_at"] < until for r in rows)
    audit.export_csv(db, admin, rows).decode("utf-8")
    with pytest.raises(TandemError):
        audit.search(db, counselor, since=since, until=until)  # counselors never read the trail
