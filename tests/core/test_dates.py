"""Dates as Tandem shows them: stored times on the couple's own clock."""

from __future__ import annotations

from datetime import datetime

from core.dates import local, shown


def test_a_stored_time_is_shown_on_the_couples_clock():
    """A check-in sent at 05:50 on 24 Nov in Singapore was shown as 23 Nov (UTC), before its own
    period (24 Nov – 7 Dec)."""
    sent = datetime(2026, 11, 23, 21, 50)  # as stored: UTC
    assert shown(local(sent, "Asia/Singapore")) == "24 Nov 2026"
    assert shown(local(sent, "America/Los_Angeles")) == "23 Nov 2026"
    assert local(sent, None) == sent and local(None, "Asia/Singapore") is None
