"""Check-ins against a real database: schedules, standing personal links that open the current
period's form, the typed row written with each submission, and the in-session hand-over."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core import accounts, checkin_rows, checkins, instruments, links
from core.errors import NotFound, ValidationError
from tests.conftest import PASSWORD, count, rows
from tests.sql.conftest import MONDAY, WEDNESDAY
from tests.sql.test_links import varchar_values

FORM = instruments.load("checkin")


def complete(db, token: str, now: datetime, **extra) -> None:
    """Answer every required item of a check-in (and any extra ones), as a partner does."""
    for item in FORM.items:
        if item.required:
            value = item.options[-1].value if item.options else (item.max or 5)
            links.save_answer(db, token, item.id, value, now=now)
    for item_id, value in extra.items():
        links.save_answer(db, token, item_id, value, now=now)


# -- schedule -------------------------------------------------------------------------------
def test_a_schedule_is_stored_once_per_couple_and_can_be_changed(db, counselor, couple_id, weekly):
    checkins.set_schedule(db, counselor, couple_id, "monthly", "2025-02-01", "UTC")
    plan = checkins.get_schedule(db, couple_id)
    assert (plan.cadence, plan.anchor, plan.timezone) == ("monthly", date(2025, 2, 1), "UTC")
    assert count(db, "checkin_schedules") == 1


@pytest.mark.parametrize(
    ("cadence", "anchor", "timezone", "field"),
    [
        ("daily", MONDAY, "UTC", "cadence"),
        ("weekly", None, "UTC", "anchor"),
        ("weekly", "not a date", "UTC", "anchor"),
        ("weekly", MONDAY, "Europe/Atlantis", "timezone"),
    ],
)
def test_a_bad_schedule_is_refused_field_by_field(
    db, counselor, couple_id, cadence, anchor, timezone, field
):
    with pytest.raises(ValidationError) as caught:
        checkins.set_schedule(db, counselor, couple_id, cadence, anchor, timezone)
    assert field in caught.value.fields
    assert checkins.get_schedule(db, couple_id) is None


def test_another_counselor_cannot_touch_the_couples_check_ins(
    db, other_counselor, couple_id, partners
):
    for call in (
        lambda: checkins.set_schedule(db, other_counselor, couple_id, "weekly", MONDAY, "UTC"),
        lambda: checkins.issue_standing(db, other_counselor, couple_id, partners[0]),
        lambda: checkins.overview(db, other_counselor, couple_id),
        lambda: checkins.recent(db, other_counselor, couple_id),
    ):
        with pytest.raises(NotFound):
            call()


# -- standing links ----------------------------------------------------------------------------
def test_a_standing_token_is_shown_once_and_only_its_hash_is_kept(db, standing):
    assert links.TOKEN_SHAPE.match(standing.token)
    stored = varchar_values(db)
    assert standing.token not in stored and links.hash_token(standing.token) in stored


def test_opening_a_standing_link_gives_the_current_periods_check_in(db, standing, partners):
    opened = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    assert opened.partner_name == "Rachel" and opened.message == ""
    assert opened.period_token == checkins.period_token(standing.token, MONDAY)
    assert opened.open_until == date(2025, 1, 12)  # the week's last day, Sunday
    link = links.open_link(db, opened.period_token, now=WEDNESDAY)
    assert (link.partner_id, link.instrument_id) == (partners[0], "checkin")
    again = checkins.open_standing(db, standing.token, now=WEDNESDAY + timedelta(days=2))
    assert again.period_token == opened.period_token
    assert count(db, "links") == 1  # the same period opens the same form


def test_a_new_period_opens_a_fresh_check_in(db, standing):
    first = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    later = checkins.open_standing(db, standing.token, now=WEDNESDAY + timedelta(days=7))
    assert later.period_token != first.period_token
    assert count(db, "links") == 2


def test_period_tokens_differ_by_period_and_by_standing_token():
    a = checkins.period_token("a" * 43, MONDAY)
    assert links.TOKEN_SHAPE.match(a)
    assert a != checkins.period_token("a" * 43, MONDAY + timedelta(days=7))
    assert a != checkins.period_token("b" * 43, MONDAY)


def test_after_sending_the_standing_link_says_when_the_next_one_opens(db, standing):
    opened = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    complete(db, opened.period_token, WEDNESDAY)
    assert links.submit(db, opened.period_token, now=WEDNESDAY)
    done = checkins.open_standing(db, standing.token, now=WEDNESDAY + timedelta(hours=1))
    assert done.period_token is None
    assert "next one opens on Monday 13 January 2025" in done.message


def test_a_partner_on_another_clock_is_told_the_hour_on_their_own(db, standing):
    """The couple's weeks begin at midnight in London. A partner in Chicago read "open until
    Sunday 12 January" and "the next one opens on Monday 13 January", which begins for him at
    18:00 on the Sunday (walkthrough). Where the partner's clock agrees with the couple's, or is
    unknown, the words stay as they were."""
    chicago = checkins.open_standing(db, standing.token, now=WEDNESDAY, zone="America/Chicago")
    assert chicago.open_until == date(2025, 1, 12)
    assert chicago.open_until_words == "18:00 on Sunday 12 January 2025, your time"
    for zone in (None, "Europe/Lisbon", "UTC", "Not/AZone", "America"):
        same = checkins.open_standing(db, standing.token, now=WEDNESDAY, zone=zone)
        assert same.open_until_words == "Sunday 12 January 2025", zone
    complete(db, chicago.period_token, WEDNESDAY)
    assert links.submit(db, chicago.period_token, now=WEDNESDAY)
    later = WEDNESDAY + timedelta(hours=1)
    done = checkins.open_standing(db, standing.token, now=later, zone="America/Chicago")
    assert "next one opens at 18:00 on Sunday 12 January 2025, your time." in done.message
    done = checkins.open_standing(db, standing.token, now=later, zone="Europe/London")
    assert "next one opens on Monday 13 January 2025." in done.message


def test_without_an_active_schedule_a_standing_link_opens_nothing(
    db, counselor, couple_id, standing
):
    checkins.set_schedule(db, counselor, couple_id, "off", MONDAY, "UTC")
    assert checkins.open_standing(db, standing.token, now=WEDNESDAY).message == (
        checkins.NO_CHECKIN_OPEN
    )
    checkins.set_schedule(db, counselor, couple_id, "weekly", date(2025, 3, 3), "UTC")
    assert (
        "first check-in opens on Monday 3 March 2025"
        in checkins.open_standing(db, standing.token, now=WEDNESDAY).message
    )


def test_re_sending_replaces_the_old_standing_link_and_stopping_it_ends_it(
    db, counselor, couple_id, partners, standing
):
    newer = checkins.issue_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    assert checkins.open_standing(db, standing.token, now=WEDNESDAY) is None
    assert checkins.open_standing(db, newer.token, now=WEDNESDAY).period_token
    checkins.revoke_standing(db, counselor, couple_id, partners[0])
    assert checkins.open_standing(db, newer.token, now=WEDNESDAY) is None
    assert checkins.standing_for_couple(db, counselor, couple_id, now=WEDNESDAY) == {}


def test_an_expired_standing_link_opens_nothing(db, standing):
    assert checkins.open_standing(db, standing.token, now=WEDNESDAY + timedelta(days=366)) is None


@pytest.mark.parametrize("token", [None, "", "short", "x" * 43, 12345])
def test_anything_else_is_not_a_standing_link(db, standing, token):
    assert checkins.open_standing(db, token) is None


# -- the typed row ---------------------------------------------------------------------------------
def test_submitting_a_check_in_writes_one_typed_row_in_the_same_transaction(db, standing, partners):
    opened = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    complete(
        db,
        opened.period_token,
        WEDNESDAY,
        household_share=70,
        mental_load_share=60,
        safety_afraid=2,
    )
    assert count(db, "checkins") == 0  # drafts write no typed row
    links.submit(db, opened.period_token, now=WEDNESDAY)
    assert links.submit(db, opened.period_token, now=WEDNESDAY) is False  # a double tap
    (row,) = rows(
        db,
        "SELECT partner_id, submitted_at, period_on, load_share, safety_flag, csi_total, link_id "
        "FROM checkins",
    )
    link_id = db.one("links/by_token_hash", token_hash=links.hash_token(opened.period_token))["id"]
    assert row == (partners[0], WEDNESDAY, MONDAY, 65.0, True, 21, link_id)


def test_if_the_typed_row_cannot_be_written_the_submission_is_rolled_back(
    db, standing, monkeypatch
):
    opened = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    complete(db, opened.period_token, WEDNESDAY)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(checkin_rows, "record", broken)
    with pytest.raises(RuntimeError):
        links.submit(db, opened.period_token, now=WEDNESDAY)
    assert links.open_link(db, opened.period_token, now=WEDNESDAY).submitted is False
    assert count(db, "checkins") == 0


def test_other_questionnaires_write_no_typed_row(db, counselor, couple_id, partners):
    issued = links.issue(db, counselor, couple_id, partners[0], "csi4", 7)
    for item in instruments.load("csi4").items:
        links.save_answer(db, issued.token, item.id, 3)
    assert links.submit(db, issued.token)
    assert count(db, "checkins") == 0


def test_a_check_in_without_a_schedule_has_no_period(db, counselor, couple_id, partners):
    issued = links.issue(db, counselor, couple_id, partners[1], "checkin", 7)
    complete(db, issued.token, WEDNESDAY)
    links.submit(db, issued.token)
    assert rows(db, "SELECT partner_id, period_on FROM checkins") == [(partners[1], None)]


def test_the_overview_shows_who_is_done_and_who_is_due(
    db, counselor, couple_id, standing, partners
):
    opened = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    complete(db, opened.period_token, WEDNESDAY)
    links.submit(db, opened.period_token, now=WEDNESDAY)
    plan, current, statuses = checkins.overview(db, counselor, couple_id, now=WEDNESDAY)
    assert current.start_local == MONDAY
    assert [(s.partner["name"], s.status.state, s.count) for s in statuses] == [
        ("Rachel", "done", 1),
        ("Marcus", "due", 0),
    ]
    assert statuses[0].standing is not None and statuses[1].standing is None
    assert len(checkins.recent(db, counselor, couple_id)) == 1


def test_a_new_schedule_is_due_from_when_it_was_set_not_before(db, counselor, couple_id, partners):
    """Switching monthly to every two weeks made both partners "overdue, due 14 days ago" at
    once: periods never asked for counted as missed."""
    checkins.set_schedule(db, counselor, couple_id, "monthly", MONDAY, "UTC", now=WEDNESDAY)
    standing = checkins.issue_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
    feb_4 = datetime(2025, 2, 4, 9)
    opened = checkins.open_standing(db, standing.token, now=feb_4)
    complete(db, opened.period_token, feb_4)
    links.submit(db, opened.period_token, now=feb_4)
    feb_23 = datetime(2025, 2, 23, 9)
    checkins.set_schedule(db, counselor, couple_id, "fortnightly", MONDAY, "UTC", now=feb_23)

    def states(now):
        _plan, _current, statuses = checkins.overview(db, counselor, couple_id, now=now)
        return [(s.status.state, s.status.overdue_days) for s in statuses]

    assert states(feb_23 + timedelta(hours=1)) == [("due", 0), ("due", 0)]
    later = feb_23 + timedelta(days=10)  # past the grace days, counted from the change
    assert [state for state, _ in states(later)] == ["overdue", "overdue"]
    assert states(later)[0][1] == 10
    # A new time zone alone is not a new schedule: the clock is not restarted.
    checkins.set_schedule(
        db, counselor, couple_id, "fortnightly", MONDAY, "Europe/Paris", now=later
    )
    assert checkins.get_schedule(db, couple_id).since == feb_23


# -- hand-over ---------------------------------------------------------------------------------------
@pytest.fixture
def signed_in(db, counselor):
    """Counselor A with a live sign-in (a hand-over belongs to one sign-in)."""
    return accounts.start_session(db, counselor, accounts.session_expiry(1))


def test_a_hand_over_locks_the_sign_in_to_one_partners_fresh_check_in(
    db, signed_in, couple_id, partners
):
    token = checkins.start_handover(db, signed_in, couple_id, partners[1])
    current = checkins.active_handover(db, signed_in)
    assert (current["partner_name"], current["submitted_at"]) == ("Marcus", None)
    assert links.open_link(db, token).partner_id == partners[1]
    assert token not in varchar_values(db)


def test_ending_a_hand_over_early_needs_the_counselors_password(db, signed_in, couple_id, partners):
    token = checkins.start_handover(db, signed_in, couple_id, partners[1])
    with pytest.raises(ValidationError):
        checkins.end_handover(db, signed_in, "a guess")
    assert checkins.active_handover(db, signed_in) is not None
    assert (
        db.one("auth/throttle_get", username=accounts.throttle_key("alex")) is None
    )  # never the account's pause
    checkins.end_handover(db, signed_in, PASSWORD)
    assert checkins.active_handover(db, signed_in) is None
    with pytest.raises(links.LinkUnavailable):
        links.open_link(db, token)  # the form stops working too


def test_after_the_partner_sends_it_the_device_goes_back_only_with_the_password(
    db, signed_in, couple_id, partners
):
    token = checkins.start_handover(db, signed_in, couple_id, partners[0])
    complete(db, token, datetime.now())
    links.submit(db, token)
    assert checkins.active_handover(db, signed_in)["submitted_at"] is not None
    for attempt in (None, "", "a guess"):
        with pytest.raises(ValidationError):
            checkins.end_handover(db, signed_in, attempt)
        assert checkins.active_handover(db, signed_in) is not None
    checkins.end_handover(db, signed_in, PASSWORD)
    assert checkins.active_handover(db, signed_in) is None
    assert count(db, "checkins") == 1


def test_a_hand_over_needs_a_sign_in_and_the_counselors_own_couple(
    db, counselor, other_counselor, couple_id, partners
):
    with pytest.raises(ValidationError):
        checkins.start_handover(db, counselor, couple_id, partners[0])  # no session id
    other = accounts.start_session(db, other_counselor, accounts.session_expiry(1))
    with pytest.raises(NotFound):
        checkins.start_handover(db, other, couple_id, partners[0])
