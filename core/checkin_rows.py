"""One submitted check-in as one typed row of `checkins`, written in the submission's transaction.

The answers stay in `answers` (JSON per item, the record of what was said); this row is the
same submission in typed columns, so trends and caseload alerts aggregate in SQL and never
parse JSON per row. core/links.submit calls `record` for every check-in it accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core import instruments, safety, schedule, scoring
from core.db import Tx

CHECKIN = "checkin"  # the instrument id of the regular check-in (instruments/checkin.toml)
CSI_TOTAL = "csi4_total"
SUCCESS = "success_indicators"
SAFETY_ITEM = "safety_afraid"
# Answers copied as they are (item id -> column).
DIRECT = {
    "fairness_me": "fairness_me",
    "fairness_partner": "fairness_partner",
    "heard": "heard",
    "resentment": "resentment",
    "stress": "stress",
    "work_hours": "work_hours",
    "household_share": "household_share",
    "mental_load_share": "mental_load_share",
    "career_lead": "career_lead",
    "last_decision": "last_decision",
    SAFETY_ITEM: "safety_level",
}
# The load share is the mean of whichever of these two shares were given.
LOAD_ITEMS = ("household_share", "mental_load_share")
COLUMNS = (
    "csi_total",
    *DIRECT.values(),
    "load_share",
    "success_mean",
    "safety_flag",
)


def typed_row(answers: Mapping[str, Any], instrument: instruments.Instrument | None = None) -> dict:
    """The typed columns of one check-in (None where unanswered), scored as the file says."""
    form = instrument or instruments.load(CHECKIN)
    report = scoring.score(form, answers)
    row: dict[str, Any] = {column: answers.get(item) for item, column in DIRECT.items()}
    row["csi_total"] = report.get(CSI_TOTAL).value
    row["success_mean"] = report.get(SUCCESS).value
    shares = [answers[i] for i in LOAD_ITEMS if instruments.is_answered(answers.get(i))]
    row["load_share"] = sum(shares) / len(shares) if shares else None
    row["safety_flag"] = bool(safety.flags(form, answers))
    return row


def period_on(tx: Tx, couple_id: int, submitted_at: datetime):
    """The local start date of the schedule period a submission falls in, or None."""
    found = tx.one("checkins/schedule_get", couple_id=couple_id)
    if found is None:
        return None
    current = schedule.period_at(
        schedule.Schedule(found["cadence"], found["anchor_on"], found["timezone"]), submitted_at
    )
    return current.start_local if current else None


def record(tx: Tx, link: Mapping[str, Any], answers: Mapping[str, Any], now: datetime) -> int:
    """Insert the typed row of a check-in just submitted through `link`; returns its id."""
    row = typed_row(answers)
    return tx.scalar(
        "checkins/insert",
        couple_id=link["couple_id"],
        partner_id=link["partner_id"],
        link_id=link["id"],
        submitted_at=now,
        period_on=period_on(tx, link["couple_id"], now),
        **row,
    )
