"""Partner check-in links and the in-session hand-over, against a real database: stopping or
replacing a standing link stops the period's check-in it opened; taking a handed-over device
back always needs the counselor's password, with a limit of its own that never pauses the
account; a hand-over started again continues the unsent answers; one check-in per period."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest

import core.db
from core import accounts, checkins, instruments, links
from core.db import Database
from core.errors import LoginRefused, ValidationError
from tests.conftest import PASSWORD, count, rows, run_at_once
from tests.sql.conftest import WEDNESDAY

NEXT_WEEK = WEDNESDAY + timedelta(days=7)
FORM = instruments.load("checkin")
SAFETY = "safety_afraid"


def complete(db, token: str, now: datetime) -> None:
    """Answer every required item of a check-in, as a partner does."""
    for item in FORM.items:
        if item.required:
            value = item.options[-1].value if item.options else (item.max or 5)
            links.save_answer(db, token, item.id, value, now=now)


def some_answers(db, token: str, now: datetime) -> dict:
    """A partial draft with a counselor-only safety answer in it; the answers as saved."""
    first = next(i for i in FORM.items if i.required and i.options)
    links.save_answer(db, token, first.id, first.options[0].value, now=now)
    links.save_answer(db, token, SAFETY, FORM.item(SAFETY).options[-1].value, now=now)
    return links.my_answers(db, token, now=now)


def live_checkins(db, partner_id: int) -> int:
    """How many unsent check-in links of a partner still take answers."""
    return rows(
        db,
        "SELECT count(*) FROM links WHERE partner_id = $p AND instrument_id = 'checkin' "
        "AND submitted_at IS NULL AND revoked_at IS NULL",
        p=partner_id,
    )[0][0]


def cannot_use(db, token: str, now: datetime) -> None:
    """Nothing can be read, saved or sent through a token any more."""
    with pytest.raises(links.LinkUnavailable):
        links.open_link(db, token, now=now)
    with pytest.raises(links.LinkUnavailable):
        links.my_answers(db, token, now=now)
    with pytest.raises(links.LinkUnavailable):
        links.save_answer(db, token, SAFETY, 0, now=now)
    with pytest.raises(links.LinkUnavailable):
        links.submit(db, token, now=now)


@pytest.fixture
def signed_in(db, counselor):
    """Counselor Alex with a live sign-in (a hand-over belongs to one sign-in)."""
    return accounts.start_session(db, counselor, accounts.session_expiry(1))


# -- item 2: stopping or replacing a standing link --------------------------------------------
def test_stopping_a_standing_link_stops_this_periods_check_in_and_its_draft(
    db, counselor, couple_id, partners, standing
):
    ptoken = checkins.open_standing(db, standing.token, now=WEDNESDAY).period_token
    some_answers(db, ptoken, WEDNESDAY)
    checkins.revoke_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    later = WEDNESDAY + timedelta(minutes=5)
    assert checkins.open_standing(db, standing.token, now=later) is None
    cannot_use(db, ptoken, later)  # the derived token no longer reopens or sends the draft
    assert live_checkins(db, partners[0]) == 0
    assert count(db, "checkins") == 0


def test_a_stopped_links_answers_are_not_carried_into_a_later_link(
    db, counselor, couple_id, partners, standing
):
    ptoken = checkins.open_standing(db, standing.token, now=WEDNESDAY).period_token
    some_answers(db, ptoken, WEDNESDAY)
    checkins.revoke_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    fresh = checkins.issue_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    new_ptoken = checkins.open_standing(db, fresh.token, now=WEDNESDAY).period_token
    assert links.my_answers(db, new_ptoken, now=WEDNESDAY) == {}


def test_a_new_link_stops_the_old_period_check_in_and_continues_its_answers(
    db, counselor, couple_id, partners, standing
):
    old_ptoken = checkins.open_standing(db, standing.token, now=WEDNESDAY).period_token
    draft = some_answers(db, old_ptoken, WEDNESDAY)
    newer = checkins.issue_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    later = WEDNESDAY + timedelta(hours=1)
    cannot_use(db, old_ptoken, later)
    new_ptoken = checkins.open_standing(db, newer.token, now=later).period_token
    assert new_ptoken != old_ptoken
    assert links.my_answers(db, new_ptoken, now=later) == draft
    assert live_checkins(db, partners[0]) == 1  # one live check-in for the period
    # The draft moved: the retired link keeps no copy of the answers.
    old_id = rows(db, "SELECT id FROM links WHERE revoked_reason = 'replaced'")[0][0]
    assert rows(db, "SELECT count(*) FROM answers WHERE link_id = $i", i=old_id)[0][0] == 0
    complete(db, new_ptoken, later)
    assert links.submit(db, new_ptoken, now=later)
    assert count(db, "checkins") == 1


def test_a_new_link_twice_in_one_period_still_carries_the_answers(
    db, counselor, couple_id, partners, standing
):
    first = checkins.open_standing(db, standing.token, now=WEDNESDAY).period_token
    draft = some_answers(db, first, WEDNESDAY)
    second_link = checkins.issue_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    checkins.open_standing(db, second_link.token, now=WEDNESDAY)
    third_link = checkins.issue_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    third = checkins.open_standing(db, third_link.token, now=WEDNESDAY).period_token
    assert links.my_answers(db, third, now=WEDNESDAY) == draft
    assert live_checkins(db, partners[0]) == 1


def test_a_new_link_in_a_later_period_starts_that_period_afresh(
    db, counselor, couple_id, partners, standing
):
    old = checkins.open_standing(db, standing.token, now=WEDNESDAY).period_token
    some_answers(db, old, WEDNESDAY)
    newer = checkins.issue_standing(db, counselor, couple_id, partners[0], now=NEXT_WEEK)
    fresh = checkins.open_standing(db, newer.token, now=NEXT_WEEK).period_token
    assert links.my_answers(db, fresh, now=NEXT_WEEK) == {}


def test_stopping_one_partners_link_leaves_the_other_partners_check_in_alone(
    db, counselor, couple_id, partners, standing
):
    marcus = checkins.issue_standing(db, counselor, couple_id, partners[1], now=WEDNESDAY)
    his = checkins.open_standing(db, marcus.token, now=WEDNESDAY).period_token
    checkins.open_standing(db, standing.token, now=WEDNESDAY)
    checkins.revoke_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    assert links.open_link(db, his, now=WEDNESDAY).partner_id == partners[1]


def test_migration_009_stops_period_check_ins_of_links_stopped_before_it(
    db_path, tmp_path, monkeypatch
):
    folder = tmp_path / "migrations"
    shutil.copytree(core.db.MIGRATIONS_DIR, folder)
    later = [p for p in folder.glob("*.sql") if int(p.name[:3]) >= 9]
    for path in later:
        path.unlink()  # a practice still at migration 008
    monkeypatch.setattr(core.db, "MIGRATIONS_DIR", folder)
    old = Database(db_path)
    t0, stopped_at = datetime(2025, 1, 6, 9), datetime(2025, 1, 7, 9)
    with old.cursor() as cur:
        cur.execute(
            "INSERT INTO standing_links (id, couple_id, partner_id, token_hash, created_by, "
            "created_at, expires_at, revoked_at, revoked_reason) VALUES "
            "(1, 1, 1, 'h1', 1, $t0, $far, $stopped, 'revoked'), "
            "(2, 1, 2, 'h2', 1, $t0, $far, NULL, NULL)",
            {"t0": t0, "far": t0 + timedelta(days=365), "stopped": stopped_at},
        )
        cur.execute(
            "INSERT INTO links (id, couple_id, partner_id, instrument_id, instrument_version, "
            "token_hash, created_by, created_at, expires_at) VALUES "
            "(1, 1, 1, 'checkin', 1, 'p1', 1, $t1, $period_end), "
            "(2, 1, 2, 'checkin', 1, 'p2', 1, $t1, $period_end), "
            "(3, 1, 2, 'checkin', 1, 'h3', 1, $t1, $t1 + INTERVAL '12 hours'), "
            # sent from the Questionnaires page for 14 days: an ordinary link, left alone
            "(4, 1, 1, 'checkin', 1, 'o4', 1, $t1, $t1 + INTERVAL '14 days')",
            # a period link ends at its period's end (a local midnight) plus some slack
            {"t1": t0 + timedelta(hours=1, seconds=7.25), "period_end": datetime(2025, 1, 15, 1)},
        )
    old.close()
    for path in later:
        shutil.copy(core.db.SQL_DIR / "migrations" / path.name, folder)
    new = Database(db_path)
    try:
        got = rows(
            new,
            "SELECT id, origin, standing_link_id, revoked_at, revoked_reason FROM links ORDER BY id",
        )
    finally:
        new.close()
    assert got == [
        (1, "period", 1, stopped_at, "revoked"),  # its standing link was stopped: so is it
        (2, "period", 2, None, None),
        (3, "handover", None, None, None),
        (4, None, None, None, None),  # not stopped with the standing link
    ]


# -- item 1 and 3: taking the device back ---------------------------------------------------------
def test_no_hand_over_ends_without_the_password_before_or_after_sending(
    db, signed_in, couple_id, partners
):
    token = checkins.start_handover(db, signed_in, couple_id, partners[1])
    for attempt in (None, "", "a guess", ["not", "text"]):
        with pytest.raises(ValidationError):
            checkins.end_handover(db, signed_in, attempt)
    complete(db, token, datetime.now())
    assert links.submit(db, token)
    with pytest.raises(ValidationError):
        checkins.end_handover(db, signed_in)  # sent: still locked without the password
    assert checkins.active_handover(db, signed_in)["submitted_at"] is not None


def test_wrong_hand_over_passwords_pause_the_box_and_never_the_account(
    db, signed_in, couple_id, partners
):
    checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)
    for n in range(1, checkins.HANDOVER_FREE_TRIES):
        with pytest.raises(ValidationError, match="not right"):
            checkins.end_handover(db, signed_in, f"guess {n}", now=WEDNESDAY)
    with pytest.raises(ValidationError, match="paused for 10 more minutes"):
        checkins.end_handover(db, signed_in, "last guess", now=WEDNESDAY)
    # Paused: even the right password waits, and the box says so.
    soon = WEDNESDAY + timedelta(minutes=4)
    with pytest.raises(ValidationError, match="paused for 6 more minutes"):
        checkins.end_handover(db, signed_in, PASSWORD, now=soon)
    assert checkins.active_handover(db, signed_in) is not None
    # The account itself is untouched: no sign-in pause, and signing in works elsewhere.
    assert db.one("auth/throttle_get", username=accounts.throttle_key("alex")) is None
    assert accounts.authenticate(db, "alex", PASSWORD).username == "alex"
    after = WEDNESDAY + checkins.HANDOVER_PAUSE + timedelta(seconds=1)
    checkins.end_handover(db, signed_in, PASSWORD, now=after)
    assert checkins.active_handover(db, signed_in) is None


def test_the_account_pause_from_sign_ins_does_not_stop_the_counselor_taking_the_device_back(
    db, signed_in, couple_id, partners
):
    checkins.start_handover(db, signed_in, couple_id, partners[1])
    for _ in range(accounts.LOCK_AFTER_FAILURES):
        with pytest.raises(LoginRefused):
            accounts.authenticate(db, "alex", "someone guessing elsewhere")
    checkins.end_handover(db, signed_in, PASSWORD)
    assert checkins.active_handover(db, signed_in) is None
    assert (
        db.one("auth/throttle_get", username=accounts.throttle_key("alex"))["locked_until"]
        is not None
    )  # kept


def test_refused_hand_over_passwords_are_in_the_audit_trail(db, signed_in, couple_id, partners):
    checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)
    for _ in range(checkins.HANDOVER_FREE_TRIES + 1):
        with pytest.raises(ValidationError):
            checkins.end_handover(db, signed_in, "a guess", now=WEDNESDAY)
    trail = rows(
        db,
        "SELECT actor_label, couple_ref, detail FROM audit_log "
        "WHERE action = 'handover_end_failed' ORDER BY id",
    )
    assert len(trail) == checkins.HANDOVER_FREE_TRIES + 1
    assert {(who, couple) for who, couple, _ in trail} == {("alex", couple_id)}
    assert trail[-2][2] == "wrong password; box paused"
    assert trail[-1][2] == "paused after failures"


def test_a_wrong_try_long_ago_does_not_count_towards_the_pause(db, signed_in, couple_id, partners):
    checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)
    for _ in range(checkins.HANDOVER_FREE_TRIES - 1):
        with pytest.raises(ValidationError):
            checkins.end_handover(db, signed_in, "typo", now=WEDNESDAY)
    later = WEDNESDAY + checkins.HANDOVER_FAILURE_WINDOW + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="4 more tries"):
        checkins.end_handover(db, signed_in, "typo", now=later)


# -- item 4: a hand-over started again continues --------------------------------------------------
def test_a_hand_over_started_again_in_the_same_period_continues_the_unsent_answers(
    db, signed_in, couple_id, partners, weekly
):
    first = checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)
    draft = some_answers(db, first, WEDNESDAY)
    checkins.end_handover(db, signed_in, PASSWORD, now=WEDNESDAY)
    later = WEDNESDAY + timedelta(days=2)
    again = checkins.start_handover(db, signed_in, couple_id, partners[1], now=later)
    assert links.my_answers(db, again, now=later) == draft
    cannot_use(db, first, later)
    assert live_checkins(db, partners[1]) == 1


def test_after_a_reload_the_counselors_password_reopens_the_same_answers(
    db, signed_in, couple_id, partners
):
    first = checkins.start_handover(db, signed_in, couple_id, partners[1])
    draft = some_answers(db, first, datetime.now())
    with pytest.raises(ValidationError):
        checkins.resume_handover(db, signed_in, "a guess")
    again = checkins.resume_handover(db, signed_in, PASSWORD)
    assert links.my_answers(db, again) == draft
    assert checkins.active_handover(db, signed_in)["partner_name"] == "Marcus"
    with pytest.raises(links.LinkUnavailable):
        links.my_answers(db, first)
    assert live_checkins(db, partners[1]) == 1


def test_a_hand_over_in_a_new_period_starts_empty(db, signed_in, couple_id, partners, weekly):
    first = checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)
    some_answers(db, first, WEDNESDAY)
    checkins.end_handover(db, signed_in, PASSWORD, now=WEDNESDAY)
    again = checkins.start_handover(db, signed_in, couple_id, partners[1], now=NEXT_WEEK)
    assert links.my_answers(db, again, now=NEXT_WEEK) == {}


def test_a_hand_over_never_takes_the_other_partners_answers(db, signed_in, couple_id, partners):
    rachel = checkins.start_handover(db, signed_in, couple_id, partners[0])
    some_answers(db, rachel, datetime.now())
    checkins.end_handover(db, signed_in, PASSWORD)
    marcus = checkins.start_handover(db, signed_in, couple_id, partners[1])
    assert links.my_answers(db, marcus) == {}


# -- item 5: one check-in per period ---------------------------------------------------------------
def test_a_partner_who_sent_this_periods_check_in_is_not_handed_the_device(
    db, signed_in, couple_id, partners, standing
):
    ptoken = checkins.open_standing(db, standing.token, now=WEDNESDAY).period_token
    complete(db, ptoken, WEDNESDAY)
    assert links.submit(db, ptoken, now=WEDNESDAY)
    before = count(db, "links")
    with pytest.raises(checkins.AlreadyCheckedIn, match="Monday 13 January 2025"):
        checkins.start_handover(db, signed_in, couple_id, partners[0], now=WEDNESDAY)
    assert checkins.active_handover(db, signed_in) is None and count(db, "links") == before
    assert checkins.start_handover(db, signed_in, couple_id, partners[0], now=NEXT_WEEK)


def test_once_a_hand_over_is_sent_the_partners_personal_check_in_for_the_period_closes(
    db, signed_in, couple_id, partners, standing
):
    ptoken = checkins.open_standing(db, standing.token, now=WEDNESDAY).period_token
    some_answers(db, ptoken, WEDNESDAY)
    token = checkins.start_handover(db, signed_in, couple_id, partners[0], now=WEDNESDAY)
    complete(db, token, WEDNESDAY)
    assert links.submit(db, token, now=WEDNESDAY)
    checkins.end_handover(db, signed_in, PASSWORD, now=WEDNESDAY)
    cannot_use(db, ptoken, WEDNESDAY + timedelta(minutes=1))
    assert count(db, "checkins") == 1


def test_a_check_in_handed_back_before_sending_says_so_not_stopped(
    db, signed_in, couple_id, partners
):
    """The couple's links listed a hand-over ended before sending as "Revoked", the word for a
    link the counselor stopped."""
    checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)
    checkins.end_handover(db, signed_in, PASSWORD, now=WEDNESDAY)
    ordinary = links.issue(db, signed_in, couple_id, partners[0], "checkin", now=WEDNESDAY)
    links.revoke(db, signed_in, couple_id, ordinary.link_id)
    for listed in (links.for_couple, links.newest_for_couple):
        shown = {r["partner_id"]: r["status"] for r in listed(db, signed_in, couple_id)}
        assert shown == {partners[1]: "ended", partners[0]: "revoked"}, listed
    assert links.STATUS_LABELS["ended"] == "Handed back before sending"
    assert links.STATUS_LABELS["revoked"] == "Stopped"


def test_hand_over_guesses_sent_at_once_get_no_more_tries(db, signed_in, couple_id, partners):
    """Several tabs on the device, each sending a guess at once, read the box as not paused."""
    checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)

    def guess(i):
        with pytest.raises(ValidationError):
            checkins.end_handover(db, signed_in, f"guess {i}", now=WEDNESDAY)

    assert run_at_once(12, guess) == []
    trail = rows(
        db,
        "SELECT detail, count(*) FROM audit_log WHERE action = 'handover_end_failed' "
        "GROUP BY detail",
    )
    free = checkins.HANDOVER_FREE_TRIES
    assert dict(trail) == {
        "wrong password": free - 1,
        "wrong password; box paused": 1,
        "paused after failures": 12 - free,
    }


def test_a_hand_over_ended_is_in_the_trail_under_its_couple(db, signed_in, couple_id, partners):
    """An owner asking who handled a couple missed the hand-overs: their entry named no couple."""
    checkins.start_handover(db, signed_in, couple_id, partners[1], now=WEDNESDAY)
    checkins.end_handover(db, signed_in, PASSWORD, now=WEDNESDAY)
    ended = rows(
        db,
        "SELECT couple_ref, detail FROM audit_log WHERE object = 'hand-over' AND action = 'update'",
    )
    assert ended == [(couple_id, "ended, the form not sent")]
