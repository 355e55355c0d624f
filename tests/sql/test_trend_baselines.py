"""Reliable-change rings measure from each partner's first check-in, whatever range is shown."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from core import couples, trends
from core.errors import NotFound
from tests.conftest import rows

START = datetime(2025, 1, 6, 9)


def add_checkins(
    db, couple_id: int, partner_id: int, totals: list[float | None], first_week: int = 0
) -> None:
    """Weekly check-ins for one partner, straight into storage (the scores are what matter)."""
    for week, total in enumerate(totals, start=first_week):
        rows(
            db,
            "INSERT INTO checkins (couple_id, partner_id, submitted_at, csi_total) "
            "VALUES ($couple_id, $partner_id, $at, $total)",
            couple_id=couple_id,
            partner_id=partner_id,
            at=START + timedelta(weeks=week),
            total=total,
        )


@pytest.fixture
def pair(db, counselor, couple_id):
    first, second = (p["id"] for p in couples.get(db, counselor, couple_id)["partners"])
    # The first partner starts low once, then stays steady; the second has no CSI-4 at first.
    add_checkins(db, couple_id, first, [9.0] + [17.0, 16.5, 17.5, 17.0, 16.0] * 4)
    add_checkins(db, couple_id, second, [None, 14.0, 15.0, 13.0])
    return first, second


def test_the_baseline_is_each_partners_first_csi4_ever(db, counselor, couple_id, pair):
    first, second = pair
    assert trends.csi_baselines(db, counselor, couple_id) == {first: 9.0, second: 14.0}


def test_a_ring_means_the_same_in_any_time_range(db, counselor, couple_id, pair):
    first, _ = pair
    baselines = trends.csi_baselines(db, counselor, couple_id)
    recent = pd.DataFrame(  # a range that starts after the low first check-in
        {"partner_id": [first] * 3, "bucket": pd.date_range("2025-05-05", periods=3, freq="W-MON"),
         "csi_total": [17.0, 16.5, 17.5]}
    )  # fmt: skip
    # Against the first point in the range, a steady partner shows no change at all; against
    # their own first check-in (9), each of these is a reliable rise, in this range or any.
    assert trends.flag_changes(recent, {first: 4.0})["csi_change"].tolist() == ["", "", ""]
    assert (
        trends.flag_changes(recent, {first: 4.0}, baselines)["csi_change"].tolist()
        == [trends.UP] * 3
    )


def test_another_counselor_gets_no_baselines(db, other_counselor, couple_id, pair):
    with pytest.raises(NotFound):
        trends.csi_baselines(db, other_counselor, couple_id)
