"""Couples and their caseload: every function checks the actor may touch the couple id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Callable
from typing import Any

from core import audit
from core import partners as partner_fields
from core.accounts import Actor, account, require_admin
from core.audit import audited
from core.clock import utcnow
from core.db import SQL_DIR, Database, Tx
from core.errors import NotFound, ValidationError
from core.kept import Kept
from core.validation import CONTROL, NOTES_MAX_CHARS, Form, record_id

STATUSES = ("active", "archived", "all")
SORTS = {"name": "Name", "updated": "Recently changed", "created": "Newest first"}
# The caseload never ships more rows than a screen can use; search narrows the rest.
CASELOAD_LIMIT = 5000
SEARCH_MAX_CHARS = 100
# A caseload's rows, unsearched, are kept until a write that names couples, partners or
# counselors commits (Database.roster_changes): the admin's whole practice is 2,000 rows, ~20
# ms of query and rows inside the server on every view, and partners' answers (written every
# few seconds in a large practice) change none of them. A search is read afresh: it is typed
# once, and kept it would hold memory for nothing. The first read after a roster write lets
# go of every older list of that database (an erased couple's names with them).
KEPT_CASELOADS = 32  # (scope, status, sort) lists; the least recently used given up first
_kept_rows = Kept()  # (database, scope, status, sort) -> (roster_changes, rows)


def couple_id_of(value: Any) -> int:
    """An id from session state or a widget as int; anything else is simply 'not found'."""
    return record_id(value, "couple")


def ids_of(values) -> list[int]:
    """The well-formed couple ids among `values`, unique and sorted; anything else is dropped."""
    ids = set()
    for value in values:
        try:
            ids.add(couple_id_of(value))
        except NotFound:
            continue
    return sorted(ids)


def label(name_1: str, name_2: str) -> str:
    """How a couple is named on screen: both names, in display order."""
    return f"{name_1} & {name_2}"


def caseload(
    db: Database,
    actor: Actor,
    *,
    q: str = "",
    status: str = "active",
    sort: str = "name",
    whole_practice: bool = False,
) -> list[dict[str, Any]]:
    """The actor's couples (an admin may ask for the whole practice), filtered and sorted."""
    if status not in STATUSES:
        status = "active"
    if not isinstance(sort, str) or sort not in SORTS:
        sort = "name"
    # Names are stored NFC (validation.clean_text); a pasted decomposed "Zoë" must still match.
    text = CONTROL.sub("", q) if isinstance(q, str) else ""  # as names are stored (clean_text)
    query = " ".join(unicodedata.normalize("NFC", text).split())[:SEARCH_MAX_CHARS]
    whole = bool(whole_practice and actor.is_admin)

    def read() -> list[dict[str, Any]]:
        rows = db.all(
            "couples/caseload",
            whole_practice=whole,
            counselor_id=actor.counselor_id,
            status=status,
            q=query,
            sort=sort,
            limit=CASELOAD_LIMIT,
        )
        for r in rows:
            r["label"] = label(r["name_1"], r["name_2"])
        return rows

    if query:
        rows = read()
    else:
        key = (db.instance, whole, None if whole else actor.counselor_id, status, sort)
        rows = [dict(r) for r in _kept_caseload(db, key, read)]  # the caller's own copies
    audit.viewed(db, actor, "caseload:practice" if whole else "caseload")
    return rows


def _kept_caseload(db: Database, key: tuple, read: Callable[[], list]) -> list[dict[str, Any]]:
    """`read()`, or what it gave before under `key` if no roster write committed since."""
    version = db.roster_changes

    # Stale lists are let go on a miss only: the first read after a roster write misses, so a
    # hit finds none of this database's lists stale.
    def read_afresh() -> list[dict[str, Any]]:
        with _kept_rows.lock:  # older lists of this database are stale: let them go
            for old in [
                k for k, v in _kept_rows.items() if k[0] == db.instance and v[0] != version
            ]:
                del _kept_rows[old]
        return read()

    return _kept_rows.through(
        key, version, read_afresh, KEPT_CASELOADS, lambda then: then == version
    )


@audited("view", "caseload")
def counts(db: Database, actor: Actor, whole_practice: bool = False) -> dict[str, int]:
    """Active and archived couple counts for the caseload header."""
    row = db.one(
        "couples/count_for_counselor",
        whole_practice=bool(whole_practice and actor.is_admin),
        counselor_id=actor.counselor_id,
    )
    return {"active": row["active"] or 0, "archived": row["archived"] or 0}


def _owned(tx: Tx | Database, actor: Actor, couple_id: Any) -> dict[str, Any]:
    row = tx.one(
        "couples/get",
        couple_id=couple_id_of(couple_id),
        counselor_id=actor.counselor_id,
        is_admin=actor.is_admin,
    )
    if row is None:
        raise NotFound("couple")
    return row


def _owned_or_refused(db: Database, actor: Actor, couple_id: Any, obj: str) -> dict[str, Any]:
    """`_owned` with a refusal in the trail (audit.refused: once, by the outermost audited
    caller if there is one), written outside any transaction that would roll it back."""
    try:
        return _owned(db, actor, couple_id)
    except NotFound:
        audit.refused(db, actor, obj, couple_id)
        raise


def get(
    db: Database, actor: Actor, couple_id: Any, *, refused_as: str = "couple"
) -> dict[str, Any]:
    """A couple with both partners, if the actor may see it; otherwise NotFound, recorded as
    refused (under `refused_as`) unless an audited caller records it: every couple page opens
    its couple through here."""
    couple = _owned_or_refused(db, actor, couple_id, refused_as)
    couple["partners"] = db.all("couples/partners", couple_id=couple["id"])
    couple["label"] = label(*(p["name"] for p in couple["partners"]))
    audit.viewed(db, actor, "couple", couple["id"])
    return couple


def check_access(db: Database, actor: Actor, couple_id: Any) -> int:
    """The couple id as int if the actor may use it; raises NotFound otherwise."""
    return _owned(db, actor, couple_id)["id"]


# An archived couple's partner links do not open (core.links, core.checkins): archiving ends
# the couple's work, and a partner kept sending private answers, a safety answer among them
# possibly, about a couple no longer on the active caseload. So no new link is made for one.
ARCHIVED_NO_LINKS = (
    "This couple is archived, and an archived couple's links do not open. Restore the couple "
    "(Overview, Archive or delete) to send them a link."
)


def check_active(db: Database, actor: Actor, couple_id: Any) -> int:
    """`check_access` for sending partner links: refused (ValidationError) while archived."""
    row = _owned(db, actor, couple_id)
    if row["status"] == "archived":
        raise ValidationError({"couple": ARCHIVED_NO_LINKS})
    return row["id"]


def remember_open(db: Database, actor: Actor, couple_id: Any) -> None:
    """Note on the server the couple this sign-in has open, so that a reload opens it again
    (a couple id never goes into a URL). Nothing for an actor without a sign-in session."""
    cid = check_access(db, actor, couple_id)
    if actor.session_id is None:
        return
    db.all(
        "auth/session_open_couple",
        session_id=actor.session_id,
        counselor_id=actor.counselor_id,
        open_couple_id=cid,
    )


def last_opened(db: Database, actor: Actor) -> int | None:
    """The couple this sign-in last had open, while the actor may still open it; else None."""
    if actor.session_id is None:
        return None
    return db.scalar(
        "couples/last_opened",
        session_id=actor.session_id,
        counselor_id=actor.counselor_id,
        is_admin=actor.is_admin,
    )


# A couple's link from the caseload carries a token, never the couple's id (ui/caseload.py).
LINK_TOKEN_BYTES = 12  # 16 characters in the address


def link_token(key: str, actor: Actor, couple_id: Any) -> str:
    """The token of a link to the couple for this sign-in: any tab or reload of the sign-in can
    follow it; another sign-in (another account, the same one signed in again) cannot, and it
    names the couple to nobody who does not hold the key."""
    message = f"couple-link\0{actor.session_id}\0{couple_id_of(couple_id)}".encode()
    mac = hmac.new(key.encode(), message, hashlib.sha256).digest()[:LINK_TOKEN_BYTES]
    return base64.urlsafe_b64encode(mac).decode()


def from_link_token(db: Database, actor: Actor, key: str, token: Any) -> int | None:
    """The couple a link's token names for this sign-in, if the actor may open it; else None
    (a token of another sign-in, a mistyped or made-up one, a couple moved or erased since),
    recorded in the audit trail as a refused reach for a couple link (never the token)."""
    if actor.session_id is None or not isinstance(token, str):
        return None
    if len(token) == 16 and token.isascii():  # compare_digest refuses non-ASCII text
        openable = db.all(
            "couples/openable", counselor_id=actor.counselor_id, is_admin=actor.is_admin
        )
        for row in openable:
            if hmac.compare_digest(link_token(key, actor, row["id"]), token):
                return row["id"]
    audit.record(db, actor, "refused", obj="couple link")
    return None


def _same_name(a: str, b: str) -> bool:
    """The same name on screen: compared without case, spacing or Unicode form differences."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

    return norm(a) == norm(b)


def _clean(partner_1: dict, partner_2: dict, notes: Any) -> tuple[dict, dict, str]:
    f1 = partner_fields.clean_partner(partner_1, "p1")
    f2 = partner_fields.clean_partner(partner_2, "p2")
    notes_form = Form({"notes": notes})
    notes_form.text("notes", "Notes", NOTES_MAX_CHARS, multiline=True)
    errors = {**f1.errors, **f2.errors, **notes_form.errors}
    name_1, name_2 = f1.values.get("p1.name"), f2.values.get("p2.name")
    if name_1 and name_2 and _same_name(name_1, name_2):
        # Links, hand-overs, charts and summaries name each partner by this name alone.
        errors.setdefault(
            "p2.name",
            f"Both partners are called {name_2}: add an initial or a surname to one of them, "
            "so that their links and answers cannot be mixed up.",
        )
    if errors:
        raise ValidationError(errors)
    return (
        partner_fields.strip_prefix(f1.values, "p1"),
        partner_fields.strip_prefix(f2.values, "p2"),
        notes_form.values["notes"],
    )


def create(db: Database, actor: Actor, partner_1: dict, partner_2: dict, notes: str = "") -> int:
    """Create a couple in the actor's own caseload; returns its id."""
    p1, p2, notes = _clean(partner_1, partner_2, notes)
    now = utcnow()

    def write(tx: Tx) -> int:
        cid = tx.scalar("couples/insert", counselor_id=actor.counselor_id, notes=notes, now=now)
        for position, p in ((1, p1), (2, p2)):
            tx.all("couples/insert_partner", couple_id=cid, position=position, **p)
        audit.record(tx, actor, "create", couple_id=cid, obj="couple", now=now)
        return cid

    return db.write(write)


def _not_moved_across(now: list[dict[str, Any]], p1: dict, p2: dict) -> None:
    """Refuse a save that gives one partner the other's current name (the two swapped to change
    the order, say): each partner's answers, links and records stay with their row, so the
    other person's private answers would then go out under that name (their own data)."""
    errors = {}
    for key, new, mine, theirs in (
        ("p1.name", p1["name"], now[0]["name"], now[1]["name"]),
        ("p2.name", p2["name"], now[1]["name"], now[0]["name"]),
    ):
        if _same_name(new, theirs) and not _same_name(new, mine):
            errors[key] = (
                f"{theirs} is the other partner. Each partner's answers, links and records stay "
                f"with their own side of this form, whatever name it carries: given {theirs}'s "
                f"name, {mine}'s answers would be taken for {theirs}'s (in their own data too). "
                "Correct each partner's details on their own side; the order is only how they "
                "are shown."
            )
    if errors:
        raise ValidationError(errors)


def update(
    db: Database, actor: Actor, couple_id: Any, partner_1: dict, partner_2: dict, notes: str
) -> None:
    """Replace both partners' profiles and the notes of a couple the actor may edit; a partner
    is never given the other's name (`_not_moved_across`)."""
    cid = check_access(db, actor, couple_id)
    p1, p2, notes = _clean(partner_1, partner_2, notes)
    now = utcnow()

    def write(tx: Tx) -> None:
        _not_moved_across(tx.all("couples/partners", couple_id=cid), p1, p2)
        for position, p in ((1, p1), (2, p2)):
            tx.all("couples/update_partner", couple_id=cid, position=position, **p)
        tx.all("couples/update_notes", couple_id=cid, notes=notes, now=now)
        audit.record(tx, actor, "update", couple_id=cid, obj="partners and notes", now=now)

    db.write(write)


def update_notes(db: Database, actor: Actor, couple_id: Any, notes: str) -> None:
    """Replace the counselor's notes on a couple."""
    cid = _owned_or_refused(db, actor, couple_id, "notes")["id"]
    form = Form({"notes": notes})
    form.text("notes", "Notes", NOTES_MAX_CHARS, multiline=True)
    values = form.done()
    db.all("couples/update_notes", couple_id=cid, notes=values["notes"], now=utcnow())
    audit.record(db, actor, "update", couple_id=cid, obj="notes")


def set_archived(db: Database, actor: Actor, couple_id: Any, archived: bool) -> None:
    """Archive (hide from the active caseload, keep everything) or restore a couple."""
    cid = _owned_or_refused(db, actor, couple_id, "couple")["id"]
    db.all(
        "couples/set_status",
        couple_id=cid,
        status="archived" if archived else "active",
        now=utcnow(),
    )
    audit.record(db, actor, "archive" if archived else "restore", couple_id=cid, obj="couple")


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def confirmation_matches(couple: dict[str, Any], typed: str) -> bool:
    """True when the typed text is the couple's on-screen name (case and spaces ignored)."""
    return isinstance(typed, str) and bool(typed) and _folded(typed) == _folded(couple["label"])


def erase_queries() -> list[str]:
    """Every sql/erase/<table>.sql: one per table that holds a couple's data."""
    return sorted(f"erase/{p.stem}" for p in (SQL_DIR / "erase").glob("*.sql"))


def erase(tx: Tx, actor: Actor | None, couple_id: int, why: str = "") -> None:
    """Inside the caller's transaction: every row of the couple (sql/erase/), its sign-ins'
    memory of it, the couple itself, and the audit row that says so (`why` as its detail).
    The caller checks when it may be erased (core.erasure.delete_forever,
    core.retention.erase_due); only an admin, or the system in a restore (actor None), erases
    at all: a counselor's call is refused here too, before anything is deleted."""
    if actor is not None:
        require_admin(actor)
    for name in erase_queries():
        tx.all(name, couple_id=couple_id)
    tx.all("auth/forget_open_couple", couple_id=couple_id)
    tx.all("couples/delete", couple_id=couple_id)
    audit.record(tx, actor, "delete", couple_id=couple_id, obj=audit.ERASED, detail=why)


def reassign(db: Database, actor: Actor, couple_id: Any, to_counselor_id: Any) -> None:
    """Admin: move a couple to another active counselor's caseload."""
    require_admin(actor)
    couple = _owned(db, actor, couple_id)
    cid = couple["id"]
    target = account(db, to_counselor_id)
    if not target["active"]:
        raise ValidationError({"counselor": "Choose an active counselor."})
    if target["id"] == couple["counselor_id"]:  # said "moved" and wrote a move to the trail
        raise ValidationError(
            {"counselor": f"The couple is already on {target['display_name']}'s caseload."}
        )
    db.all("couples/reassign", couple_id=cid, to_counselor_id=target["id"], now=utcnow())
    audit.record(
        db, actor, "reassign", couple_id=cid, obj="couple", detail=f"to account {target['id']}"
    )
