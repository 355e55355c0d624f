"""Regular check-ins: a couple's schedule, each partner's standing link, status, hand-over.

Design (tokens are shown once and stored only hashed, so a link made later by the server could
never be shown to anyone):

- Each partner gets one *standing personal check-in link* (long expiry, revocable; "re-send"
  makes a new one and retires the old). It is the partner's only credential for check-ins.
- Opening it gives the current period's check-in: a normal row in `links` whose token is
  derived from the standing token and the period (HMAC-SHA-256), created on first open. Only
  the partner's own link can derive it, the database holds only its hash, and the usual link
  machinery (drafts saved as you go, submit once, counselor-only items) applies unchanged.
  Stopping or replacing the standing link stops its unsent period check-ins too (anyone who
  had the old token could derive theirs); a replacing link's period check-in continues the
  unsent answers, a stopped one's answers are set aside.
- The schedule (core/schedule.py) needs no rows per period: who is due or overdue follows
  from each partner's last submission, so nothing has to run in the background.
- In session, the counselor can hand the device to one partner (ui/handover.py): a short-lived
  link whose token stays in that browser session; the hand-over itself is stored per sign-in,
  so reloading the page cannot escape it. Taking the device back always needs the counselor's
  password, checked against a limit of its own (never the account's sign-in pause). A hand-over
  started again for the same partner in the same period continues their unsent answers; one
  for a partner who already sent this period's check-in is not started.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from core import accounts, audit, couples, dates, instruments, links, schedule
from core.accounts import Actor
from core.audit import audited
from core.checkin_rows import CHECKIN
from core.clock import utcnow
from core.dates import clean_date
from core.db import Database, Tx
from core.errors import NotFound, TandemError, ValidationError
from core.kept import Kept
from core.validation import as_text

# A standing link lasts a year by default (a season of check-ins), at most two.
STANDING_DEFAULT_DAYS = 365
STANDING_MAX_DAYS = 730
# A period's link stays usable a day past the period's end, for a form finished after midnight.
PERIOD_LINK_SLACK = timedelta(days=1)
# A hand-over link only has to last the session.
HANDOVER_HOURS = 12
# Taking a handed-over device back: after this many wrong passwords within the window the box
# pauses for a while. Its own count, so a partner holding the device cannot pause the
# counselor's account (core.accounts pauses sign-ins after 5 failures); each guess also costs a
# bcrypt check, so guessing stays at a handful of tries per pause.
HANDOVER_FREE_TRIES = 5
HANDOVER_FAILURE_WINDOW = timedelta(minutes=15)
HANDOVER_PAUSE = timedelta(minutes=10)
# Opening a standing link records the time at most this often (each tap reruns the page).
OPENED_REFRESH = timedelta(minutes=10)
# Rows shown in the couple's recent check-ins table.
RECENT_LIMIT = 40
PERIOD_CONTEXT = b"tandem-checkin-period:"

NO_CHECKIN_OPEN = (
    "There is no check-in open right now. Your counselor will let you know when the next one "
    "starts."
)


# -- schedule ------------------------------------------------------------------------------
def get_schedule(db: Database | Tx, couple_id: int) -> schedule.Schedule | None:
    """A couple's schedule, or None when none was set (core callers check access first)."""
    row = db.one("checkins/schedule_get", couple_id=couple_id)
    if row is None:
        return None
    return schedule.Schedule(row["cadence"], row["anchor_on"], row["timezone"], row["since"])


@audited("update", "check-in schedule")
def set_schedule(
    db: Database,
    actor: Actor,
    couple_id: Any,
    cadence: str,
    anchor: Any,
    timezone: str,
    now: datetime | None = None,
) -> schedule.Schedule:
    """Set (or switch off) how often the couple checks in, from a first day, in a time zone."""
    cid = couples.check_access(db, actor, couple_id)
    errors = {}
    if not isinstance(cadence, str) or cadence not in schedule.CADENCES:
        errors["cadence"] = f"Choose one of: {', '.join(schedule.CADENCES.values())}."
    try:
        anchor_on = clean_date(anchor)
    except ValueError as e:
        anchor_on = None
        errors["anchor"] = f"First check-in {e}."
    else:
        if anchor_on is None:
            errors["anchor"] = "Choose the day the first check-in opens."
    if not schedule.valid_timezone(timezone):
        errors["timezone"] = "Choose a time zone from the list."
    if errors:
        raise ValidationError(errors)
    db.all(
        "checkins/schedule_put",
        couple_id=cid,
        cadence=cadence,
        anchor_on=anchor_on,
        timezone=timezone,
        updated_by=actor.counselor_id,
        now=now or utcnow(),
    )
    return get_schedule(db, cid)


# -- standing personal links -------------------------------------------------------------------
def period_token(standing_token: str, period_start: date) -> str:
    """The token of one period's check-in, derived from the partner's standing token."""
    message = PERIOD_CONTEXT + period_start.isoformat().encode()
    digest = hmac.new(standing_token.encode("ascii"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _partner(db: Database, couple_id: int, partner_id: Any) -> dict[str, Any]:
    for p in db.all("couples/partners", couple_id=couple_id):
        if str(p["id"]) == as_text(partner_id):
            return p
    raise NotFound("partner")


@audited("issue", "standing check-in link")
def issue_standing(
    db: Database,
    actor: Actor,
    couple_id: Any,
    partner_id: Any,
    days: Any = STANDING_DEFAULT_DAYS,
    now: datetime | None = None,
) -> links.Issued:
    """A partner's personal check-in link; an earlier one stops working (that is re-sending)."""
    cid = couples.check_active(db, actor, couple_id)
    partner = _partner(db, cid, partner_id)
    try:
        days = int(days)
    except (TypeError, ValueError, OverflowError):
        days = 0
    if not 1 <= days <= STANDING_MAX_DAYS:
        raise ValidationError({"days": f"A personal link lasts 1 to {STANDING_MAX_DAYS} days."})
    now = now or utcnow()
    token = secrets.token_urlsafe(links.TOKEN_BYTES)
    expires = now + timedelta(days=days)

    def write(tx: Tx) -> int:
        # The old link's unsent period check-in stops too; the new link's continues its answers.
        _stop_period_links(tx, cid, partner["id"], "replaced", now)
        tx.all("standing/replace_open", couple_id=cid, partner_id=partner["id"], now=now)
        return tx.scalar(
            "standing/insert",
            couple_id=cid,
            partner_id=partner["id"],
            token_hash=links.hash_token(token),
            created_by=actor.counselor_id,
            now=now,
            expires_at=expires,
        )

    standing_id = db.write(write)
    # In the partner's message: 'your private link … for “Check-ins (one link for all of
    # them)”', where it read 'for “Check-in (your personal link for every check-in)”'.
    title = f"{instruments.load(CHECKIN).title}s (one link for all of them)"
    return links.Issued.to(partner, standing_id, token, expires, title)


def _stop_period_links(tx: Tx, couple_id: int, partner_id: int, reason: str, now: datetime):
    """Inside a write: stop the partner's unsent period check-ins, whose tokens derive from the
    standing link being replaced ('replaced') or stopped ('revoked')."""
    tx.all(
        "standing/stop_period_links",
        couple_id=couple_id,
        partner_id=partner_id,
        reason=reason,
        now=now,
    )


@audited("view", "standing check-in links")
def standing_for_couple(
    db: Database, actor: Actor, couple_id: Any, now: datetime | None = None
) -> dict[int, dict[str, Any]]:
    """partner id -> that partner's live standing link (no token, only its dates)."""
    cid = couples.check_access(db, actor, couple_id)
    now = now or utcnow()
    return {
        r["partner_id"]: r
        for r in db.all("standing/for_couple", couple_id=cid)
        if r["expires_at"] > now
    }


@audited("revoke", "standing check-in link")
def revoke_standing(
    db: Database, actor: Actor, couple_id: Any, partner_id: Any, now: datetime | None = None
) -> None:
    """Stop a partner's standing link, and the unsent period check-in it opened (its token is
    derived from the standing one). Its answers are set aside: a later link starts afresh."""
    cid = couples.check_access(db, actor, couple_id)
    partner = _partner(db, cid, partner_id)
    now = now or utcnow()

    def write(tx: Tx) -> None:
        _stop_period_links(tx, cid, partner["id"], "revoked", now)
        tx.all("standing/revoke", couple_id=cid, partner_id=partner["id"], now=now)

    db.write(write)


@dataclass(frozen=True)
class StandingOpen:
    """What a standing link opens now: this period's form token, or a calm message."""

    partner_name: str
    period_token: str | None
    message: str = ""
    # The last local day this period's check-in can be answered: the period's last day, or the
    # standing link's own last day if that comes first.
    open_until: date | None = None
    # The same for the partner reading it: "Sunday 29 November 2026", or the hour on their own
    # clock where it differs from the couple's ("07:00 on Monday 30 November 2026, your time").
    open_until_words: str = ""


def open_standing(
    db: Database, token: Any, now: datetime | None = None, zone: str | None = None
) -> StandingOpen | None:
    """The current period's check-in for a live standing token; None if it is not one.

    None lets the caller treat the token as an ordinary link (and count it as a bad one if it
    is not that either), so a revoked standing link gets the same calm message as any other.
    `zone` is the partner's browser's time zone: where its clock differs from the couple's
    schedule, the days a period opens and closes are said with the hour on the partner's clock.
    """
    if not isinstance(token, str) or not links.TOKEN_SHAPE.fullmatch(token):
        return None
    now = now or utcnow()
    wanted = links.hash_token(token)
    row = db.one("standing/by_token_hash", token_hash=wanted)
    if row is None or not hmac.compare_digest(row["token_hash"], wanted):
        return None
    if row["revoked_at"] is not None or row["expires_at"] <= now:
        return None
    if not links.couple_takes_answers(row):
        return None
    if row["last_opened_at"] is None or row["last_opened_at"] < now - OPENED_REFRESH:
        db.all("standing/mark_opened", standing_id=row["id"], now=now)
    name = row["partner_name"]
    plan = get_schedule(db, row["couple_id"])
    if plan is None or not plan.active:
        return StandingOpen(name, None, NO_CHECKIN_OPEN)
    current = schedule.period_at(plan, now)
    if current is None:
        first = schedule.period(plan, 0).start_utc
        return StandingOpen(
            name, None, f"Your first check-in opens {_opens(first, plan.timezone, zone)}."
        )
    if db.scalar(
        "checkins/partner_submitted_since", partner_id=row["partner_id"], since=current.start_utc
    ):
        return StandingOpen(
            name,
            None,
            "Thank you: your check-in for this period is with your counselor. "
            f"The next one opens {_opens(current.end_utc, plan.timezone, zone)}.",
        )
    ptoken = period_token(token, current.start_local)
    phash = links.hash_token(ptoken)
    if db.one("links/by_token_hash", token_hash=phash) is None:

        def write(tx: Tx) -> None:
            link_id = tx.scalar(
                "checkins/insert_link",
                couple_id=row["couple_id"],
                partner_id=row["partner_id"],
                instrument_id=CHECKIN,
                instrument_version=instruments.load(CHECKIN).version,
                token_hash=phash,
                created_by=row["created_by"],
                now=now,
                expires_at=min(row["expires_at"], current.end_utc + PERIOD_LINK_SLACK),
                origin="period",
                standing_link_id=row["id"],
            )
            if link_id is None:
                return  # opened at the same moment elsewhere: that run made it
            # A standing link that replaced another this period continues its unsent answers.
            draft = tx.scalar(
                "checkins/period_draft",
                couple_id=row["couple_id"],
                partner_id=row["partner_id"],
                since=current.start_utc,
                link_id=link_id,
            )
            if draft is not None:
                _move_draft(tx, row["couple_id"], draft, link_id, now)

        db.write(write)
    closes = min(row["expires_at"], current.end_utc)
    last_day = current.end_local - timedelta(days=1)
    if row["expires_at"] < current.end_utc:
        last_day = schedule.local_date(row["expires_at"] - timedelta(seconds=1), plan.timezone)
    theirs = _on_readers_clock(closes, plan.timezone, zone)
    words = _day(last_day) if theirs is None else _their_time(theirs)
    return StandingOpen(name, ptoken, open_until=last_day, open_until_words=words)


def _on_readers_clock(instant_utc: datetime, plan_zone: str, reader_zone: str | None):
    """`instant_utc` on the reader's wall clock, or None where that clock reads it as the
    couple's does, or the reader's zone is not one the server knows."""
    if not reader_zone or not schedule.valid_timezone(reader_zone):
        return None
    theirs = dates.local(instant_utc, reader_zone)
    return None if theirs == dates.local(instant_utc, plan_zone) else theirs


def _their_time(local: datetime) -> str:
    """'07:00 on Monday 30 November 2026, your time'."""
    return f"{local:%H:%M} on {_day(local.date())}, your time"


def _opens(instant_utc: datetime, plan_zone: str, reader_zone: str | None) -> str:
    """When a period begins, for the partner reading it: 'on Monday 30 November 2026' (midnight
    on the couple's clock), or 'at 07:00 on Monday 30 November 2026, your time' where the
    partner's clock says otherwise."""
    theirs = _on_readers_clock(instant_utc, plan_zone, reader_zone)
    if theirs is None:
        return f"on {_day(schedule.local_date(instant_utc, plan_zone))}"
    return f"at {_their_time(theirs)}"


def _move_draft(tx: Tx, couple_id: int, from_link: int, to_link: int, now: datetime) -> None:
    """Inside a write: a partner's unsent answers move to their newer check-in, which the
    older one is retired for (so one period keeps one live draft, and nothing typed is lost)."""
    keys = {"couple_id": couple_id, "from_link_id": from_link}
    tx.all("links/copy_answers", to_link_id=to_link, **keys)
    tx.all("links/clear_answers", **keys)
    tx.all("checkins/set_aside", link_id=from_link, couple_id=couple_id, now=now)
    tx.all("links/mark_started", link_id=to_link, now=now)


def _day(d: date) -> str:
    """'Monday 20 January 2025'."""
    return f"{d:%A} {d.day} {d:%B %Y}"


# -- where each partner stands ------------------------------------------------------------------
@dataclass(frozen=True)
class PartnerOverview:
    """One partner's check-in status, last check-in and standing link."""

    partner: dict[str, Any]
    status: schedule.PartnerStatus
    last_submitted: datetime | None
    count: int
    standing: dict[str, Any] | None


# Each partner's newest check-in and count, and the newest rows, are kept per couple until a
# write touches the couple (a check-in sent, a partner renamed, a couple erased): on the
# practice's 850,000 check-ins the two queries took ~20-50 ms of every Check-ins page run on a
# busy server (issue 6). The caller's access is checked first, every call.
KEPT_MAX = 256  # reads kept (two a couple); the least recently used goes first
_kept = Kept()


def _last_per_partner(db: Database, couple_id: int) -> list[dict[str, Any]]:
    def read() -> list[dict[str, Any]]:
        return db.all("checkins/last_per_partner", couple_id=couple_id)

    return _kept.couple_read(db, couple_id, "last_per_partner", read, KEPT_MAX)


def _recent(db: Database, couple_id: int, limit: int) -> pd.DataFrame:
    def read() -> pd.DataFrame:
        return db.frame("checkins/recent", couple_id=couple_id, limit=limit)

    return _kept.couple_read(db, couple_id, ("recent", limit), read, KEPT_MAX).copy()


@audited("view", "check-ins")
def overview(
    db: Database, actor: Actor, couple_id: Any, now: datetime | None = None
) -> tuple[schedule.Schedule | None, schedule.Period | None, list[PartnerOverview]]:
    """The schedule, the current period, and each partner's status (display order)."""
    couple = couples.get(db, actor, couple_id)
    now = now or utcnow()
    plan = get_schedule(db, couple["id"])
    current = schedule.period_at(plan, now) if plan else None
    last = {r["partner_id"]: r for r in _last_per_partner(db, couple["id"])}
    standing = standing_for_couple(db, actor, couple["id"], now)
    out = []
    for p in couple["partners"]:
        mine = last.get(p["id"], {})
        when = mine.get("last_submitted")
        out.append(
            PartnerOverview(
                partner=p,
                status=schedule.partner_status(plan, when, now),
                last_submitted=when,
                count=mine.get("count") or 0,
                standing=standing.get(p["id"]),
            )
        )
    return plan, current, out


@audited("view", "check-ins")
def recent(db: Database, actor: Actor, couple_id: Any, limit: int = RECENT_LIMIT):
    """The couple's newest typed check-in rows (both partners), newest first, as a DataFrame."""
    cid = couples.check_access(db, actor, couple_id)
    return _recent(db, cid, int(limit))


# -- in-session hand-over -----------------------------------------------------------------------
class AlreadyCheckedIn(TandemError):
    """The partner already sent this period's check-in: a hand-over would make a second one."""


def _period_at(db: Database | Tx, couple_id: int, instant: datetime) -> schedule.Period | None:
    """The couple's schedule period holding an instant (None: no schedule running then)."""
    plan = get_schedule(db, couple_id)
    return schedule.period_at(plan, instant) if plan is not None else None


@audited("create", "hand-over")
def start_handover(
    db: Database, actor: Actor, couple_id: Any, partner_id: Any, now: datetime | None = None
) -> str:
    """Lock this sign-in to one partner's check-in; returns the form's token (never shown).

    Not for a partner who already sent this period's check-in (AlreadyCheckedIn). Started again
    for the same partner in the same period (or, without a schedule, within a hand-over's
    lifetime), it continues their unsent hand-over answers.
    """
    cid = couples.check_active(db, actor, couple_id)
    partner = _partner(db, cid, partner_id)
    if actor.session_id is None:
        raise ValidationError({"handover": "Sign in again before handing the device over."})
    now = now or utcnow()
    current = _period_at(db, cid, now)
    if current is not None and db.scalar(
        "checkins/partner_submitted_since", partner_id=partner["id"], since=current.start_utc
    ):
        raise AlreadyCheckedIn(
            f"{partner['name']} already sent the check-in for this period, so there is nothing "
            f"to fill in now. The next one opens on {_day(current.end_local)}."
        )
    since = current.start_utc if current is not None else now - timedelta(hours=HANDOVER_HOURS)
    token = secrets.token_urlsafe(links.TOKEN_BYTES)

    def write(tx: Tx) -> None:
        link_id = tx.scalar(
            "checkins/insert_link",
            couple_id=cid,
            partner_id=partner["id"],
            instrument_id=CHECKIN,
            instrument_version=instruments.load(CHECKIN).version,
            token_hash=links.hash_token(token),
            created_by=actor.counselor_id,
            now=now,
            expires_at=now + timedelta(hours=HANDOVER_HOURS),
            origin="handover",
            standing_link_id=None,
        )
        draft = tx.one(
            "handover/draft", couple_id=cid, partner_id=partner["id"], since=since, link_id=link_id
        )
        if draft is not None:
            _move_draft(tx, cid, draft["id"], link_id, now)
        tx.all(
            "handover/put",
            auth_session_id=actor.session_id,
            counselor_id=actor.counselor_id,
            couple_id=cid,
            partner_id=partner["id"],
            link_id=link_id,
            now=now,
        )

    db.write(write)
    return token


def active_handover(db: Database, actor: Actor) -> dict[str, Any] | None:
    """The hand-over this sign-in is locked to (partner name, link state), or None."""
    if actor.session_id is None:
        return None
    return db.one("handover/get", auth_session_id=actor.session_id)


def _paused_message(until: datetime, now: datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))  # rounded up
    return (
        "After several wrong passwords this box is paused for "
        f"{minutes} more minute{'s' if minutes != 1 else ''}. Please try again then."
    )


def _confirm_counselor(
    db: Database, actor: Actor, current: dict[str, Any], password: Any, now: datetime
) -> None:
    """The counselor's own password, for taking the device back; ValidationError otherwise.

    Wrong tries count only towards this hand-over's own limit (a pause of the box, never of the
    account) and each is recorded in the audit trail, as a refused sign-in is. Tries for one
    hand-over take turns, as sign-ins do (accounts.turn): sent at once from several tabs, each
    would have read the box as not paused.
    """
    with accounts.turn(f"handover:{actor.session_id}"):
        current = db.one("handover/get", auth_session_id=actor.session_id) or current
        _check_counselor(db, actor, current, password, now)


def _check_counselor(
    db: Database, actor: Actor, current: dict[str, Any], password: Any, now: datetime
) -> None:
    paused = current.get("end_paused_until")
    if paused is not None and paused > now:
        audit.record(
            db,
            actor,
            "handover_end_failed",
            couple_id=current["couple_id"],
            detail="paused after failures",
            now=now,
        )
        raise ValidationError({"password": _paused_message(paused, now)})
    if accounts.password_is_right(db, actor.counselor_id, password):
        return

    def write(tx: Tx) -> tuple[int, datetime | None]:
        row = tx.one("handover/get", auth_session_id=actor.session_id) or current
        last = row.get("end_failed_at")
        recent = last is not None and last >= now - HANDOVER_FAILURE_WINDOW
        failures = (row.get("end_failures") or 0) + 1 if recent else 1
        paused_until = None
        if failures >= HANDOVER_FREE_TRIES:
            paused_until = now + HANDOVER_PAUSE
        tx.all(
            "handover/end_failed",
            auth_session_id=actor.session_id,
            failures=0 if paused_until else failures,
            now=now,
            paused_until=paused_until,
        )
        return failures, paused_until

    failures, paused_until = db.write(write)
    audit.record(
        db,
        actor,
        "handover_end_failed",
        couple_id=current["couple_id"],
        detail="wrong password" + ("; box paused" if paused_until else ""),
        now=now,
    )
    if paused_until is not None:
        raise ValidationError({"password": _paused_message(paused_until, now)})
    left = HANDOVER_FREE_TRIES - failures
    raise ValidationError(
        {
            "password": "That password is not right. "
            f"{left} more tr{'ies' if left != 1 else 'y'} before this box pauses for a while."
        }
    )


def end_handover(
    db: Database, actor: Actor, password: Any = None, now: datetime | None = None
) -> None:
    """Give the device back: always the counselor's own password, also once the form is sent,
    so nobody holding the device reaches the counselor's pages without it. An unsent form stops
    working (its answers stay, for a hand-over started again); a sent one leaves the partner
    no other open check-in for its period."""
    current = active_handover(db, actor)
    if current is None:
        return
    now = now or utcnow()
    _confirm_counselor(db, actor, current, password, now)
    sent = current["submitted_at"]
    period = _period_at(db, current["couple_id"], sent) if sent is not None else None

    def write(tx: Tx) -> None:
        tx.all("links/revoke", link_id=current["link_id"], couple_id=current["couple_id"], now=now)
        if period is not None:
            tx.all(
                "checkins/close_period_links",
                couple_id=current["couple_id"],
                partner_id=current["partner_id"],
                since=period.start_utc,
                now=now,
            )
        tx.all("handover/delete", auth_session_id=actor.session_id)
        # Recorded here, naming the couple: the decorator's entry named none (the function is
        # given no couple), and "who handled couple 12" missed it (an owner's walkthrough).
        audit.record(
            tx,
            actor,
            "update",
            couple_id=current["couple_id"],
            obj="hand-over",
            detail="ended, the form sent" if sent is not None else "ended, the form not sent",
            now=now,
        )

    db.write(write)


@audited("update", "hand-over")
def resume_handover(db: Database, actor: Actor, password: Any, now: datetime | None = None) -> str:
    """After a reload lost the form's token: with the counselor's password, the same partner's
    check-in opens again where it was (a fresh token carrying its answers); the new token."""
    current = active_handover(db, actor)
    if current is None:
        raise ValidationError({"handover": "This device is not handed over any more."})
    now = now or utcnow()
    _confirm_counselor(db, actor, current, password, now)
    return start_handover(db, actor, current["couple_id"], current["partner_id"], now=now)
