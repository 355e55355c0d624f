"""Fixtures of the check-in tests (test_checkins.py, test_handover_fixes.py): a couple's weekly
schedule and Rachel's standing personal link, at fixed dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core import checkins

MONDAY = date(2025, 1, 6)
WEDNESDAY = datetime(2025, 1, 8, 12)


@pytest.fixture
def partners(db, couple_id):
    return [p["id"] for p in db.all("couples/partners", couple_id=couple_id)]


@pytest.fixture
def weekly(db, counselor, couple_id):
    """A weekly schedule from Monday 6 Jan 2025, London time."""
    return checkins.set_schedule(
        db, counselor, couple_id, "weekly", MONDAY, "Europe/London", now=WEDNESDAY
    )


@pytest.fixture
def standing(db, counselor, couple_id, partners, weekly):
    """Rachel's standing personal link."""
    return checkins.issue_standing(db, counselor, couple_id, partners[0], now=WEDNESDAY)
