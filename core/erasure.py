"""Erasing a couple for good: who may, when a reason is needed, and a counselor's request.

Counselling records are kept for the practice's retention period (`Settings.retention_years`,
7 by default) after the last thing recorded for the couple. Only an admin erases a couple for
good; inside the period only with a reason (the couple asked, added by mistake, or another one
said in a note), which the audit trail keeps with the erasure. A counselor whose couple asked
to be erased archives it and marks a request, which the admin sees on Admin -> Data safety. In
a solo practice the one counselor is usually the admin too (the first account, create-admin).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core import audit, couples, retention
from core.accounts import Actor, require_admin
from core.audit import audited
from core.clock import utcnow
from core.db import Database, Tx
from core.errors import PermissionDenied, ValidationError
from core.validation import Form, plain_letters

# Why a couple is erased before its retention period ends: the key is what the audit trail
# keeps, the words what the form offers.
REASONS = {
    "the couple asked": "The couple asked for their record to be erased",
    "added by mistake": "The couple was added by mistake (a duplicate, a test)",
    "other": "Another reason (say which in the note)",
}
# A note goes into the audit trail, which outlives the couple and holds no names: a reference
# to a letter or a request is enough.
NOTE_MAX_CHARS = 200
REQUEST = "erasure request"  # the trail's word for a request marked, withdrawn or declined
ONLY_ADMIN = (
    "Only the practice's admin can erase a couple for good. Archive the couple to stop working "
    "with them, and ask the admin to erase them if they asked for it."
)


@dataclass(frozen=True)
class Standing:
    """Where a couple stands for erasure: when something was last recorded for it, until when
    its record is kept, whether that is still ahead, and any pending request."""

    last_recorded: datetime  # UTC, as stored
    kept_until: datetime  # last_recorded plus the retention period
    inside: bool  # still inside the retention period: an erasure needs a reason
    request: dict[str, Any] | None  # reason, note, requested_at, requested_by_name


def _standing(tx: Tx | Database, couple_id: int, years: float, now: datetime) -> Standing:
    last = tx.scalar("erasure/last_recorded", couple_id=couple_id)
    # A couple is "past" once its last record is older than the period (retention.cutoff).
    kept_until = last + (now - retention.cutoff(years, now))
    return Standing(
        last, kept_until, kept_until > now, tx.one("erasure/request_get", couple_id=couple_id)
    )


@audited("view", "couple erasure")
def standing(
    db: Database, actor: Actor, couple_id: Any, years: float, now: datetime | None = None
) -> Standing:
    """Where the couple stands for erasure under a retention period of `years`."""
    cid = couples.check_access(db, actor, couple_id)
    return _standing(db, cid, years, now or utcnow())


# A part of a name this short (an initial) is no name on its own.
NAME_PART_MIN_CHARS = 2


def _names_in(note: str, names: list[str]) -> bool:
    """True when a partner's name, or a part of it (a first name, a surname), stands in the
    note as a word of its own, with or without its accents."""
    written = plain_letters(note)
    for name in names:
        parts = re.findall(r"\w+", plain_letters(name))
        for part in [p for p in parts if len(p) >= NAME_PART_MIN_CHARS]:
            if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", written):
                return True
    return False


def _reason(
    raw_reason: Any, raw_note: Any, names: list[str], *, required: bool, asking: bool = False
) -> tuple[str, str]:
    """The reason (a key of REASONS, or "") and the cleaned note; ValidationError otherwise.
    `asking`: a counselor's request, which always needs a reason, whatever the period."""
    form = Form({"reason": raw_reason, "note": raw_note})
    form.choice("reason", "The reason", tuple(REASONS), required=required)
    form.text("note", "The note", NOTE_MAX_CHARS)
    errors = dict(form.errors)
    reason, note = form.values.get("reason", ""), form.values.get("note", "")
    if "reason" in errors and required:
        errors["reason"] = (
            "Choose why the couple should be erased."
            if asking
            else "Choose why the couple is erased before their retention period ends."
        )
    if reason == "other" and not note and "note" not in errors:
        errors["note"] = "Say in the note what the other reason is."
    if note and _names_in(note, names):
        errors["note"] = (
            "Leave the partners' names out of the note: it stays in the audit trail after the "
            "couple is erased, and the trail holds no names."
        )
    if errors:
        raise ValidationError(errors)
    return reason, note


def _theirs(db: Database, actor: Actor, couple_id: Any, obj: str) -> dict[str, Any]:
    """`couples.get`, with a reach for a couple that is not the actor's (another counselor's,
    a nonsense id) recorded in the trail as refused under `obj`."""
    return couples.get(db, actor, couple_id, refused_as=obj)


def request(db: Database, actor: Actor, couple_id: Any, reason: Any, note: Any = "") -> None:
    """Ask the practice's admin to erase a couple the actor may open, with the reason (one of
    REASONS) and a short note without names. Asked again (a second tap, another tab), the same
    request changes nothing; another reason or note replaces the waiting one, and the trail
    says it was changed, not asked twice."""
    couple = _theirs(db, actor, couple_id, REQUEST)
    names = [p["name"] for p in couple["partners"]]
    why, words = _reason(reason, note, names, required=True, asking=True)
    cid, now = couple["id"], utcnow()

    def write(tx: Tx) -> None:
        waiting = tx.one("erasure/request_get", couple_id=cid)
        if waiting is not None and (waiting["reason"], waiting["note"]) == (why, words):
            return
        tx.all(
            "erasure/request_put",
            couple_id=cid,
            requested_by=actor.counselor_id,
            now=now,
            reason=why,
            note=words,
        )
        action = "create" if waiting is None else "update"
        audit.record(tx, actor, action, couple_id=cid, obj=REQUEST, detail=why, now=now)

    db.write(write)


def clear_request(db: Database, actor: Actor, couple_id: Any) -> None:
    """Withdraw (the couple's counselor) or decline (an admin) a request to erase a couple."""
    cid = _theirs(db, actor, couple_id, REQUEST)["id"]
    if db.all("erasure/request_clear", couple_id=cid):  # one there to clear
        done = "declined by an admin" if actor.is_admin else "withdrawn"
        audit.record(db, actor, "delete", couple_id=cid, obj=REQUEST, detail=done)


@audited("view", "erasure requests")
def requests(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Admin: every pending request to erase a couple, oldest first, with the couple's label."""
    require_admin(actor)
    rows = db.all("erasure/requests")
    for r in rows:
        r["label"] = couples.label(r["name_1"], r["name_2"])
    return rows


def delete_forever(
    db: Database,
    actor: Actor,
    couple_id: Any,
    typed_confirmation: str,
    *,
    retention_years: float,
    reason: Any = "",
    note: Any = "",
    now: datetime | None = None,
) -> None:
    """Admin: erase a couple and every row that belongs to it, after the couple's name is
    typed. Inside the retention period of `retention_years` only with a reason (REASONS), which
    the trail keeps with the erasure, with the note (no names). A counselor is refused, and the
    refusal recorded."""
    couple = _theirs(db, actor, couple_id, audit.ERASED)  # NotFound: another's couple
    cid = couple["id"]
    if not actor.is_admin:
        audit.record(db, actor, "refused", couple_id=cid, obj=audit.ERASED, detail="not an admin")
        raise PermissionDenied(ONLY_ADMIN)
    if not couples.confirmation_matches(couple, typed_confirmation):
        raise ValidationError(
            {"confirm": f"Type the couple's name exactly as shown: {couple['label']}"}
        )
    names = [p["name"] for p in couple["partners"]]
    at = now or utcnow()

    def write(tx: Tx) -> None:
        # Read inside the erasure's transaction: a session recorded meanwhile counts.
        stands = _standing(tx, cid, retention_years, at)
        why, words = _reason(reason, note, names, required=stands.inside)
        period = (
            f"inside the retention period ({retention.period(retention_years)}, kept until "
            f"{stands.kept_until:%Y-%m-%d})"
            if stands.inside
            else f"past the retention period ({retention.period(retention_years)})"
        )
        said = "; ".join(filter(None, [period, why, f"note: {words}" if words else ""]))
        couples.erase(tx, actor, cid, said)

    db.write(write)
