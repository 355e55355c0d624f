"""The sacrifice and opportunity ledger: dated events where one partner gave for the other.

Each event says who gave, how much (small to large), whether the other acknowledged it, and
whether it has been repaid, by naming the later event in which the other partner gave back
(seeds 001, 003). Every kind is written from the giver's side, so the two partners are
described the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from core import couples
from core.accounts import Actor
from core.audit import audited
from core.clock import utcnow
from core.dates import clean_date, shown
from core.db import Database, Tx
from core.errors import NotFound, ValidationError
from core.validation import as_text, clean_int, clean_text, record_id

KINDS = {
    "declined_offer": "Declined an offer",
    "relocated": "Moved for the other's career",
    "reduced_hours": "Reduced working hours",
    "paused_study": "Paused study or training",
    "extra_caregiving": "Took on extra caregiving",
    "home_load": "Carried more of the home load",
    "supported_step": "Backed the other's career step",
    "other": "Something else",
}
SIZES = {1: "Small", 2: "Medium", 3: "Large"}
NOTE_MAX_CHARS = 2_000
# The ledger records what has happened (plans go on the roadmap). "Today" is the server's UTC
# date; somewhere in the world (up to UTC+14) it is already tomorrow, so one day is allowed.
FUTURE_TOLERANCE = timedelta(days=1)


def describe(event: dict[str, Any], names: dict[int, str]) -> str:
    """'12 Mar 2021 · Rachel: Declined an offer (large)'."""
    who = names.get(event["giver_partner_id"], "?")
    kind = KINDS.get(event["kind"], event["kind"])
    return f"{shown(event['occurred_on'])} · {who}: {kind} ({SIZES[event['size']].lower()})"


@audited("view", "ledger")
def for_couple(db: Database, actor: Actor, couple_id: Any) -> list[dict[str, Any]]:
    """The couple's ledger in date order, each event with the id of the event it repaid."""
    cid = couples.check_access(db, actor, couple_id)
    return db.all("ledger/for_couple", couple_id=cid)


def _clean(raw: dict[str, Any], partner_ids: list[int], today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values["occurred_on"] = clean_date(raw.get("occurred_on"))
        if values["occurred_on"] is None:
            errors["occurred_on"] = "An event needs a date."
        elif values["occurred_on"] > today + FUTURE_TOLERANCE:
            errors["occurred_on"] = (
                f"{shown(values['occurred_on'])} is in the future: the ledger records what has "
                "already happened. Put plans on the roadmap, and log them here once they happen."
            )
    except ValueError as e:
        errors["occurred_on"] = f"Date {e}."
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        errors["kind"] = "Choose what happened from the list."
    values["kind"] = kind
    giver = raw.get("giver")
    if as_text(giver) not in {str(p) for p in partner_ids}:
        errors["giver"] = "Choose who gave."
    else:
        values["giver_partner_id"] = int(giver)
    try:
        size = clean_int(raw.get("size"), 1, 3) or 0  # 2.7 is no size, not a medium one
    except ValueError:
        size = 0
    if size not in SIZES:
        errors["size"] = "Choose small, medium or large."
    values["size"] = size
    try:
        values["note"] = clean_text(raw.get("note"), NOTE_MAX_CHARS, multiline=True)
    except ValueError as e:
        errors["note"] = f"Note {e}."
    values["acknowledged"] = bool(raw.get("acknowledged", False))
    repaid = raw.get("repaid_by")
    if repaid in (None, "", 0):
        values["repaid_by_id"] = None
    else:
        try:
            values["repaid_by_id"] = record_id(repaid, "ledger event")
        except NotFound:
            errors["repaid_by"] = "Choose the event that repaid it from the list."
    if errors:
        raise ValidationError(errors)
    return values


def repayment_problem(event: Mapping[str, Any], other: Mapping[str, Any] | None) -> str | None:
    """Why `other` cannot repay `event` (None when it can): a repayment is another event of the
    couple, given by the other partner, not earlier. The ledger form offers only events this
    finds no problem with."""
    if other is None or other.get("id") == event.get("id"):
        return "Choose another event of this couple as the repayment."
    if other["giver_partner_id"] == event["giver_partner_id"]:
        return "A repayment is an event where the other partner gave."
    if other["occurred_on"] < event["occurred_on"]:
        return "The repayment cannot be dated before the event it repays."
    return None


def _check_repayment(tx: Tx, couple_id: int, event_id: int | None, values: dict) -> None:
    rid = values["repaid_by_id"]
    if rid is not None:
        other = tx.one("ledger/get", event_id=rid, couple_id=couple_id)
        problem = repayment_problem({**values, "id": event_id}, other)
        if problem:
            raise ValidationError({"repaid_by": problem})
    if event_id is None:
        return
    # The other way round: an event this one repays must still be repaid by it as changed. A
    # repayment moved to before the event it repaid was taken ("repays 11 Sep 2025" on an
    # event of 1 Jan 2024).
    # The message sits under the field that broke it: the giver or the date.
    for repaid in tx.all("ledger/repaid_by", couple_id=couple_id, event_id=event_id):
        if not repayment_problem(repaid, {**values, "id": event_id}):
            continue
        of = f"This event repays the one of {shown(repaid['occurred_on'])}, so it"
        first = "Change that event's repayment first."
        if values["giver_partner_id"] == repaid["giver_partner_id"]:
            raise ValidationError({"giver": f"{of} must be given by the other partner. {first}"})
        raise ValidationError({"occurred_on": f"{of} cannot be dated before it. {first}"})


def _save(db, actor, couple_id, raw, event_id: int | None, now: datetime) -> int:
    couple = couples.get(db, actor, couple_id)
    values = _clean(raw, [p["id"] for p in couple["partners"]], now.date())

    def write(tx: Tx) -> int:
        if event_id is not None and not tx.one(
            "ledger/get", event_id=event_id, couple_id=couple["id"]
        ):
            raise NotFound("ledger event")
        _check_repayment(tx, couple["id"], event_id, values)
        if event_id is None:
            return tx.scalar(
                "ledger/insert",
                couple_id=couple["id"],
                created_by=actor.counselor_id,
                now=now,
                **values,
            )
        tx.all("ledger/update", event_id=event_id, couple_id=couple["id"], now=now, **values)
        return event_id

    return db.write(write)


@audited("create", "ledger event")
def create(db: Database, actor: Actor, couple_id: Any, raw: dict, now=None) -> int:
    """Log an event in the couple's ledger; returns its id."""
    return _save(db, actor, couple_id, raw, None, now or utcnow())


@audited("update", "ledger event")
def update(db: Database, actor: Actor, couple_id: Any, event_id: Any, raw: dict, now=None) -> None:
    """Change one ledger event (its date, size, acknowledgement, repayment…)."""
    _save(db, actor, couple_id, raw, record_id(event_id, "ledger event"), now or utcnow())


@audited("delete", "ledger event")
def delete(db: Database, actor: Actor, couple_id: Any, event_id: Any) -> None:
    """Remove an event; events it was the repayment of become unrepaid again."""
    cid = couples.check_access(db, actor, couple_id)
    eid = record_id(event_id, "ledger event")

    def write(tx: Tx) -> None:
        tx.all("ledger/clear_repaid_by", couple_id=cid, event_id=eid)
        if not tx.all("ledger/delete", couple_id=cid, event_id=eid):
            raise NotFound("ledger event")  # not the couple's: the trail says "refused"

    db.write(write)
