"""Dates as Tandem shows them: stored times on the couple's own clock."""

from __future__ import annotations

from datetime import date, datetime

from core.dates import local, shown


def test_a_stored_time_is_shown_on_the_couples_clock():
    """A check-in sent at 05:50 on 24 Nov in Singapore was shown as 23 Nov (UTC), before its own
    period (24 Nov – 7 Dec)."""
    sent = datetime(2026, 11, 23, 21, 50)  # as stored: UTC
    assert shown(local(sent, "Asia/Singapore")) == "24 Nov 2026"
    assert shown(local(sent, "America/Los_Angeles")) == "23 Nov 2026"
    assert local(sent, None) == sent and local(None, "Asia/Singapore") is None


def test_today_is_the_counselors_date_not_the_servers_utc_one():
    """A Sydney morning is still yesterday in UTC, a Chicago evening already tomorrow
    (walkthrough, 2026-11-23: a new session was dated a day off, a confirmation refused)."""
    from datetime import datetime

    from core.dates import today_in

    late_utc = datetime(2026, 11, 23, 23, 48)
    assert today_in("Australia/Sydney", late_utc) == date(2026, 11, 24)
    assert today_in("America/Chicago", datetime(2026, 11, 24, 0, 30)) == date(2026, 11, 23)
    # No zone, or one the server does not know (the browser says what it likes): UTC's date.
    # A folder of zones ("America") and a name too long for a file raised OSError: five pages
    # failed for a browser that sent one.
    for unknown in (None, "", "Nowhere/Else", "../../etc/passwd", "America", "x" * 300, "a\x00b"):
        assert today_in(unknown, late_utc) == date(2026, 11, 23)


def test_two_names_of_one_clock_are_the_same_clock_and_unknown_names_read_as_utc():
    from datetime import datetime

    from core.dates import same_clock

    now = datetime(2026, 11, 25, 12)
    assert same_clock("US/Pacific", "America/Los_Angeles", now)
    assert not same_clock("America/Los_Angeles", "America/Chicago", now)
    assert same_clock(None, "UTC", now) and same_clock("Nowhere/Atlantis", None, now)
    assert not same_clock("Australia/Sydney", None, now)
