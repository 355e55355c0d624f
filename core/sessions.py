"""Sessions with a couple: date, focus, notes, what was discussed, and exercises as homework.

Notes are the counselor's own. Takeaways are written for the couple and go into their summary.
Homework is an exercise (an instrument in instruments/ whose id starts with `exercise_`) sent
to each partner through their own private link; the answers stay with the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from core import agreements, couples, decisions, instruments, links
from core.accounts import Actor
from core.audit import audited
from core.clock import utcnow
from core.dates import clean_date, shown
from core.db import Database, Tx
from core.errors import Conflict, NotFound, ValidationError
from core.validation import NOTES_MAX_CHARS, clean_text, record_id

EXERCISE_PREFIX = "exercise_"
FOCUS_MAX_CHARS = 300
TAKEAWAYS_MAX_CHARS = 10_000
# A session may be written down ahead (its plan), but not more than a year ahead.
AHEAD_AT_MOST = timedelta(days=366)


def exercises() -> list[instruments.Instrument]:
    """The exercises that can be given as homework, in file order."""
    return [i for i in instruments.all_instruments() if i.id.startswith(EXERCISE_PREFIX)]


def _clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values["held_on"] = clean_date(raw.get("held_on"))
        if values["held_on"] is None:
            errors["held_on"] = "Give the date of the session."
        elif values["held_on"] > utcnow().date() + AHEAD_AT_MOST:
            # A slip of the year: saved silently, it dated the couple's summary "1 Jan 2035".
            errors["held_on"] = (
                f"The session's date ({shown(values['held_on'])}) is more than a year away: "
                "check the year."
            )
    except ValueError as e:
        errors["held_on"] = f"Date {e}."
    for name, label, limit, multiline in (
        ("focus", "Focus", FOCUS_MAX_CHARS, False),
        ("takeaways", "Takeaways", TAKEAWAYS_MAX_CHARS, True),
        ("notes", "Notes", NOTES_MAX_CHARS, True),
    ):
        try:
            values[name] = clean_text(raw.get(name), limit, multiline=multiline)
        except ValueError as e:
            errors[name] = f"{label} {e}."
    if errors:
        raise ValidationError(errors)
    return values


@audited("create", "session")
def create(db: Database, actor: Actor, couple_id: Any, raw: Mapping[str, Any]) -> int:
    """Record a session; returns its id."""
    cid = couples.check_access(db, actor, couple_id)
    values = _clean(raw)
    return db.scalar(
        "sessions/insert", couple_id=cid, created_by=actor.counselor_id, now=utcnow(), **values
    )


def _session(tx: Tx | Database, couple_id: int, session_id: Any) -> dict[str, Any]:
    row = tx.one("sessions/get", session_id=record_id(session_id, "session"), couple_id=couple_id)
    if row is None:
        raise NotFound("session")
    return row


@audited("update", "session")
def update(
    db: Database,
    actor: Actor,
    couple_id: Any,
    session_id: Any,
    raw: Mapping[str, Any],
    seen: datetime | None = None,
) -> None:
    """Replace a session's date, focus, takeaways and notes.

    `seen` is the `updated_at` the form was drawn from: if the session changed since (a save
    from another tab), nothing is written and Conflict is raised, instead of the older form's
    four fields replacing the newer notes for good (sessions keep no history). The same words
    sent again (a double-click's second half) are not refused: there is nothing to write.
    """
    cid = couples.check_access(db, actor, couple_id)

    def write(tx: Tx) -> None:
        s = _session(tx, cid, session_id)
        values = _clean({**s, **raw})
        if all(s[k] == v for k, v in values.items()):
            return
        if seen is not None and s["updated_at"] != seen:
            raise Conflict("session")
        tx.all("sessions/update", session_id=s["id"], couple_id=cid, now=utcnow(), **values)

    db.write(write)


@audited("delete", "session")
def remove(db: Database, actor: Actor, couple_id: Any, session_id: Any) -> None:
    """Remove a session and what it linked to (agreements, decisions and links themselves stay)."""
    cid = couples.check_access(db, actor, couple_id)
    s = _session(db, cid, session_id)

    def write(tx: Tx) -> None:
        for query in (
            "sessions/clear_agreements",
            "sessions/clear_decisions",
            "sessions/delete_homework_all",
            "sessions/delete_links_all",
            "sessions/delete",
        ):
            tx.all(query, session_id=s["id"], couple_id=cid)

    db.write(write)


@audited("view", "sessions")
def for_couple(db: Database, actor: Actor, couple_id: Any) -> list[dict[str, Any]]:
    """Every session of a couple, newest first."""
    return db.all("sessions/for_couple", couple_id=couples.check_access(db, actor, couple_id))


@audited("view", "session")
def get(db: Database, actor: Actor, couple_id: Any, session_id: Any) -> dict[str, Any]:
    """A session with the ids of what it discussed and its homework."""
    cid = couples.check_access(db, actor, couple_id)
    s = _session(db, cid, session_id)
    s["agreement_ids"] = [
        r["agreement_id"]
        for r in db.all("sessions/agreement_ids", session_id=s["id"], couple_id=cid)
    ]
    s["decision_ids"] = [
        r["decision_id"] for r in db.all("sessions/decision_ids", session_id=s["id"], couple_id=cid)
    ]
    s["homework"] = [
        r["instrument_id"] for r in db.all("sessions/homework", session_id=s["id"], couple_id=cid)
    ]
    return s


@audited("update", "session")
def set_discussed(
    db: Database,
    actor: Actor,
    couple_id: Any,
    session_id: Any,
    agreement_ids: Iterable[Any],
    decision_ids: Iterable[Any],
) -> None:
    """Say which of the couple's agreements and decisions a session discussed."""
    cid = couples.check_access(db, actor, couple_id)
    s = _session(db, cid, session_id)
    own_agreements = {a["id"] for a in agreements.for_couple(db, actor, cid)}
    own_decisions = {d["id"] for d in decisions.for_couple(db, actor, cid)}
    wanted_a, wanted_d = set(), set()
    for value in agreement_ids:
        aid = record_id(value, "agreement")  # NotFound for "abc", NaN, 10**40 …
        if aid not in own_agreements:
            raise NotFound("agreement")
        wanted_a.add(aid)
    for value in decision_ids:
        did = record_id(value, "decision")
        if did not in own_decisions:
            raise NotFound("decision")
        wanted_d.add(did)

    def write(tx: Tx) -> None:
        tx.all("sessions/clear_agreements", session_id=s["id"], couple_id=cid)
        tx.all("sessions/clear_decisions", session_id=s["id"], couple_id=cid)
        for aid in sorted(wanted_a):
            tx.all("sessions/add_agreement", session_id=s["id"], agreement_id=aid, couple_id=cid)
        for did in sorted(wanted_d):
            tx.all("sessions/add_decision", session_id=s["id"], decision_id=did, couple_id=cid)

    db.write(write)


@audited("issue", "homework")
def assign_homework(
    db: Database,
    actor: Actor,
    couple_id: Any,
    session_id: Any,
    instrument_id: str,
    days: Any = links.DEFAULT_EXPIRY_DAYS,
) -> list[links.Issued]:
    """Give an exercise as homework: one private link per partner, kept with the session."""
    cid = couples.check_access(db, actor, couple_id)
    s = _session(db, cid, session_id)
    if not isinstance(instrument_id, str) or instrument_id not in {e.id for e in exercises()}:
        raise ValidationError({"exercise": "Choose one of the listed exercises."})
    issued = [
        links.issue(db, actor, cid, p["id"], instrument_id, days)
        for p in db.all("couples/partners", couple_id=cid)
    ]
    now = utcnow()

    def write(tx: Tx) -> None:
        tx.all(
            "sessions/add_homework",
            session_id=s["id"],
            instrument_id=instrument_id,
            couple_id=cid,
            now=now,
        )
        for i in issued:
            tx.all("sessions/add_link", session_id=s["id"], link_id=i.link_id, couple_id=cid)

    db.write(write)
    return issued


@audited("revoke", "homework")
def remove_homework(
    db: Database, actor: Actor, couple_id: Any, session_id: Any, instrument_id: str
) -> None:
    """Take an exercise off a session's homework (links already sent keep working)."""
    cid = couples.check_access(db, actor, couple_id)
    s = _session(db, cid, session_id)
    db.all(
        "sessions/remove_homework", session_id=s["id"], instrument_id=instrument_id, couple_id=cid
    )


@audited("view", "homework links")
def homework_links(
    db: Database, actor: Actor, couple_id: Any, session_id: Any
) -> list[dict[str, Any]]:
    """The partner links made for a session's homework, each with its status."""
    cid = couples.check_access(db, actor, couple_id)
    s = _session(db, cid, session_id)
    rows = db.all("sessions/links", session_id=s["id"], couple_id=cid)
    for r in rows:
        r["status"] = links.status(r)
    return rows


@audited("view", "homework answers")
def homework_answers(
    db: Database, actor: Actor, couple_id: Any, session_id: Any
) -> dict[str, dict[int, dict[str, Any]]]:
    """Counselor only: instrument id -> partner id -> that partner's submitted answers for the
    session's homework (the newest submitted link of each partner)."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for r in homework_links(db, actor, couple_id, session_id):
        if r["submitted_at"] is None:
            continue
        mine = out.setdefault(r["instrument_id"], {})
        if r["partner_id"] in mine and mine[r["partner_id"]]["submitted_at"] >= r["submitted_at"]:
            continue
        mine[r["partner_id"]] = {
            "submitted_at": r["submitted_at"],
            "answers": links._answers(db, r["id"]),
        }
    return out
