"""Reliable change computed from a partner's own check-ins, and the typed row of a check-in."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core import checkin_rows, instruments, scoring, trends

FORM = instruments.load("checkin")


@pytest.mark.parametrize(
    ("rmssd", "steps", "expected"),
    [
        (2.0, 10, 1.96 * 2.0),  # Jacobson & Truax: 1.96 x S_diff, S_diff estimated by RMSSD
        (0.4, 10, trends.RC_FLOOR),  # near-constant answers: never under two points
        (2.0, 2, None),  # too few successive differences to estimate the noise
        (None, 0, None),
        (math.nan, 5, None),
    ],
)
def test_the_reliable_change_threshold_comes_from_the_partners_own_variability(
    rmssd, steps, expected
):
    assert trends.threshold(rmssd, steps) == (pytest.approx(expected) if expected else None)


def test_the_csi4_cut_off_is_read_from_its_file():
    assert trends.csi_cutoff() == 13.5


def test_changes_are_flagged_against_the_first_point_in_the_range_per_partner():
    frame = pd.DataFrame(
        {
            "partner_id": [1, 1, 1, 1, 2, 2],
            "bucket": pd.to_datetime(
                ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"] * 1
                + ["2025-01-06", "2025-01-13"]
            ),
            "csi_total": [16.0, 14.0, 11.9, 20.5, 10.0, 18.0],
        }
    )
    flagged = trends.flag_changes(frame, {1: 4.0, 2: None})
    assert flagged["csi_change"].tolist() == ["", "", trends.DOWN, trends.UP, "", ""]


def test_no_flags_without_a_csi_total():
    frame = pd.DataFrame(
        {"partner_id": [1], "bucket": [pd.Timestamp("2025-01-06")], "csi_total": [None]}
    )
    assert trends.flag_changes(frame, {1: 2.0})["csi_change"].tolist() == [""]


ANSWERS = {
    "csi4_happiness": 4,
    "csi4_warm": 3,
    "csi4_rewarding": 4,
    "csi4_satisfied": 3,
    "fairness_me": 6,
    "fairness_partner": 8,
    "heard": 5,
    "resentment": 4,
    "stress": 7,
    "work_hours": 42.5,
    "household_share": 70,
    "mental_load_share": 80,
    "career_lead": "my_partners",
    "last_decision": "mostly_partner",
    **{i.id: 4 for i in FORM.items if i.id.startswith("ind_")},
    "safety_afraid": 0,
}


def test_the_typed_row_holds_each_answer_in_its_column_and_scores_as_the_file_says():
    row = checkin_rows.typed_row(ANSWERS)
    report = scoring.score(FORM, ANSWERS)
    assert row["csi_total"] == report.get("csi4_total").value == 14
    assert row["success_mean"] == report.get("success_indicators").value == 4
    assert row["load_share"] == 75.0
    assert (row["fairness_me"], row["resentment"], row["work_hours"]) == (6, 4, 42.5)
    assert (row["career_lead"], row["last_decision"]) == ("my_partners", "mostly_partner")
    assert (row["safety_level"], row["safety_flag"]) == (0, False)
    assert set(row) == set(checkin_rows.COLUMNS)


def test_a_safety_answer_other_than_never_is_flagged_for_the_counselor():
    row = checkin_rows.typed_row({**ANSWERS, "safety_afraid": 1})
    assert (row["safety_level"], row["safety_flag"]) == (1, True)


def test_unanswered_optional_items_are_null_and_one_share_is_enough():
    answers = {k: v for k, v in ANSWERS.items() if k not in ("fairness_me", "mental_load_share")}
    row = checkin_rows.typed_row(answers)
    assert row["fairness_me"] is None and row["load_share"] == 70
