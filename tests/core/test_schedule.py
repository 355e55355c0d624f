"""Check-in periods: local dates step from the anchor, so nothing drifts across DST or month ends."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core import schedule
from core.schedule import Schedule, local_midnight_utc, partner_status, period, period_at


def test_weekly_periods_start_at_local_midnight_on_the_same_weekday_across_dst():
    london = Schedule("weekly", date(2025, 3, 17), "Europe/London")  # a Monday; BST from 30 Mar
    starts = [period(london, k) for k in range(4)]
    assert [p.start_local for p in starts] == [
        date(2025, 3, 17),
        date(2025, 3, 24),
        date(2025, 3, 31),
        date(2025, 4, 7),
    ]
    assert {p.start_local.weekday() for p in starts} == {0}
    # Midnight in London is 00:00 UTC before the change and 23:00 UTC the day before after it.
    assert [p.start_utc for p in starts] == [
        datetime(2025, 3, 17, 0),
        datetime(2025, 3, 24, 0),
        datetime(2025, 3, 30, 23),
        datetime(2025, 4, 6, 23),
    ]


def test_a_weekly_schedule_does_not_drift_after_a_year_of_dst_changes():
    new_york = Schedule("weekly", date(2024, 1, 1), "America/New_York")
    after_a_year = period(new_york, 52)
    assert after_a_year.start_local == date(2024, 12, 30)
    assert after_a_year.start_utc == datetime(2024, 12, 30, 5)  # EST again: 00:00 local


def test_monthly_periods_keep_the_anchor_day_and_use_the_last_day_of_short_months():
    plan = Schedule("monthly", date(2024, 1, 31), "UTC")
    assert [period(plan, k).start_local for k in range(5)] == [
        date(2024, 1, 31),
        date(2024, 2, 29),  # leap year
        date(2024, 3, 31),  # back to the 31st, not stuck on the 29th
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]
    assert period(plan, 13).start_local == date(2025, 2, 28)


def test_fortnightly_periods_are_fourteen_local_days():
    plan = Schedule("fortnightly", date(2025, 10, 20), "Europe/Berlin")  # CET from 26 Oct
    first, second = period(plan, 0), period(plan, 1)
    assert second.start_local - first.start_local == timedelta(days=14)
    assert second.start_utc - first.start_utc == timedelta(days=14, hours=1)  # the clock went back


@pytest.mark.parametrize(
    ("timezone", "instant", "expected"),
    [
        # 23:30 UTC on Sunday 5 Jan is already Monday 6 Jan in Auckland (UTC+13).
        ("Pacific/Auckland", datetime(2025, 1, 5, 23, 30), date(2025, 1, 6)),
        # 03:00 UTC on Monday 6 Jan is still Sunday 5 Jan in Los Angeles (UTC-8).
        ("America/Los_Angeles", datetime(2025, 1, 6, 3, 0), date(2024, 12, 30)),
        ("UTC", datetime(2025, 1, 6, 0, 0), date(2025, 1, 6)),
    ],
)
def test_the_period_of_an_instant_depends_on_the_schedules_time_zone(timezone, instant, expected):
    plan = Schedule("weekly", date(2024, 12, 30), timezone)
    assert period_at(plan, instant).start_local == expected


def test_a_midnight_skipped_by_dst_starts_the_day_at_its_first_instant():
    # Chile moved its clocks from 00:00 to 01:00 on 8 Sep 2024: the day starts at 04:00 UTC.
    assert local_midnight_utc(date(2024, 9, 8), "America/Santiago") == datetime(2024, 9, 8, 4)


def test_before_the_first_period_and_when_off_there_is_no_period():
    plan = Schedule("weekly", date(2025, 6, 2), "UTC")
    assert period_at(plan, datetime(2025, 6, 1, 12)) is None
    assert period_at(Schedule("off", date(2025, 6, 2), "UTC"), datetime(2025, 7, 1)) is None


WEEKLY = Schedule("weekly", date(2025, 1, 6), "UTC")  # Mondays


@pytest.mark.parametrize(
    ("last", "now", "state", "days"),
    [
        (datetime(2025, 1, 14, 9), datetime(2025, 1, 16, 9), schedule.DONE, 0),
        (datetime(2025, 1, 9, 9), datetime(2025, 1, 14, 9), schedule.DUE, 0),  # 1 day into grace
        (datetime(2025, 1, 9, 9), datetime(2025, 1, 16, 9), schedule.OVERDUE, 3),
        (datetime(2025, 1, 9, 9), datetime(2025, 2, 10, 9), schedule.OVERDUE, 28),  # stays overdue
        (None, datetime(2025, 1, 7, 9), schedule.DUE, 0),
        (None, datetime(2025, 1, 20, 9), schedule.OVERDUE, 14),
        (datetime(2024, 6, 1), datetime(2025, 1, 8), schedule.DUE, 0),  # before the schedule
    ],
)
def test_partner_status_follows_from_the_last_submission(last, now, state, days):
    status = partner_status(WEEKLY, last, now)
    assert (status.state, status.overdue_days) == (state, days)


def test_status_says_when_the_next_period_opens_and_reads_in_words():
    status = partner_status(WEEKLY, datetime(2025, 1, 9), datetime(2025, 1, 16, 9))
    assert status.next_opens == datetime(2025, 1, 20)
    assert status.label == "Overdue: due 3 days ago"
    assert partner_status(None, None, datetime(2025, 1, 1)).state == schedule.OFF
    assert partner_status(WEEKLY, None, datetime(2025, 1, 1)).state == schedule.NOT_STARTED


def test_monthly_grace_is_longer_than_weekly():
    monthly = Schedule("monthly", date(2025, 1, 1), "UTC")
    assert partner_status(monthly, datetime(2025, 1, 20), datetime(2025, 2, 6)).state == "due"
    assert partner_status(monthly, datetime(2025, 1, 20), datetime(2025, 2, 9)).state == "overdue"


@pytest.mark.parametrize(
    ("name", "ok"),
    [("Europe/London", True), ("UTC", True), ("Mars/Base", False), ("", False), (None, False)],
)
def test_only_known_time_zones_are_valid(name, ok):
    assert schedule.valid_timezone(name) is ok


def _same(a: schedule.PartnerStatus, b: schedule.PartnerStatus) -> bool:
    return (a.state, a.due_since, a.overdue_days, a.next_opens) == (
        b.state,
        b.due_since,
        b.overdue_days,
        b.next_opens,
    )


@pytest.mark.parametrize("cadence", ["weekly", "fortnightly", "monthly"])
@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Australia/Lord_Howe"])
def test_a_status_holds_until_the_instant_it_says_it_may_change(cadence, zone):
    """`changes_at` lets the caseload keep a judgement (core/alerts.py): the status must be the
    same at every instant before it. Across DST changes, month ends and a schedule set later."""
    import random

    rng = random.Random(f"{cadence}{zone}")
    start = datetime(2025, 1, 1)
    for _ in range(100):
        plan = Schedule(
            cadence,
            date(2025, 1, 1) + timedelta(days=rng.randrange(0, 60)),
            zone,
            None if rng.random() < 0.5 else start + timedelta(hours=rng.randrange(0, 24 * 90)),
        )
        last = None if rng.random() < 0.3 else start + timedelta(hours=rng.randrange(0, 24 * 300))
        # Mostly soon after the last check-in (due, the grace, the first days overdue).
        near = last if last is not None and rng.random() < 0.7 else start
        now = near + timedelta(minutes=rng.randrange(0, 60 * 24 * (40 if near is last else 400)))
        status = partner_status(plan, last, now)
        changes = status.changes_at
        assert changes is not None and changes > now, (plan, last, now)
        for t in (now + (changes - now) * rng.random() for _ in range(20)):
            assert _same(partner_status(plan, last, t), status), (plan, last, now, t)
        assert _same(partner_status(plan, last, changes - timedelta(microseconds=1)), status)


def test_a_status_without_a_schedule_never_changes_by_itself():
    assert partner_status(None, None, datetime(2025, 1, 1)).changes_at is None
