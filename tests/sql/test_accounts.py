"""Counselor accounts: sign-in, lockout, server-side sessions, admin actions, first start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import accounts, couples
from core.accounts import LOCK_AFTER_FAILURES, LOCK_DURATION, PASSWORD_MAX_BYTES
from core.clock import utcnow
from core.db import Database
from core.errors import LoginRefused, NotFound, PermissionDenied, ValidationError
from tests.conftest import PASSWORD, count, rows

NEW_PASSWORD = "another-password-2"
# 80 bytes in 40 characters: passes a length-in-characters check, too long for bcrypt.
LONG_PASSWORD = "é" * 40


@pytest.fixture
def t0():
    """A fixed 'now' for tests that move the clock."""
    return utcnow()


def refuse(db, username, password, now=None):
    """Assert a sign-in is refused with the one message every refusal shares."""
    with pytest.raises(LoginRefused) as caught:
        accounts.authenticate(db, username, password, now=now)
    assert str(caught.value) == LoginRefused.MESSAGE


def fail_times(db, username, n, start, step=timedelta(seconds=1)):
    """Record `n` failed sign-ins for `username`, one `step` apart from `start`; returns last time."""
    at = start
    for i in range(n):
        at = start + i * step
        refuse(db, username, "wrong-password!", now=at)
    return at


def live_session(db, actor, now):
    """Start an 8-hour sign-in; returns (actor with session, the cookie's expiry stamp)."""
    stamp = accounts.session_expiry(8, now)
    return accounts.start_session(db, actor, stamp, now=now), stamp


# -- sign-in -------------------------------------------------------------------------------
def test_sign_in_with_the_right_password_returns_the_counselor(db, counselor):
    actor = accounts.authenticate(db, "alex", PASSWORD)
    assert (actor.username, actor.display_name, actor.role) == ("alex", "Alex", "counselor")
    assert actor.counselor_id == counselor.counselor_id and not actor.is_admin


def test_usernames_are_matched_lower_cased_and_trimmed(db, counselor):
    assert accounts.authenticate(db, "  ALEX ", PASSWORD).username == "alex"


def test_passwords_are_stored_as_bcrypt_hashes(db, counselor):
    stored = db.one("counselors/get", id=counselor.counselor_id)["password_hash"]
    assert stored.startswith("$2b$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("alex", "wrong-password"),
        ("alex", ""),
        ("alex", PASSWORD.upper()),
        ("nobody", PASSWORD),
        ("", PASSWORD),
        ("blair", PASSWORD),  # deactivated below
        ("alex", "x" * 200),
        ("alex", LONG_PASSWORD),
        ("alex' OR '1'='1", "' OR '1'='1"),
    ],
)
def test_every_failed_sign_in_is_refused_with_the_same_message(
    db, admin, counselor, other_counselor, username, password
):
    accounts.set_active(db, admin, other_counselor.counselor_id, False)
    refuse(db, username, password)


def test_five_failures_lock_the_username_for_fifteen_minutes(db, counselor, t0):
    last = fail_times(db, "alex", LOCK_AFTER_FAILURES, t0)
    unlocks_at = last + LOCK_DURATION
    refuse(db, "alex", PASSWORD, now=last + timedelta(minutes=1))
    refuse(db, "alex", PASSWORD, now=unlocks_at - timedelta(seconds=1))
    actor = accounts.authenticate(db, "alex", PASSWORD, now=unlocks_at + timedelta(seconds=1))
    assert actor.username == "alex"


def test_four_failures_do_not_lock(db, counselor, t0):
    last = fail_times(db, "alex", LOCK_AFTER_FAILURES - 1, t0)
    assert accounts.authenticate(db, "alex", PASSWORD, now=last + timedelta(seconds=1))


def test_failures_spread_wider_than_the_window_do_not_lock(db, counselor, t0):
    last = fail_times(db, "alex", LOCK_AFTER_FAILURES + 2, t0, step=timedelta(minutes=16))
    assert accounts.authenticate(db, "alex", PASSWORD, now=last + timedelta(seconds=1))


def test_a_successful_sign_in_clears_earlier_failures(db, counselor, t0):
    last = fail_times(db, "alex", LOCK_AFTER_FAILURES - 1, t0)
    accounts.authenticate(db, "alex", PASSWORD, now=last + timedelta(seconds=1))
    last = fail_times(db, "alex", LOCK_AFTER_FAILURES - 1, last + timedelta(seconds=2))
    assert accounts.authenticate(db, "alex", PASSWORD, now=last + timedelta(seconds=1))


def test_a_lock_is_per_username(db, counselor, other_counselor, t0):
    last = fail_times(db, "alex", LOCK_AFTER_FAILURES, t0)
    assert accounts.authenticate(db, "blair", PASSWORD, now=last).username == "blair"


def test_unknown_usernames_are_throttled_too(db, t0):
    last = fail_times(db, "nobody", LOCK_AFTER_FAILURES, t0)
    throttle = db.one("auth/throttle_get", username=accounts.throttle_key("nobody"))
    assert throttle["locked_until"] == last + LOCK_DURATION
    # Counted under a fingerprint: what was typed (perhaps a password) is not stored.
    assert rows(db, "SELECT count(*) FROM login_throttle WHERE username LIKE '%nobody%'") == [(0,)]


def test_a_typed_username_is_recorded_only_up_to_a_limit(db, t0):
    refuse(db, "x" * 5000, "wrong-password!", now=t0)
    assert db.one(
        "auth/throttle_get", username=accounts.throttle_key("x" * accounts.TYPED_USERNAME_MAX)
    )


def test_an_admin_can_lift_a_lock(db, admin, counselor, t0):
    last = fail_times(db, "alex", LOCK_AFTER_FAILURES, t0)
    accounts.unlock(db, admin, "ALEX")
    assert accounts.authenticate(db, "alex", PASSWORD, now=last + timedelta(seconds=1))


# -- sessions behind remember-me cookies ----------------------------------------------------
def test_a_cookie_resumes_its_sign_in_while_the_session_is_live(db, counselor, t0):
    actor, stamp = live_session(db, counselor, t0)
    resumed = accounts.resume_from_cookie(db, "alex", stamp, now=t0 + timedelta(hours=7))
    assert resumed == actor and resumed.session_id is not None
    assert accounts.current(db, actor.session_id, now=t0 + timedelta(hours=7)) == actor


@pytest.mark.parametrize(
    ("username", "stamp_shift", "hours_later"),
    [
        ("alex", 0, 9),  # expired
        ("alex", 1, 1),  # a forged expiry that names no session
        ("blair", 0, 1),  # someone else's username with alex's stamp
        ("alex", "abc", 1),  # junk in the cookie
        ("alex", None, 1),
    ],
)
def test_a_cookie_that_names_no_live_session_resumes_nothing(
    db, counselor, other_counselor, t0, username, stamp_shift, hours_later
):
    _, stamp = live_session(db, counselor, t0)
    cookie_stamp = stamp + stamp_shift if isinstance(stamp_shift, int) else stamp_shift
    now = t0 + timedelta(hours=hours_later)
    assert accounts.resume_from_cookie(db, username, cookie_stamp, now=now) is None


def test_logout_makes_the_cookie_useless(db, counselor, t0):
    actor, stamp = live_session(db, counselor, t0)
    accounts.end_session(db, actor, now=t0)
    assert accounts.resume_from_cookie(db, "alex", stamp, now=t0) is None
    assert accounts.current(db, actor.session_id, now=t0) is None


def test_logout_ends_only_that_session(db, counselor, t0):
    laptop, _ = live_session(db, counselor, t0)
    phone, phone_stamp = live_session(db, counselor, t0 + timedelta(seconds=1))
    accounts.end_session(db, laptop, now=t0)
    assert accounts.resume_from_cookie(db, "alex", phone_stamp, now=t0) == phone


def revoke_by_own_password_change(db, admin, actor):
    """The counselor changes their own password."""
    accounts.change_own_password(db, actor, PASSWORD, NEW_PASSWORD)


def revoke_by_admin_reset(db, admin, actor):
    """An admin sets a temporary password."""
    accounts.reset_password(db, admin, actor.counselor_id, NEW_PASSWORD)


def revoke_by_deactivation(db, admin, actor):
    """An admin deactivates the account."""
    accounts.set_active(db, admin, actor.counselor_id, False)


@pytest.mark.parametrize(
    "revoke", [revoke_by_own_password_change, revoke_by_admin_reset, revoke_by_deactivation]
)
def test_every_session_ends_when_the_password_changes_or_the_account_is_closed(
    db, admin, counselor, other_counselor, revoke
):
    now = utcnow()
    sessions = [live_session(db, counselor, now) for _ in range(2)]
    bystander, bystander_stamp = live_session(db, other_counselor, now)
    revoke(db, admin, counselor)
    for actor, stamp in sessions:
        assert accounts.resume_from_cookie(db, "alex", stamp) is None
        assert accounts.current(db, actor.session_id) is None
    assert accounts.resume_from_cookie(db, "blair", bystander_stamp) == bystander


def test_a_password_change_takes_effect_at_once(db, counselor):
    accounts.change_own_password(db, counselor, PASSWORD, NEW_PASSWORD)
    refuse(db, "alex", PASSWORD)
    assert not accounts.authenticate(db, "alex", NEW_PASSWORD).must_change_password


def test_an_admin_reset_means_the_password_must_be_changed(db, admin, counselor):
    accounts.reset_password(db, admin, counselor.counselor_id, NEW_PASSWORD)
    refuse(db, "alex", PASSWORD)
    assert accounts.authenticate(db, "alex", NEW_PASSWORD).must_change_password


def test_a_reactivated_account_signs_in_but_old_sessions_stay_ended(db, admin, counselor):
    actor, stamp = live_session(db, counselor, utcnow())
    accounts.set_active(db, admin, counselor.counselor_id, False)
    refuse(db, "alex", PASSWORD)
    accounts.set_active(db, admin, counselor.counselor_id, True)
    assert accounts.authenticate(db, "alex", PASSWORD).username == "alex"
    assert accounts.resume_from_cookie(db, "alex", stamp) is None


def test_a_role_change_shows_on_the_next_page_run(db, admin, counselor):
    actor, _ = live_session(db, counselor, utcnow())
    accounts.set_role(db, admin, counselor.counselor_id, "admin")
    assert accounts.current(db, actor.session_id).is_admin


@pytest.mark.parametrize(
    ("current_pw", "new_pw", "field"),
    [
        ("wrong-password", NEW_PASSWORD, "current"),
        (PASSWORD, "short", "new"),
        (PASSWORD, PASSWORD, "new"),
        (PASSWORD, "alex", "new"),
        (PASSWORD, "aaaaaaaaaaaa", "new"),
        (PASSWORD, LONG_PASSWORD, "new"),
    ],
)
def test_a_refused_password_change_names_the_field_and_changes_nothing(
    db, counselor, current_pw, new_pw, field
):
    with pytest.raises(ValidationError) as caught:
        accounts.change_own_password(db, counselor, current_pw, new_pw)
    assert list(caught.value.fields) == [field]
    assert accounts.authenticate(db, "alex", PASSWORD)


# -- passwords -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-pw", "at least 10"),
        (LONG_PASSWORD, f"at most {PASSWORD_MAX_BYTES} bytes"),
        ("a" * 73, f"at most {PASSWORD_MAX_BYTES} bytes"),
        ("SamSmith01", "must not be the username"),
        ("abababababab", "less repetitive"),
        ("a" * 72 + "", "less repetitive"),
        ("correct horse battery", None),
        ("ü" * 10 + "abcd", None),  # 24 bytes: fine
        # A guesser's first list (a security review: "password12" was accepted).
        ("password12", "first anyone guessing"),
        ("Password-2026!", "first anyone guessing"),
        ("qwerty123456", "first anyone guessing"),
        ("1234567890", "first anyone guessing"),
        ("0987654321", "first anyone guessing"),
        ("Tandem 2026!", "first anyone guessing"),
        ("83729104", "at least 10"),
        ("8372910465", "first anyone guessing"),  # digits alone: a birthday, a phone number
        ("maple river 42", None),
    ],
)
def test_password_rules(password, problem):
    found = accounts.password_problem(password, "samsmith01")
    assert (found is None) if problem is None else (problem in found)


def test_passwords_over_72_bytes_are_refused_politely_everywhere(db, admin, counselor):
    fields = {"username": "casey", "display_name": "Casey", "email": "", "role": "counselor"}
    with pytest.raises(ValidationError, match="at most 72 bytes"):
        accounts.create_counselor(db, admin, fields, LONG_PASSWORD)
    with pytest.raises(ValidationError, match="at most 72 bytes"):
        accounts.reset_password(db, admin, counselor.counselor_id, LONG_PASSWORD)
    refuse(db, "alex", PASSWORD + "x" * 80)  # bcrypt would only read the first 72 bytes
    assert db.one("counselors/get_by_username", username="casey") is None


# -- admin actions -------------------------------------------------------------------------
ADMIN_ACTIONS = {
    "list counselors": lambda db, me, them: accounts.list_counselors(db, me),
    "choose counselors": lambda db, me, them: accounts.choosable_counselors(db, me),
    "create a counselor": lambda db, me, them: accounts.create_counselor(
        db, me, {"username": "mallory", "display_name": "M", "role": "admin"}, NEW_PASSWORD
    ),
    "deactivate": lambda db, me, them: accounts.set_active(db, me, them.counselor_id, False),
    "promote self": lambda db, me, them: accounts.set_role(db, me, me.counselor_id, "admin"),
    "demote": lambda db, me, them: accounts.set_role(db, me, them.counselor_id, "counselor"),
    "reset a password": lambda db, me, them: accounts.reset_password(
        db, me, them.counselor_id, NEW_PASSWORD
    ),
    "unlock": lambda db, me, them: accounts.unlock(db, me, them.username),
    "reassign a couple": lambda db, me, them: couples.reassign(
        db, me, couples.create(db, me, {"name": "A"}, {"name": "B"}), them.counselor_id
    ),
}


@pytest.mark.parametrize("action", ADMIN_ACTIONS.values(), ids=ADMIN_ACTIONS.keys())
def test_a_counselor_cannot_use_admin_actions(db, admin, counselor, action):
    before = db.all("counselors/list")
    with pytest.raises(PermissionDenied):
        action(db, counselor, admin)
    after = db.all("counselors/list")
    assert [(c["username"], c["role"], c["active"]) for c in after] == [
        (c["username"], c["role"], c["active"]) for c in before
    ]
    assert accounts.authenticate(db, "ada", PASSWORD).is_admin


def test_an_admin_creates_counselors_who_must_change_their_first_password(db, admin):
    fields = {"username": " Casey.K ", "display_name": "Casey K", "email": "", "role": "counselor"}
    cid = accounts.create_counselor(db, admin, fields, NEW_PASSWORD)
    actor = accounts.authenticate(db, "casey.k", NEW_PASSWORD)
    assert actor.counselor_id == cid and actor.must_change_password


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "alex", "display_name": "Alex Two", "role": "counselor"}, "username"),
        ({"username": "a", "display_name": "A", "role": "counselor"}, "username"),
        ({"username": "zoë", "display_name": "Zoë", "role": "counselor"}, "username"),
        ({"username": "sam smith", "display_name": "Sam", "role": "counselor"}, "username"),
        ({"username": "sam", "display_name": " ", "role": "counselor"}, "display_name"),
        ({"username": "sam", "display_name": "Sam", "role": "owner"}, "role"),
        ({"username": "sam", "display_name": "Sam", "email": "sam@", "role": "admin"}, "email"),
    ],
)
def test_a_bad_new_account_names_the_field_and_is_not_created(db, admin, counselor, fields, field):
    before = count(db, "counselors")
    with pytest.raises(ValidationError) as caught:
        accounts.create_counselor(db, admin, fields, NEW_PASSWORD)
    assert field in caught.value.fields
    assert count(db, "counselors") == before


def test_a_new_account_with_several_problems_names_them_all_at_once(db, admin):
    """The admin's form said the name was missing, and only after that was fixed, that the
    password was too short."""
    fields = {"username": "", "display_name": "", "role": "counselor"}
    with pytest.raises(ValidationError) as caught:
        accounts.create_counselor(db, admin, fields, "short")
    assert set(caught.value.fields) == {"display_name", "username", "password"}


@pytest.mark.parametrize(
    "action",
    [
        lambda db, admin: accounts.set_active(db, admin, admin.counselor_id, False),
        lambda db, admin: accounts.set_role(db, admin, admin.counselor_id, "counselor"),
    ],
    ids=["deactivate", "demote"],
)
def test_the_last_active_admin_cannot_be_deactivated_or_demoted(db, admin, action):
    with pytest.raises(ValidationError):
        action(db, admin)
    assert db.scalar("counselors/count_active_admins") == 1
    assert accounts.authenticate(db, "ada", PASSWORD).is_admin


def test_a_second_admin_may_be_demoted_but_then_the_first_may_not(db, admin, counselor):
    accounts.set_role(db, admin, counselor.counselor_id, "admin")
    accounts.set_role(db, admin, counselor.counselor_id, "counselor")
    with pytest.raises(ValidationError, match="at least one active admin"):
        accounts.set_role(db, admin, admin.counselor_id, "counselor")


def test_a_stale_admin_cannot_remove_the_last_active_admin(db, admin, counselor):
    accounts.set_role(db, admin, counselor.counselor_id, "admin")
    second = accounts.authenticate(db, "alex", PASSWORD)
    accounts.set_active(db, second, admin.counselor_id, False)
    with pytest.raises(ValidationError, match="at least one active admin"):
        accounts.set_active(db, admin, second.counselor_id, False)
    assert db.scalar("counselors/count_active_admins") == 1


@pytest.mark.parametrize("bad_id", [999_999, -1, 0, "abc", None, "1 OR 1=1"])
def test_admin_actions_on_a_missing_account_say_not_found(db, admin, bad_id):
    with pytest.raises(NotFound):
        accounts.set_active(db, admin, bad_id, False)
    with pytest.raises(NotFound):
        accounts.reset_password(db, admin, bad_id, NEW_PASSWORD)


def test_the_admin_list_counts_each_caseload(db, admin, counselor):
    couples.create(db, counselor, {"name": "A"}, {"name": "B"})
    archived = couples.create(db, counselor, {"name": "C"}, {"name": "D"})
    couples.set_archived(db, counselor, archived, True)
    listed = {c["username"]: c for c in accounts.list_counselors(db, admin)}
    assert (listed["alex"]["active_couples"], listed["alex"]["all_couples"]) == (1, 2)
    assert (listed["ada"]["active_couples"], listed["ada"]["all_couples"]) == (0, 0)


def test_deactivated_counselors_cannot_be_chosen(db, admin, counselor, other_counselor):
    accounts.set_active(db, admin, other_counselor.counselor_id, False)
    assert {c["username"] for c in accounts.choosable_counselors(db, admin)} == {"ada", "alex"}


# -- first start ---------------------------------------------------------------------------
FIRST_ADMIN = {"username": "first", "display_name": "First Admin", "email": ""}


@pytest.mark.parametrize("typed", ["", "wrong-code", "abc-def-ghi ", None])
def test_the_first_admin_needs_the_right_setup_code(db, typed):
    accounts.issue_setup_code(db, "abc-def-123")
    with pytest.raises(ValidationError, match="setup code is not right"):
        accounts.create_first_admin(db, typed, FIRST_ADMIN, PASSWORD)
    assert accounts.needs_first_admin(db)


def test_no_setup_code_issued_means_no_first_admin(db):
    with pytest.raises(ValidationError):
        accounts.create_first_admin(db, "", FIRST_ADMIN, PASSWORD)
    assert count(db, "counselors") == 0


def test_the_first_admin_can_be_created_exactly_once(db):
    code = accounts.issue_setup_code(db)
    assert accounts.needs_first_admin(db)
    accounts.create_first_admin(db, f"  {code}  ", {**FIRST_ADMIN, "role": "counselor"}, PASSWORD)
    assert accounts.authenticate(db, "first", PASSWORD).is_admin  # the role is forced
    assert not accounts.needs_first_admin(db)
    again = {**FIRST_ADMIN, "username": "second"}
    with pytest.raises(ValidationError):  # the used code is gone
        accounts.create_first_admin(db, code, again, PASSWORD)
    fresh = accounts.issue_setup_code(db)
    with pytest.raises(ValidationError, match="already has an admin"):
        accounts.create_first_admin(db, fresh, again, PASSWORD)
    assert count(db, "counselors") == 1


def test_the_setup_code_is_stored_only_as_a_hash(db):
    code = accounts.issue_setup_code(db)
    stored = db.scalar("auth/secret_get", name=accounts.SETUP_CODE_SECRET)
    assert stored and code not in stored


def test_the_cookie_key_is_generated_once_and_kept(db_path):
    db = Database(db_path)
    first = accounts.cookie_key(db, None)
    assert len(first) >= 32 and accounts.cookie_key(db, "") == first
    db.close()
    reopened = Database(db_path)
    try:
        assert accounts.cookie_key(reopened, None) == first
        assert accounts.cookie_key(reopened, "configured-key") == "configured-key"
    finally:
        reopened.close()


def test_a_sign_in_unused_longer_than_the_idle_limit_ends_and_its_cookie_with_it(db, counselor):
    from datetime import timedelta

    from core.clock import utcnow

    start = utcnow()
    actor = accounts.start_session(db, counselor, accounts.session_expiry(8, start), now=start)
    idle = timedelta(minutes=15)
    assert accounts.current(db, actor.session_id, now=start + timedelta(minutes=10), idle=idle)
    # Used at minute 10, so minute 24 is still within 15 idle minutes.
    assert accounts.current(db, actor.session_id, now=start + timedelta(minutes=24), idle=idle)
    assert (
        accounts.current(db, actor.session_id, now=start + timedelta(minutes=40), idle=idle) is None
    )
    stamp = accounts.session_expiry(8, start)
    assert accounts.resume_from_cookie(db, "alex", stamp, now=start + timedelta(minutes=41)) is None


def test_asking_how_long_a_sign_in_has_left_is_not_a_use(db, counselor):
    """An open page asks every so often (ui/auth.py); asking must not keep the sign-in alive."""
    from datetime import timedelta

    from core.clock import utcnow

    start = utcnow()
    actor = accounts.start_session(db, counselor, accounts.session_expiry(8, start), now=start)
    idle = timedelta(minutes=15)
    sid = actor.session_id
    assert accounts.idle_left(db, sid, None) is None  # no limit
    for minute in (2, 5, 9, 14):
        left = accounts.idle_left(db, sid, idle, now=start + timedelta(minutes=minute))
        assert left == timedelta(minutes=15 - minute)
    assert accounts.idle_left(db, sid, idle, now=start + timedelta(minutes=16)) == timedelta(0)
    assert accounts.current(db, sid, now=start + timedelta(minutes=16), idle=idle) is None
    assert accounts.idle_left(db, sid, idle, now=start + timedelta(minutes=16)) == timedelta(0)
    assert accounts.idle_left(db, None, idle) == timedelta(0)


def test_stay_signed_in_counts_as_a_use_but_cannot_revive_an_ended_sign_in(db, counselor):
    """The "still there?" box's button (ui/auth.py): it writes the use even within TOUCH_EVERY
    of the last write, so the warning goes away; after the limit it changes nothing."""
    from datetime import timedelta

    from core.clock import utcnow

    start = utcnow()
    actor = accounts.start_session(db, counselor, accounts.session_expiry(8, start), now=start)
    idle = timedelta(seconds=30)  # shorter than TOUCH_EVERY: a click alone would not be written
    sid = actor.session_id
    assert accounts.current(db, sid, now=start + timedelta(seconds=20), idle=idle)
    assert accounts.idle_left(db, sid, idle, now=start + timedelta(seconds=20)) == timedelta(
        seconds=10
    )
    assert accounts.keep_alive(db, sid, idle, now=start + timedelta(seconds=25))
    left = accounts.idle_left(db, sid, idle, now=start + timedelta(seconds=40))
    assert left == timedelta(seconds=15)  # counted from second 25, not from the start
    assert accounts.current(db, sid, now=start + timedelta(seconds=50), idle=idle)
    # Unused past the limit: the sign-in ends, and the button cannot bring it back.
    assert not accounts.keep_alive(db, sid, idle, now=start + timedelta(seconds=90))
    assert accounts.current(db, sid, now=start + timedelta(seconds=91), idle=idle) is None
    assert not accounts.keep_alive(db, None, idle)
