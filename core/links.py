"""Private partner links: issuing, status, and everything a partner does through a token.

A token is 256 random bits, shown once to the counselor and never stored: the database keeps
its SHA-256 only. On the partner's side the token is the only credential: every read and
write resolves it again, so one partner's link can never reach the other partner's answers.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from core import audit, checkin_rows, couples, instruments
from core.accounts import Actor
from core.audit import audited
from core.clock import utcnow
from core.db import Database, Tx
from core.errors import NotFound, TandemError, ValidationError
from core.kept import Kept
from core.validation import as_text, record_id

# 32 random bytes = 256 bits, encoded as 43 URL-safe characters.
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
DEFAULT_EXPIRY_DAYS = 14
MAX_EXPIRY_DAYS = 90
# Bad tokens: the first few in a window answer at once; after that each waits longer, capped.
FREE_BAD_TOKENS = 5
BAD_TOKEN_WINDOW = timedelta(minutes=15)
BAD_TOKEN_DELAY_STEP = 0.5  # seconds added per further bad token
BAD_TOKEN_DELAY_MAX = 5.0
# A link whose form is a decision's opportunity matrix, generated from its factors and options
# (core.decisions.matrix_form) rather than read from instruments/.
DECISION_FORM = "decision_matrix"
# _known_link: the live links of this process's partners, newest use last.
KNOWN_LINKS = 4096
_KNOWN_FIELDS = (
    "id",
    "couple_id",
    "partner_id",
    "instrument_id",
    "instrument_version",
    "token_hash",
    "decision_id",
)
_known = Kept()  # (db.instance, token hash) -> the link's fields that never change

STATUS_LABELS = {
    "sent": "Sent",
    "opened": "Opened",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "expired": "Expired",
    "revoked": "Stopped",
    "ended": "Handed back before sending",
    "replaced": "Replaced by a newer link",
}
# The statuses of a link that still opens and takes answers.
OPEN_STATUSES = ("sent", "opened", "in_progress")


class LinkUnavailable(TandemError):
    """Wrong, expired, revoked or replaced token: one calm message that says not which."""

    MESSAGE = (
        "This link can't be opened. It may have expired, or your counselor may have replaced "
        "or stopped it. Please ask your counselor for a new link."
    )

    def __init__(self):
        super().__init__(self.MESSAGE)


class AlreadySubmitted(TandemError):
    """The form was submitted; nothing more can be changed through this link."""

    def __init__(self):
        super().__init__("These answers were already sent to your counselor. Thank you.")


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class Issued:
    """A new link: the token is shown to the counselor once and never again."""

    link_id: int
    token: str
    expires_at: datetime
    partner_name: str
    instrument_title: str
    # The partner's own contact details on file, to address the message (None: not on file).
    email: str | None = None
    phone: str | None = None

    @classmethod
    def to(
        cls, partner: dict[str, Any], link_id: int, token: str, expires_at: datetime, title: str
    ) -> Issued:
        """A new link for `partner` (a row of couples.get's partners), with its name and the
        contact details on file."""
        return cls(
            link_id,
            token,
            expires_at,
            partner["name"],
            title,
            partner.get("email"),
            partner.get("phone"),
        )


def mail_url(issued: Issued, body: str) -> str:
    """A mailto: address that opens the counselor's own e-mail app with the message to this
    partner ready to send (Tandem itself sends nothing). No address on file: the counselor
    fills it in."""
    to = quote((issued.email or "").strip(), safe="@+")
    subject = f"Your private link: {issued.instrument_title}"
    return f"mailto:{to}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def text_url(issued: Issued, body: str) -> str | None:
    """An sms: address that opens a messages app with the message to this partner's phone
    number; None without a number on file."""
    number = re.sub(r"[^0-9+]", "", issued.phone or "")
    if len(number.lstrip("+")) < 3:
        return None
    return f"sms:{number}?" + urlencode({"body": body}, quote_via=quote)


def status(link: dict[str, Any], now: datetime | None = None) -> str:
    """sent → opened → in_progress → submitted, or expired / revoked / replaced; a hand-over's
    check-in (origin 'handover') whose device was taken back before it was sent: ended."""
    now = now or utcnow()
    if link.get("submitted_at"):
        return "submitted"
    if link.get("revoked_at"):
        if link.get("revoked_reason") == "replaced":
            return "replaced"
        return "ended" if link.get("origin") == "handover" else "revoked"
    if link["expires_at"] <= now:
        return "expired"
    if link.get("started_at"):
        return "in_progress"
    if link.get("opened_at"):
        return "opened"
    return "sent"


# -- counselor side -----------------------------------------------------------------------
def _partner_of(db: Database, couple_id: int, partner_id: Any) -> dict[str, Any]:
    for p in db.all("couples/partners", couple_id=couple_id):
        if str(p["id"]) == as_text(partner_id):
            return p
    raise NotFound("partner")


@audited("issue", "questionnaire link")
def issue(
    db: Database,
    actor: Actor,
    couple_id: Any,
    partner_id: Any,
    instrument_id: str,
    days: Any = DEFAULT_EXPIRY_DAYS,
    now: datetime | None = None,
) -> Issued:
    """Make a link for one partner and one questionnaire; earlier open links for it stop working."""
    cid = couples.check_active(db, actor, couple_id)
    partner = _partner_of(db, cid, partner_id)
    try:
        instrument = instruments.load(instrument_id)
    except (instruments.InstrumentError, KeyError, FileNotFoundError, TypeError):
        raise ValidationError({"instrument": "Choose one of the listed questionnaires."}) from None
    days = _link_days(days)
    link_id, token, expires = _new_link(
        db, actor, cid, partner["id"], instrument.id, instrument.version, days, now
    )
    return Issued.to(partner, link_id, token, expires, instrument.title)


def _link_days(days: Any) -> int:
    """A link's lifetime in whole days, 1 to MAX_EXPIRY_DAYS; ValidationError otherwise."""
    try:
        days = int(days)
    except (TypeError, ValueError, OverflowError):
        days = 0
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise ValidationError({"days": f"A link lasts between 1 and {MAX_EXPIRY_DAYS} days."})
    return days


def _new_link(
    db: Database,
    actor: Actor,
    couple_id: int,
    partner_id: int,
    instrument_id: str,
    version: int,
    days: int,
    now: datetime | None,
    decision_id: int | None = None,
) -> tuple[int, str, datetime]:
    """Store a fresh link (replacing the partner's open one for the same form): id, token, expiry."""
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = now + timedelta(days=days)

    def write(tx: Tx) -> int:
        form = {"couple_id": couple_id, "partner_id": partner_id, "instrument_id": instrument_id}
        # The partner's unsent answers on an earlier link (open, replaced or run out; not one
        # the counselor stopped) carry on to this one: nothing typed is lost by re-sending.
        draft = tx.scalar("links/latest_draft", **form, version=version, decision_id=decision_id)
        tx.all("links/replace_open", **form, decision_id=decision_id, now=now)
        link_id = tx.scalar(
            "links/insert",
            **form,
            instrument_version=version,
            token_hash=hash_token(token),
            created_by=actor.counselor_id,
            now=now,
            expires_at=expires,
            decision_id=decision_id,
        )
        if draft is not None:
            moved = {"from_link_id": draft, "couple_id": couple_id}
            tx.all("links/copy_answers", to_link_id=link_id, **moved)
            tx.all("links/clear_answers", **moved)
            tx.all("links/mark_started", link_id=link_id, now=now)
        return link_id

    return db.write(write), token, expires


@audited("issue", "decision form link")
def issue_decision_form(
    db: Database,
    actor: Actor,
    couple_id: Any,
    partner_id: Any,
    decision_id: Any,
    days: Any = DEFAULT_EXPIRY_DAYS,
    now: datetime | None = None,
) -> Issued:
    """A link to one partner's own weights and scores for a decision's opportunity matrix."""
    from core import decisions  # decisions builds on links; imported here to avoid a cycle

    cid = couples.check_active(db, actor, couple_id)
    partner = _partner_of(db, cid, partner_id)
    form = decisions.matrix_form(db, actor, cid, decision_id)
    days = _link_days(days)
    decision = decisions.get(db, actor, cid, decision_id)
    link_id, token, expires = _new_link(
        db, actor, cid, partner["id"], DECISION_FORM, form.version, days, now, decision["id"]
    )
    return Issued.to(partner, link_id, token, expires, form.title)


def form_of(db: Database | Tx, link: Any) -> instruments.Instrument:
    """The form a link opens: its questionnaire, or a decision's generated matrix form."""
    get = link.get if isinstance(link, dict) else lambda k: getattr(link, k)
    if get("instrument_id") == DECISION_FORM:
        from core import decisions

        return decisions.matrix_form_for_link(db, get("couple_id"), get("decision_id"))
    return instruments.load(get("instrument_id"))


@audited("view", "links")
def for_couple(db: Database, actor: Actor, couple_id: Any, now=None) -> list[dict[str, Any]]:
    """Every link of a couple, newest first, each with its status."""
    return _couple_links(db, actor, couple_id, "links/for_couple", now)


@audited("view", "links")
def newest_for_couple(db: Database, actor: Actor, couple_id: Any, now=None) -> list[dict[str, Any]]:
    """Each partner's newest link per questionnaire, newest first, each with its status."""
    return _couple_links(db, actor, couple_id, "links/newest_for_couple", now)


def _couple_links(db: Database, actor: Actor, couple_id: Any, query: str, now) -> list[dict]:
    cid = couples.check_access(db, actor, couple_id)
    rows = db.all(query, couple_id=cid)
    for r in rows:
        r["status"] = status(r, now)
    return rows


@audited("revoke", "link")
def revoke(db: Database, actor: Actor, couple_id: Any, link_id: Any) -> None:
    """Stop a couple's unsubmitted link from working (a sent or stopped one stays as it is)."""
    cid = couples.check_access(db, actor, couple_id)
    lid = record_id(link_id, "link")
    if db.one("links/of_couple", link_id=lid, couple_id=cid) is None:
        raise NotFound("link")  # not the couple's: the trail says "refused"
    db.all("links/revoke", link_id=lid, couple_id=cid, now=utcnow())


@audited("view", "answers")
def submitted_answers(
    db: Database, actor: Actor, couple_id: Any, instrument_id: str
) -> dict[int, dict[str, Any]]:
    """partner id -> {'answers', 'submitted_at', 'link_id'} of each partner's newest submission."""
    cid = couples.check_access(db, actor, couple_id)
    out = {}
    for row in db.all("links/latest_submitted", couple_id=cid, instrument_id=instrument_id):
        out[row["partner_id"]] = {
            "link_id": row["id"],
            "submitted_at": row["submitted_at"],
            "answers": _answers(db, row["id"]),
        }
    return out


@audited("view", "answers")
def latest_submissions(
    db: Database, actor: Actor, couple_id: Any, instrument_ids: Iterable[str]
) -> dict[str, dict[int, dict[str, Any]]]:
    """instrument id -> partner id -> {'answers', 'submitted_at', 'link_id'}: each partner's
    newest submission of every questionnaire asked for, in one query (not one per form)."""
    cid = couples.check_access(db, actor, couple_id)
    wanted = [str(i) for i in instrument_ids]
    out: dict[str, dict[int, dict[str, Any]]] = {i: {} for i in wanted}
    for row in db.all("links/latest_submissions", couple_id=cid, instrument_ids=wanted):
        mine = out[row["instrument_id"]].setdefault(
            row["partner_id"],
            {"link_id": row["link_id"], "submitted_at": row["submitted_at"], "answers": {}},
        )
        if row["item_id"] is not None:
            mine["answers"][row["item_id"]] = json.loads(row["value_json"])
    return out


def _answers(db: Database | Tx, link_id: int) -> dict[str, Any]:
    return {
        r["item_id"]: json.loads(r["value_json"]) for r in db.all("links/answers", link_id=link_id)
    }


# -- partner side (the token is the credential) --------------------------------------------
@dataclass(frozen=True)
class PartnerLink:
    """What the partner's page may know: their own link, never the couple's other data."""

    link_id: int
    couple_id: int
    partner_id: int
    partner_name: str
    instrument_id: str
    instrument_version: int
    submitted: bool
    expires_at: datetime
    decision_id: int | None = None


def _client_delay(db: Database, client_key: str, now: datetime) -> float:
    row = db.one("links/attempts_get", client_key=client_key)
    if not row or row["window_start"] < now - BAD_TOKEN_WINDOW:
        return 0.0
    extra = row["failures"] + 1 - FREE_BAD_TOKENS  # this bad token counts too
    return min(BAD_TOKEN_DELAY_MAX, BAD_TOKEN_DELAY_STEP * extra) if extra > 0 else 0.0


def _record_bad_token(db: Database, client_key: str, now: datetime) -> None:
    def write(tx: Tx) -> None:
        row = tx.one("links/attempts_get", client_key=client_key)
        if row and row["window_start"] >= now - BAD_TOKEN_WINDOW:
            failures, start = row["failures"] + 1, row["window_start"]
        else:
            failures, start = 1, now
        tx.all("links/attempts_put", client_key=client_key, failures=failures, window_start=start)

    db.write(write)


def visitor_address(peer: str | None, forwarded_for: str | None, behind_proxy: bool) -> str:
    """Whose bad tokens these are: the connection's address, or behind a reverse proxy (the
    behind_proxy setting) the address the proxy appended last to X-Forwarded-For. Behind
    SECURITY.md's nginx every connection came from 127.0.0.1, so one visitor's bad tokens
    slowed every partner's (a security review). Earlier entries are the visitor's own to
    write, so only the last one is believed."""
    if behind_proxy and isinstance(forwarded_for, str):
        last = forwarded_for.split(",")[-1].strip()
        try:  # an address, nothing else (not a word a page could take for its own client name)
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass
    return peer if isinstance(peer, str) else ""


def client_key(address: str | None) -> str:
    """The key bad-token attempts are counted under: a hash, so no address is stored."""
    text = address if isinstance(address, str) and address else "unknown"
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _resolve(
    db: Database, token: Any, now: datetime, query: str = "links/by_token_hash"
) -> dict[str, Any] | None:
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    wanted = hash_token(token)
    row = db.one(query, token_hash=wanted)
    if row is None or not hmac.compare_digest(row["token_hash"], wanted):
        return None
    return row


def open_link(
    db: Database, token: Any, client: str = "", now: datetime | None = None, *, sleep=time.sleep
) -> PartnerLink:
    """The partner's view of a live link, or of one already submitted ("thank you") until it
    would have expired; after that a sent link's thanks name nobody (AlreadySubmitted).
    LinkUnavailable otherwise.

    A sent form's link once opened for ever with the partner's name, the practice's and the
    form's title (for a decision, its title): anyone later given the link saw them."""
    now = now or utcnow()
    row = _resolve(db, token, now)
    sent = row is not None and row["submitted_at"] is not None
    if sent and row["expires_at"] <= now:
        raise AlreadySubmitted()
    usable = row is not None and (
        sent
        or (row["revoked_at"] is None and row["expires_at"] > now and couple_takes_answers(row))
    )
    if not usable:
        # Only a token that opens nothing is slowed (and counted): a partner's own link runs
        # on every Start, Next and Back, and reading the device's bad tries cost each a query.
        key = client_key(client)
        delay = _client_delay(db, key, now)
        _record_bad_token(db, key, now)
        if delay:
            sleep(delay)
        raise LinkUnavailable()
    if row["opened_at"] is None:
        db.all("links/mark_opened", link_id=row["id"], now=now)
    link = PartnerLink(
        link_id=row["id"],
        couple_id=row["couple_id"],
        partner_id=row["partner_id"],
        partner_name=row["partner_name"],
        instrument_id=row["instrument_id"],
        instrument_version=row["instrument_version"],
        submitted=row["submitted_at"] is not None,
        expires_at=row["expires_at"],
        decision_id=row.get("decision_id"),
    )
    audit.viewed(db, link, f"link_opened:{row['instrument_id']}", row["couple_id"])
    return link


def _link_actor(row: dict[str, Any]) -> Any:
    """Who acts through a link, for the audit trail: 'link <id>'."""
    from types import SimpleNamespace

    return SimpleNamespace(link_id=row["id"])


def _live(db: Database, token: Any, now: datetime) -> dict[str, Any]:
    """The link a token names while it takes answers (without its partner's name, which
    drafts and saves do not show); LinkUnavailable or AlreadySubmitted otherwise."""
    row = _resolve(db, token, now, "links/live_by_token_hash")
    if row is None:
        raise LinkUnavailable()
    if row["submitted_at"] is not None:
        raise AlreadySubmitted()
    if row["revoked_at"] is not None or row["expires_at"] <= now or not couple_takes_answers(row):
        raise LinkUnavailable()
    return row


def couple_takes_answers(row: dict[str, Any]) -> bool:
    """Whether a link's couple takes answers: not while archived (couples.ARCHIVED_NO_LINKS).
    The partner sees what any link that no longer works shows; restoring the couple opens the
    links again until they run out."""
    return row["couple_status"] != "archived"


def my_answers(db: Database, token: Any, now: datetime | None = None) -> dict[str, Any]:
    """The partner's own saved answers (a draft), to resume where they were."""
    row = _live(db, token, now or utcnow())
    return _answers(db, row["id"])


def _known_link(db: Database, token: Any, now: datetime) -> dict[str, Any]:
    """What never changes of the live link a token names (its id, couple, partner and form),
    kept per open database once a lookup found it live: a partner saves answer after answer,
    and that lookup was a fifth of each save. Whether the link still takes answers is not kept:
    each write reads it again (_still_open), with the token's hash, so a link sent, revoked,
    expired, archived or erased since (or another link given its id by a restored backup) is
    refused there."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        raise LinkUnavailable()
    key = (db.instance, hash_token(token))
    found = _known.recall(key)
    if found is None:
        row = _live(db, token, now)
        found = {k: row[k] for k in _KNOWN_FIELDS}
        _known.keep(key, found, KNOWN_LINKS)
    return found


def save_answer(
    db: Database, token: Any, item_id: str, value: Any, now: datetime | None = None
) -> Any:
    """Clean and store one answer at once (a blank answer clears it); returns the stored value."""
    now = now or utcnow()
    row = _known_link(db, token, now)
    kept = (db.instance, row["token_hash"])
    try:
        instrument = form_of(db, row)  # a decision's matrix emptied since: LinkUnavailable
        try:
            item = instrument.item(item_id)
        except (KeyError, TypeError):  # TypeError: an unhashable id (a list) is no question
            where = item_id[:80] if isinstance(item_id, str) else "item"
            raise ValidationError({where: "This is not a question in this form."}) from None
        cleaned = instruments.validate_answer(item, value)
    except TandemError:
        # Judged outside the write (a refused answer does not hold up other writers), but a
        # sent or closed link says so first, as a fresh lookup of it would.
        _still_open_or_forget(db, kept, row["id"], now)
        raise

    def write(tx: Tx) -> None:
        state = _still_open_or_forget(tx, kept, row["id"], now)
        if cleaned is None:
            tx.all("links/delete_answer", link_id=row["id"], item_id=item.id)
        else:
            value_json = json.dumps(cleaned, ensure_ascii=False)
            key = {"link_id": row["id"], "item_id": item.id, "value_json": value_json, "now": now}
            if not tx.all("links/update_answer", **key):
                tx.all(
                    "links/insert_answer",
                    **key,
                    couple_id=row["couple_id"],
                    partner_id=row["partner_id"],
                )
        if state["started_at"] is None:
            tx.all("links/mark_started", link_id=row["id"], now=now)

    db.write(write)
    # A partner saves answer by answer; the trail keeps one 'answer_saved' row per link per
    # VIEW_WINDOW (which answers changed is in the answers' own updated_at, never in the trail).
    audit.viewed(
        db, _link_actor(row), row["instrument_id"], row["couple_id"], action="answer_saved"
    )
    return cleaned


def submit(db: Database, token: Any, now: datetime | None = None) -> bool:
    """Send the answers to the counselor once; True the first time, False on a repeat tap."""
    now = now or utcnow()
    row = _resolve(db, token, now)
    if row is None:
        raise LinkUnavailable()
    if row["submitted_at"] is not None:
        return False
    if row["revoked_at"] is not None or row["expires_at"] <= now or not couple_takes_answers(row):
        raise LinkUnavailable()
    instrument = form_of(db, row)

    def write(tx: Tx) -> bool:
        state = tx.one("links/state", link_id=row["id"])
        if state is not None and state["submitted_at"] is not None:
            return False
        _still_open(tx, row["id"], now, state)
        missing = instruments.missing_required(instrument, _answers(tx, row["id"]))
        if missing:
            raise ValidationError({m: "This question needs an answer." for m in missing})
        done = (
            tx.one("links/mark_submitted", link_id=row["id"], couple_id=row["couple_id"], now=now)
            is not None
        )
        if done and row["instrument_id"] == DECISION_FORM:
            from core import decisions

            decisions.apply_form_answers(tx, row, instrument, _answers(tx, row["id"]), now)
        if done and row["instrument_id"] == checkin_rows.CHECKIN:
            # The same check-in as one typed row, in this transaction (trends read it in SQL).
            checkin_rows.record(tx, row, _answers(tx, row["id"]), now)
        if done:
            audit.record(
                tx,
                _link_actor(row),
                "link_submitted",
                couple_id=row["couple_id"],
                obj=row["instrument_id"],
                now=now,
            )
        return done

    return db.write(write)


def _still_open_or_forget(
    tx: Tx | Database, key: tuple[int, str], link_id: int, now: datetime
) -> dict[str, Any]:
    """_still_open for a link kept by _known_link (key: its database and token hash); a link
    that no longer takes answers is forgotten, so that nothing of an erased couple's links stays
    kept, and the token's next use looks it up afresh."""
    try:
        return _still_open(tx, link_id, now, token_hash=key[1])
    except TandemError:
        _known.forget(key)
        raise


def _still_open(
    tx: Tx | Database,
    link_id: int,
    now: datetime,
    state: dict | None = None,
    token_hash: str | None = None,
) -> dict[str, Any]:
    """Inside a write: refuse if the link was submitted, revoked or expired meanwhile, its
    couple archived, or the link is gone (erased); with `token_hash`, also if the link of that
    id is not the token's. Returns the link's state."""
    state = state or tx.one("links/state", link_id=link_id)
    if state is None or (
        token_hash is not None and not hmac.compare_digest(state["token_hash"], token_hash)
    ):
        raise LinkUnavailable()
    if state["submitted_at"] is not None:
        raise AlreadySubmitted()
    if (
        state["revoked_at"] is not None
        or state["expires_at"] <= now
        or not couple_takes_answers(state)
    ):
        raise LinkUnavailable()
    return state
