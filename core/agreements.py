"""A couple's written agreements: a living document where every edit keeps the earlier version."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core import couples
from core.accounts import Actor
from core.audit import audited
from core.clock import utcnow
from core.dates import clean_date, shown
from core.db import Database, Tx
from core.errors import Conflict, NotFound, ValidationError
from core.validation import clean_text, record_id

# What an agreement is about (seeds 002, 003): relational agreements, never legal ones.
KINDS = {
    "offers": "How we decide on urgent offers",
    "turns": "Taking turns",
    "veto": "Vetoes and the core needs they protect",
    "household": "Sharing the household",
    "money": "Money",
    "trial": "A time-bound trial",
    "other": "Something else",
}
STATUSES = {
    "draft": "Draft",
    "active": "Active",
    "under_review": "Under review",
    "retired": "Retired",
}
# Statuses whose review date still matters (a draft is not in force; a retired one is over).
LIVE_STATUSES = ("active", "under_review")
TITLE_MAX_CHARS = 200
# An agreement is a page or two at most; a long one stops being read.
BODY_MAX_CHARS = 20_000
EXIT_PLAN_MAX_CHARS = 5_000
CHANGE_NOTE_MAX_CHARS = 500

# The fields that make up a version, in the order a change list shows them.
FIELDS = {
    "title": "Title",
    "kind": "Kind",
    "status": "Status",
    "body": "Text",
    "exit_plan": "Exit plan",
    "review_on": "Review date",
    "confirmed_on": "Confirmed by both in session",
}
TEXT_FIELDS = ("title", "body", "exit_plan")
# Words and the whitespace between them: a diff at this grain reads like a marked-up page.
TOKEN = re.compile(r"\s+|[^\s]+")
# Unchanged text between two changes joins them into one when it is at most this many words of
# at most this many characters ("a", "the", "to us"): left apart, the two versions' words
# interleave ("~~can~~ gets ~~ask~~ until"), which reads as neither version (walkthrough).
BRIDGED_WORDS = 2
BRIDGED_WORD_CHARS = 3


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: which agreement, which version, and whether anything changed.

    `unconfirmed_on` is the date of the earlier version's confirmation when this save changed
    the text and so left the new version unconfirmed (None otherwise).
    """

    agreement_id: int
    version: int
    changed: bool
    unconfirmed_on: date | None = None


def clean(raw: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """Cleaned fields of a version; ValidationError naming every problem."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, label, limit, multiline in (
        ("title", "Title", TITLE_MAX_CHARS, False),
        ("body", "What the two of you agreed", BODY_MAX_CHARS, True),  # as the form asks it
        ("exit_plan", "Exit plan", EXIT_PLAN_MAX_CHARS, True),
        ("change_note", "What changed", CHANGE_NOTE_MAX_CHARS, False),
    ):
        try:
            values[field] = clean_text(raw.get(field), limit, multiline=multiline)
        except ValueError as e:
            errors[field] = f"{label} {e}."
    for field, label in (("review_on", "Review date"), ("confirmed_on", "Confirmed date")):
        try:
            values[field] = clean_date(raw.get(field))
        except ValueError as e:
            errors[field] = f"{label} {e}."
    kind = raw.get("kind") or "other"
    status = raw.get("status") or "draft"
    if not isinstance(kind, str) or kind not in KINDS:
        errors["kind"] = "Choose one of the listed kinds."
    if not isinstance(status, str) or status not in STATUSES:
        errors["status"] = "Choose one of the listed statuses."
    values["kind"], values["status"] = kind, status
    if not values.get("title") and "title" not in errors:
        errors["title"] = "Give the agreement a short title."
    if not values.get("body") and "body" not in errors:
        errors["body"] = "Write down what the two of you agreed."
    if kind == "trial":
        # A trial without an end and a way out is an open-ended sacrifice (seed 003).
        if not values.get("exit_plan") and "exit_plan" not in errors:
            errors["exit_plan"] = "A trial needs an exit plan: what happens if it isn't working."
        if values.get("review_on") is None and "review_on" not in errors:
            errors["review_on"] = "A trial needs a review date: when you will decide together."
    confirmed = values.get("confirmed_on")
    # Without the counselor's `today`, the server's UTC date, with a day's grace: somewhere (up
    # to UTC+14) it is already tomorrow, and a Sydney counselor's morning session was refused.
    # The caller's `today` may be earlier (west of UTC), never later: no time zone is ahead of
    # UTC by more than a day, so a wrong one cannot let a date that has not come anywhere in.
    latest = utcnow().date() + timedelta(days=1)
    latest = min(today, latest) if today else latest
    if confirmed and confirmed > latest:
        errors["confirmed_on"] = (
            f"Both partners confirmed it on {shown(confirmed)}? That day has not come yet: "
            "give the day of the session where they confirmed it, or leave it empty."
        )
    review = values.get("review_on")
    if review and confirmed and review < confirmed and "review_on" not in errors:
        errors["review_on"] = (
            f"The review date ({shown(review)}) is before the day both confirmed it "
            f"({shown(confirmed)}): a review comes after. Give a later review date"
            + ("." if kind == "trial" else ", or none.")
        )
    if errors:
        raise ValidationError(errors)
    return values


def _same(current: dict[str, Any], values: dict[str, Any]) -> bool:
    return all(current.get(f) == values.get(f) for f in FIELDS)


def _confirmation_kept(current: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether a new version may carry the confirmation over from the current one.

    A confirmation belongs to the words both partners confirmed: once the text changes, the
    earlier date stays with the earlier version and the new one waits to be confirmed again
    (a new date given with the change is a new confirmation and is kept).
    """
    text_changed = any(current.get(f) != values.get(f) for f in TEXT_FIELDS)
    carried_over = values.get("confirmed_on") == current.get("confirmed_on")
    return not (text_changed and carried_over)


@audited("update", "agreement")
def save(
    db: Database,
    actor: Actor,
    couple_id: Any,
    raw: dict[str, Any],
    agreement_id: Any = None,
    now=None,
    seen_version: int | None = None,
    today: date | None = None,
) -> Saved:
    """Create an agreement, or add a new version of one; an unchanged save writes nothing.

    `seen_version` is the version the edit form was drawn from: if a newer one was saved since
    (another tab), Conflict is raised and nothing is written. Otherwise the older form would
    become the newest version and quietly undo the other change. `today` is the counselor's
    date (their time zone's), against which a confirmation may not lie ahead."""
    cid = couples.check_access(db, actor, couple_id)
    now = now or utcnow()
    values = clean(raw, today)

    def write(tx: Tx) -> Saved:
        unconfirmed, row = None, dict(values)
        if agreement_id is None:
            aid = tx.scalar(
                "agreements/insert", couple_id=cid, created_by=actor.counselor_id, now=now
            )
            version = 1
        else:
            current = _current(tx, cid, agreement_id)
            aid = current["id"]
            if _same(current, values):
                return Saved(aid, current["version"], False)
            if seen_version is not None and current["version"] != seen_version:
                versions = tx.all("agreements/versions", agreement_id=aid, couple_id=cid)
                drawn = next((v for v in versions if v["version"] == seen_version), None)
                if drawn is not None and _same(drawn, values):
                    return Saved(aid, current["version"], False)  # nothing was changed in it
                raise Conflict("agreement")
            version = current["version"] + 1
            if current["confirmed_on"] and not _confirmation_kept(current, values):
                unconfirmed = current["confirmed_on"]
                row["confirmed_on"] = None
        tx.all(
            "agreements/insert_version",
            agreement_id=aid,
            couple_id=cid,
            version=version,
            edited_by=actor.counselor_id,
            now=now,
            **row,
        )
        return Saved(aid, version, True, unconfirmed)

    return db.write(write)


def _current(tx: Tx | Database, couple_id: int, agreement_id: Any) -> dict[str, Any]:
    row = tx.one(
        "agreements/get", agreement_id=record_id(agreement_id, "agreement"), couple_id=couple_id
    )
    if row is None:
        raise NotFound("agreement")
    return row


@audited("view", "agreement")
def get(db: Database, actor: Actor, couple_id: Any, agreement_id: Any) -> dict[str, Any]:
    """An agreement as it stands now (its newest version)."""
    return _current(db, couples.check_access(db, actor, couple_id), agreement_id)


@audited("view", "agreements")
def for_couple(db: Database, actor: Actor, couple_id: Any) -> list[dict[str, Any]]:
    """Every agreement of a couple as it stands now: active first, retired last."""
    cid = couples.check_access(db, actor, couple_id)
    return db.all("agreements/current_for_couple", couple_id=cid)


@audited("view", "agreement history")
def history(db: Database, actor: Actor, couple_id: Any, agreement_id: Any) -> list[dict[str, Any]]:
    """Every version of one agreement, oldest first."""
    cid = couples.check_access(db, actor, couple_id)
    rows = db.all(
        "agreements/versions", agreement_id=record_id(agreement_id, "agreement"), couple_id=cid
    )
    if not rows:
        raise NotFound("agreement")
    return rows


@audited("view", "agreement history")
def histories(db: Database, actor: Actor, couple_id: Any) -> dict[int, list[dict[str, Any]]]:
    """agreement id -> every version of it, oldest first, for all of a couple's agreements."""
    cid = couples.check_access(db, actor, couple_id)
    out: dict[int, list[dict[str, Any]]] = {}
    for row in db.all("agreements/versions_for_couple", couple_id=cid):
        out.setdefault(row["id"], []).append(row)
    return out


# -- what changed between two versions ------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its label and both values as text; `words` for long text."""

    field: str
    label: str
    before: str
    after: str
    words: tuple[tuple[str, str], ...] = ()


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """('equal' | 'delete' | 'insert', text) segments turning `before` into `after`, in runs of
    whole phrases: each changed stretch is one 'delete' (what it said) then one 'insert' (what
    it says now).

    A diff word by word interleaved the two versions ("~~can~~ gets ~~ask~~ until"), which a
    counselor could not read aloud (walkthrough): a change that differs only around a space or
    a word or two like "a" or "the" is one change, that space or those words included on both
    sides, so either side reads as a phrase.
    """
    a, b = TOKEN.findall(before or ""), TOKEN.findall(after or "")
    # ("equal", text, text) or ("change", removed, added), neighbouring changes joined.
    runs: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            runs.append(("equal", old, new))
            continue
        if len(runs) >= 2 and runs[-2][0] == "change" and _bridged(runs[-1][1]):
            _, kept, _ = runs.pop()
            _, removed, added = runs.pop()
            old, new = removed + kept + old, added + kept + new
        elif runs and runs[-1][0] == "change":
            _, removed, added = runs.pop()
            old, new = removed + old, added + new
        runs.append(("change", old, new))
    out: list[tuple[str, str]] = []
    for kind, old, new in runs:
        if kind == "equal":
            out.append(("equal", old))
            continue
        out.extend((op, text) for op, text in (("delete", old), ("insert", new)) if text)
    return out


def _bridged(kept: str) -> bool:
    """Whether unchanged text between two changes is too slight to read on its own: spaces, or
    up to BRIDGED_WORDS short words, on one line (a line break keeps its changes apart)."""
    words = kept.split()
    return (
        "\n" not in kept
        and len(words) <= BRIDGED_WORDS
        and all(len(w) <= BRIDGED_WORD_CHARS for w in words)
    )


def _as_text(field: str, value: Any) -> str:
    if field == "kind":
        return KINDS.get(value, str(value))
    if field == "status":
        return STATUSES.get(value, str(value))
    if field in ("review_on", "confirmed_on"):
        return shown(value, "none")
    return str(value or "")


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The fields that differ between two versions, with a word diff for the long texts."""
    out = []
    for field, label in FIELDS.items():
        if before.get(field) == after.get(field):
            continue
        old, new = _as_text(field, before.get(field)), _as_text(field, after.get(field))
        words = tuple(word_diff(old, new)) if field in TEXT_FIELDS else ()
        out.append(FieldChange(field, label, old, new, words))
    return out
