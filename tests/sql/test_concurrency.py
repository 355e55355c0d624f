"""Many sessions at once on one Database: every write lands exactly once, nothing raises."""

from __future__ import annotations

from collections import Counter

from core import accounts, couples
from core.accounts import LOCK_AFTER_FAILURES
from core.errors import LoginRefused
from tests.conftest import PASSWORD, count, rows, run_at_once

THREADS = 20
ROUNDS = 3


def fail_sign_in(db, username):
    """One failed sign-in, which must be refused and nothing else."""
    try:
        accounts.authenticate(db, username, "not-the-password")
    except LoginRefused:
        pass
    else:
        raise AssertionError("a wrong password signed in")


def test_twenty_sessions_creating_couples_and_failing_sign_ins_at_once(db, counselor):
    shared_failures = THREADS * ROUNDS + 1  # thread 0 fails once more

    def work(i):
        for r in range(ROUNDS):
            couples.create(db, counselor, {"name": f"P{i}-{r}"}, {"name": f"Q{i}-{r}"})
            couples.caseload(db, counselor, q=f"P{i}-")
            fail_sign_in(db, f"ghost{i}")
            fail_sign_in(db, "shared")
        if i == 0:
            fail_sign_in(db, "shared")

    errors = run_at_once(THREADS, work)
    assert errors == []

    assert count(db, "couples") == THREADS * ROUNDS
    names = Counter(r[0] for r in rows(db, "SELECT name FROM partners"))
    expected = {f"{p}{i}-{r}" for p in "PQ" for i in range(THREADS) for r in range(ROUNDS)}
    assert set(names) == expected and set(names.values()) == {1}
    assert len(couples.caseload(db, counselor)) == THREADS * ROUNDS
    for i in range(THREADS):
        assert (
            db.one("auth/throttle_get", username=accounts.throttle_key(f"ghost{i}"))["failures"]
            == ROUNDS
        )
    shared = db.one("auth/throttle_get", username=accounts.throttle_key("shared"))
    # No failure lost: every 5th one locks and restarts the count.
    assert shared["failures"] == shared_failures % LOCK_AFTER_FAILURES
    assert shared["locked_until"] is not None


def test_twenty_sessions_changing_one_couple_at_once(db, counselor, couple_id):
    def work(i):
        for r in range(ROUNDS):
            couples.update_notes(db, counselor, couple_id, f"note {i}-{r}")
            couples.set_archived(db, counselor, couple_id, r % 2 == 0)
            couples.update(db, counselor, couple_id, {"name": f"P{i}"}, {"name": "Q"}, "n")

    errors = run_at_once(THREADS, work)
    assert errors == []
    assert count(db, "couples") == 1 and count(db, "partners") == 2


def test_twenty_sessions_signing_in_and_out_at_once(db, counselor):
    started = []

    def work(i):
        actor = accounts.authenticate(db, "alex", PASSWORD)
        actor = accounts.start_session(db, actor, accounts.session_expiry(8))
        started.append(actor.session_id)
        if i % 2:
            accounts.end_session(db, actor)

    errors = run_at_once(THREADS, work)
    assert errors == []
    assert len(set(started)) == THREADS
    live = [sid for sid in started if accounts.current(db, sid) is not None]
    assert len(live) == THREADS // 2


def test_guesses_sent_all_at_once_get_no_more_tries_than_one_after_another(db, counselor):
    """A review sent thirty sign-ins at once, the right password among them: each read the
    username as not paused, had its password checked, and the right one signed in."""
    run_at_once(30, lambda i: fail_sign_in(db, "alex"))
    checked = rows(
        db,
        "SELECT detail, count(*) FROM audit_log WHERE action = 'sign_in_failed' GROUP BY detail",
    )
    assert dict(checked) == {"wrong password": LOCK_AFTER_FAILURES, "paused after failures": 25}
    try:
        accounts.authenticate(db, "alex", PASSWORD)
    except LoginRefused:
        pass  # still paused
    else:
        raise AssertionError("signed in during the pause")
