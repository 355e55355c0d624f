"""Seasons (chapters): whose career leads, from when to when, on what terms, reviewed when.

Equity is judged over years in chapters where one career leads and the other steadies (seeds
001, 003). A couple's seasons never overlap; an edit that would make them overlap is refused
with a message that names the season in the way and says how to make room.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from core import couples
from core.accounts import Actor
from core.audit import audited
from core.clock import utcnow
from core.dates import clean_date, shown
from core.db import Database, Tx
from core.errors import NotFound, ValidationError
from core.validation import as_text, clean_text, record_id

BALANCED = "balanced"  # a season where neither career leads
BALANCED_LABEL = "Balanced"
TITLE_MAX_CHARS = 120
# The terms both agreed: a few paragraphs at most.
TERMS_MAX_CHARS = 4_000


def lead_label(season: dict[str, Any], names: dict[int, str]) -> str:
    """Who leads, in words: a partner's name or 'Balanced'."""
    lead = season.get("lead_partner_id")
    return BALANCED_LABEL if lead is None else names.get(lead, "?")


def name(season: dict[str, Any], names: dict[int, str]) -> str:
    """A season's name, or a clear default when none was given: "Zoë leads" / "Balanced"."""
    if season.get("title"):
        return season["title"]
    lead = season.get("lead_partner_id")
    return f"{names.get(lead, '?')} leads" if lead is not None else f"{BALANCED_LABEL} season"


def span(season: dict[str, Any], today: date | None = None) -> str:
    """'1 Mar 2021 – 31 Aug 2023', '1 Mar 2021 – still going', or, for one that has not
    begun, 'from 1 Jan 2027, no end date yet'."""
    start = shown(season["starts_on"])
    if season.get("ends_on"):
        return f"{start} – {shown(season['ends_on'])}"
    if season["starts_on"] > (today or utcnow().date()):
        return f"from {start}, no end date yet"
    return f"{start} – still going"


@audited("view", "seasons")
def for_couple(db: Database, actor: Actor, couple_id: Any) -> list[dict[str, Any]]:
    """The couple's seasons in time order."""
    cid = couples.check_access(db, actor, couple_id)
    return db.all("seasons/for_couple", couple_id=cid)


def current(seasons: list[dict[str, Any]], today: date) -> dict[str, Any] | None:
    """The season running on `today`, if any."""
    for s in seasons:
        if s["starts_on"] <= today and (s["ends_on"] is None or s["ends_on"] >= today):
            return s
    return None


def _clean(raw: dict[str, Any], partner_ids: list[int]) -> dict[str, Any]:
    """Check a season's fields; ValidationError names each bad one."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    lead = raw.get("lead", BALANCED)
    if lead in (None, "", BALANCED):
        values["lead_partner_id"] = None
    elif as_text(lead) in {str(p) for p in partner_ids}:
        values["lead_partner_id"] = int(lead)
    else:
        errors["lead"] = "Choose whose career leads, or Balanced."
    for field, label, limit, multiline in (
        ("title", "Name", TITLE_MAX_CHARS, False),
        ("terms", "The text of the terms", TERMS_MAX_CHARS, True),
    ):
        try:
            values[field] = clean_text(raw.get(field), limit, multiline=multiline)
        except ValueError as e:
            errors[field] = f"{label} {e}."
    for field, label in (("starts_on", "Start"), ("ends_on", "End"), ("review_on", "Review")):
        try:
            values[field] = clean_date(raw.get(field))
        except ValueError as e:
            errors[field] = f"{label} {e}."
    if "starts_on" in values and values["starts_on"] is None:
        errors["starts_on"] = "A season needs a start date."
    start, end = values.get("starts_on"), values.get("ends_on")
    if start and end and end < start:
        errors["ends_on"] = "The end date is before the start date."
    review = values.get("review_on")
    if start and review and review < start:
        # A review looks back on a season that has begun; one before its start is a typing slip.
        errors["review_on"] = (
            f"The review date ({shown(review)}) is before the season starts "
            f"({shown(start)}): choose a date on or after the start."
        )
    if errors:
        raise ValidationError(errors)
    return values


def _overlap_message(other: dict[str, Any], values: dict[str, Any], names: dict) -> str:
    called = name(other, names)
    message = f"This would overlap the season “{called}” ({span(other)}). Seasons never overlap: "
    if other["starts_on"] < values["starts_on"]:
        if other["ends_on"] is None:
            return (
                message + f"give “{called}” an end date before {shown(values['starts_on'])} first."
            )
        return message + f"start this one after {shown(other['ends_on'])}."
    return message + f"end this one before {shown(other['starts_on'])}."


def _save(
    db: Database, actor: Actor, couple_id: Any, raw: dict, season_id: int | None, now: datetime
) -> int:
    couple = couples.get(db, actor, couple_id)
    partner_ids = [p["id"] for p in couple["partners"]]
    names = {p["id"]: p["name"] for p in couple["partners"]}
    values = _clean(raw, partner_ids)

    def write(tx: Tx) -> int:
        if season_id is not None and not tx.one(
            "seasons/get", season_id=season_id, couple_id=couple["id"]
        ):
            raise NotFound("season")
        clash = tx.one(
            "seasons/overlapping",
            couple_id=couple["id"],
            season_id=season_id,
            starts_on=values["starts_on"],
            ends_on=values["ends_on"],
        )
        if clash:
            raise ValidationError({"starts_on": _overlap_message(clash, values, names)})
        if season_id is None:
            return tx.scalar(
                "seasons/insert",
                couple_id=couple["id"],
                created_by=actor.counselor_id,
                now=now,
                **values,
            )
        tx.all("seasons/update", season_id=season_id, couple_id=couple["id"], now=now, **values)
        return season_id

    return db.write(write)


@audited("create", "season")
def create(
    db: Database, actor: Actor, couple_id: Any, raw: dict, now: datetime | None = None
) -> int:
    """Add a season; refused if it would overlap another of the couple's seasons."""
    return _save(db, actor, couple_id, raw, None, now or utcnow())


@audited("update", "season")
def update(
    db: Database,
    actor: Actor,
    couple_id: Any,
    season_id: Any,
    raw: dict,
    now: datetime | None = None,
) -> None:
    """Change a season; refused if the change would make it overlap another."""
    _save(db, actor, couple_id, raw, record_id(season_id, "season"), now or utcnow())


@audited("delete", "season")
def delete(db: Database, actor: Actor, couple_id: Any, season_id: Any) -> None:
    """Remove one of the couple's seasons."""
    cid = couples.check_access(db, actor, couple_id)
    if not db.all("seasons/delete", season_id=record_id(season_id, "season"), couple_id=cid):
        raise NotFound("season")  # not the couple's: the trail says "refused"
