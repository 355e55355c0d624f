"""The trend and equity charts count a check-in on its day on the reader's clock (the browser's
time zone), as the dates beside it on the other pages do: a Sunday-evening check-in in Chicago
is Monday in UTC, and fell in the next week's bucket, so one week showed two check-ins and the
one before none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core import trends
from core.clock import utcnow
from tests.conftest import rows

CHICAGO = "America/Chicago"
TODAY = date(2026, 11, 24)  # a Tuesday
SUNDAY_EVENING = datetime(2026, 11, 23, 3, 0)  # UTC: 21:00 on Sunday 22 November in Chicago


def checkin(db, couple_id, at, **values):
    partner = rows(
        db, "SELECT id FROM partners WHERE couple_id = $c AND position = 1", c=couple_id
    )[0][0]
    rows(
        db,
        "INSERT INTO checkins (couple_id, partner_id, submitted_at, csi_total, load_share) "
        "VALUES ($couple_id, $partner_id, $at, $csi, $load)",
        couple_id=couple_id,
        partner_id=partner,
        at=at,
        csi=values.get("csi"),
        load=values.get("load"),
    )


def weeks(db, actor, cid, zone):
    win = trends.window(db, actor, cid, "6m", today=TODAY, zone=zone)
    frame = trends.buckets(db, actor, cid, win)
    return [b.date() for b in frame["bucket"]]


def test_a_sunday_evening_checkin_is_in_its_own_week_on_the_readers_clock(db, counselor, couple_id):
    checkin(db, couple_id, SUNDAY_EVENING, csi=15)
    assert weeks(db, counselor, couple_id, CHICAGO) == [date(2026, 11, 16)]  # Monday before
    assert weeks(db, counselor, couple_id, None) == [date(2026, 11, 23)]  # UTC: Monday itself


def test_the_windows_edges_are_the_readers_midnights(db, counselor, couple_id):
    # 23:30 on 24 November in Chicago: the 25th in UTC, still in the window that ends on the
    # 24th on the reader's clock; and 03:00 UTC on 25 May, the window's first day in UTC but
    # still 24 May, the day before it, in Chicago.
    checkin(db, couple_id, datetime(2026, 11, 25, 5, 30), csi=10)
    checkin(db, couple_id, datetime(2026, 5, 25, 3, 0), csi=12)
    win = trends.window(db, counselor, couple_id, "6m", today=TODAY, zone=CHICAGO)
    assert win.start == date(2026, 5, 25)
    assert list(trends.buckets(db, counselor, couple_id, win)["csi_total"]) == [10]
    utc = trends.window(db, counselor, couple_id, "6m", today=TODAY)
    assert utc.zone == "UTC"
    assert list(trends.buckets(db, counselor, couple_id, utc)["csi_total"]) == [12]


def test_all_starts_on_the_first_checkins_day_on_the_readers_clock(db, counselor, couple_id):
    checkin(db, couple_id, SUNDAY_EVENING, csi=15)
    first = trends.window(db, counselor, couple_id, "all", today=TODAY, zone=CHICAGO)
    assert first.start == date(2026, 11, 22)
    assert trends.window(db, counselor, couple_id, "all", today=TODAY).start == date(2026, 11, 23)


def test_today_is_the_readers_today(db, counselor, couple_id):
    win = trends.window(db, counselor, couple_id, "1y", zone="Pacific/Kiritimati")  # UTC+14
    assert win.end == utcnow().replace(tzinfo=UTC).astimezone(ZoneInfo(win.zone)).date()


def test_a_load_report_counts_on_its_day_on_the_readers_clock(db, counselor, couple_id):
    checkin(db, couple_id, SUNDAY_EVENING, load=80)
    days = [r["day"] for r in trends.equity_inputs(db, counselor, couple_id, CHICAGO).loads]
    assert days == [date(2026, 11, 22)]
    assert [r["day"] for r in trends.equity_inputs(db, counselor, couple_id).loads] == [
        date(2026, 11, 23)
    ]


@pytest.mark.parametrize("zone", ["America", "Not/AZone", "", "UTC'; DROP TABLE checkins; --"])
def test_a_zone_the_server_does_not_know_is_read_as_utc(db, counselor, couple_id, zone):
    checkin(db, couple_id, SUNDAY_EVENING, csi=15)
    assert trends.window(db, counselor, couple_id, "6m", today=TODAY, zone=zone).zone == "UTC"
    assert weeks(db, counselor, couple_id, zone) == [date(2026, 11, 23)]
    assert rows(db, "SELECT count(*) FROM checkins")[0][0] == 1


def test_the_kept_buckets_are_kept_per_zone(db, counselor, couple_id):
    checkin(db, couple_id, SUNDAY_EVENING, csi=15)
    assert weeks(db, counselor, couple_id, CHICAGO) == [date(2026, 11, 16)]
    assert weeks(db, counselor, couple_id, "Asia/Tokyo") == [date(2026, 11, 23)]
    assert weeks(db, counselor, couple_id, CHICAGO) == [date(2026, 11, 16)]
