"""Caseload alerts: rules over each couple's recent check-ins, balance, schedule and reviews.

Every rule gives a one-line reason the counselor can read at a glance. The inputs for *all* of
a counselor's couples (or the whole practice) come from a handful of SQL queries, never one
per couple (`gather`); the rules themselves are pure functions of those signals, each tested
firing and not firing (tests/core/test_alerts.py).

Review dates come from REVIEW_SOURCES: one query (sql/caseload/reviews.sql) gives the review
dates of seasons, live agreements and open decisions (their follow-up), passed or to come, so
the caseload's "Next review" is the soonest of them all and "Review date passed" names those
gone by. Add a
source by appending a function (db, actor, scope, couple_ids, today) -> [Review].
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from core import equity, instruments, safety, schedule, trends
from core.accounts import Actor
from core.audit import audited
from core.checkin_rows import CHECKIN
from core.clock import utcnow
from core.dates import local_or_utc, shown, today_in
from core.db import Database
from core.kept import Kept

# -- thresholds (each the rule behind a number) ---------------------------------------------------
# Sustained yielding: the balance has leaned the same way by at least this much (of 100) today,
# 13 weeks ago and 26 weeks ago. 50 is a year of steadying while the other's career leads.
SUSTAINED_BALANCE = 50.0
# Decisions alone: at least this many check-ins in 90 days report the last big decision as
# made mostly by one partner, and they outnumber the reports of deciding together.
DECISIONS_ALONE_MIN = 2
# Resentment rising: over a partner's last RESENTMENT_WINDOW check-ins (at least
# RESENTMENT_MIN_POINTS of them), the fitted line climbs by RESENTMENT_RISE points or more
# (of 10) and the latest answer is at least RESENTMENT_FLOOR: rising, and not trivially low.
RESENTMENT_WINDOW = 6
RESENTMENT_MIN_POINTS = 4
RESENTMENT_RISE = 2.0
RESENTMENT_FLOOR = 4
# Perceptions diverging (last 8 weeks): one partner's guess of how fair things feel to the
# other is, on average over the check-in periods both answered, this far (of 10) from what the
# other said in the same period (pair by pair: two 8-week means let a guess too low one week
# and too high the next cancel out); or both claim the bigger share of the home load, their
# two shares adding up to 100 + LOAD_OVERCLAIM or more.
PERCEPTION_GAP = 4.0
LOAD_OVERCLAIM = 30.0
# Satisfaction: the latest CSI-4 below its published cut-off (read from instruments/csi4.toml),
# or the last two check-ins both below the mean of the first three of the last 26 weeks by
# more than the partner's reliable change (two in a row and a mean as the reference, so one
# noisy answer does not raise it). Needs DROP_MIN_CHECKINS in the 26 weeks.
DROP_MIN_CHECKINS = 5
# Safety: a counselor-only safety answer on the unhealthy side in the last SAFETY_DAYS.
SAFETY_DAYS = 60
# Trend arrow on the caseload: a partner's CSI-4 fitted over their last 90 days (at least
# TREND_MIN_CHECKINS check-ins) moving 0.75 points a month or more (over two in the window);
# the arrow names the partner whose satisfaction moves most.
TREND_STEADY_PER_MONTH = 0.75
TREND_MIN_CHECKINS = 4

SAFETY, LOW, DROP, RESENTMENT, ALONE, DIVERGING, YIELDING, OVERDUE, REVIEW = (
    "safety",
    "satisfaction_low",
    "satisfaction_drop",
    "resentment_rising",
    "decisions_alone",
    "perceptions_diverging",
    "sustained_yielding",
    "checkin_overdue",
    "review_passed",
)
# Higher first on the caseload: safety, then the validated measure, then patterns, then admin.
SEVERITY = {
    SAFETY: 4,
    LOW: 3,
    DROP: 3,
    RESENTMENT: 2,
    ALONE: 2,
    DIVERGING: 2,
    YIELDING: 2,
    OVERDUE: 1,
    REVIEW: 1,
}
_RANK = {rule: i for i, rule in enumerate(SEVERITY)}  # among equals, in this order
# A few words per rule, for a caseload row (the full reason is one click away).
TITLES = {
    SAFETY: "Safety answer",
    LOW: "Below CSI-4 cut-off",
    DROP: "Satisfaction dropped",
    RESENTMENT: "Resentment rising",
    ALONE: "Deciding alone",
    DIVERGING: "Views diverging",
    YIELDING: "One-sided for 6+ months",
    OVERDUE: "Check-in overdue",
    REVIEW: "Review date passed",
}
SORT_ATTENTION = "attention"
SORT_LABEL = "Needs attention"
UP, DOWN, STEADY = "up", "down", "steady"
TREND_ARROWS = {UP: "↗", DOWN: "↘", STEADY: "→"}


@dataclass(frozen=True)
class Alert:
    """One rule that fired, with the reason in one line."""

    rule: str
    reason: str

    @property
    def severity(self) -> int:
        return SEVERITY[self.rule]

    @property
    def title(self) -> str:
        return TITLES[self.rule]


@dataclass(frozen=True)
class Review:
    """A review date: what is to be reviewed and when."""

    couple_id: int
    what: str
    review_on: date
    kind: str = ""  # what kind of review, in a word or two ("Season", "Follow-up")


@dataclass
class CoupleSignals:
    """Everything the rules read about one couple (partners in display order)."""

    couple_id: int
    partners: list[dict[str, Any]] = field(default_factory=list)
    raw_now: float = 0.0
    raw_13w: float = 0.0
    raw_26w: float = 0.0
    schedule: schedule.Schedule | None = None
    reviews: list[Review] = field(default_factory=list)
    # The time zone of the person reading the alerts (their browser's), which dates what they
    # say; None: UTC. Set per reading (`summaries(zone=…)`), never stored with the signals.
    shown_zone: str | None = None

    def name(self, i: int) -> str:
        return self.partners[i]["name"]

    def day(self, value: datetime) -> str:
        """A stored time (UTC) as the reader dates it: 24 Nov 2026."""
        return shown(local_or_utc(value, self.shown_zone))

    def today(self, now: datetime) -> date:
        """The reader's date at `now` (review dates are the counselor's days, as the
        Agreements and Seasons pages count them)."""
        return _reader_clock(self.shown_zone, now)[0]

    def next_midnight(self, now: datetime) -> datetime:
        """The next midnight on the reader's clock, as a naive UTC instant."""
        return _reader_clock(self.shown_zone, now)[1]


@lru_cache(maxsize=64)  # one reader and moment for every couple judged in one call
def _reader_clock(zone: str | None, now: datetime) -> tuple[date, datetime]:
    """The reader's date at `now`, and their next midnight as a naive UTC instant."""
    known = zone if zone and schedule.valid_timezone(zone) else "UTC"
    today = today_in(known, now)
    return today, schedule.local_midnight_utc(today + timedelta(days=1), known)


@dataclass(frozen=True)
class Summary:
    """A couple's line on the caseload: alerts, last check-in, trend, next review."""

    couple_id: int
    alerts: tuple[Alert, ...]
    last_checkin: datetime | None
    trend: tuple[str, str] | None  # (UP / DOWN / STEADY, whose satisfaction moves)
    next_review: Review | None
    zone: str | None = None  # the reader's time zone, as CoupleSignals.shown_zone

    @property
    def last_checkin_on(self) -> date | None:
        """The day of the last check-in on the reader's clock, as the alerts and the couple's
        pages date it (in UTC a Sydney morning's check-in was the day before)."""
        return local_or_utc(self.last_checkin, self.zone).date() if self.last_checkin else None

    @property
    def trend_label(self) -> str:
        """'↘ Katie', '↗ Rachel', '→ steady' or '—'."""
        if self.trend is None:
            return "—"
        direction, who = self.trend
        return "→ steady" if direction == STEADY else f"{TREND_ARROWS[direction]} {who}"

    @property
    def severity(self) -> int:
        return max((a.severity for a in self.alerts), default=0)

    @cached_property
    def urgency(self) -> tuple:
        """Sort key, most urgent first: worst alert, number of alerts, longest silence. Made
        once per summary: a kept summary (`summaries`) sorts the admin's 2,000 couples on every
        caseload view."""
        silence = self.last_checkin or datetime.min
        return (-self.severity, -len(self.alerts), silence)


# -- the rules --------------------------------------------------------------------------------------
def _safety(s: CoupleSignals, now: datetime) -> Alert | None:
    hits = [p for p in s.partners if p.get("safety_at")]
    if not hits:
        return None
    who = " and ".join(_answered_by(s, p) for p in hits)
    return Alert(
        SAFETY, f"Safety question answered with concern by {who}: read it before the session."
    )


def _answered_by(s: CoupleSignals, p: dict[str, Any]) -> str:
    """'Zoë (4 Nov 2026)', or with the form that was not a check-in: '…, in “Getting started”';
    then any other form of hers that called for attention in the window: a walkthrough's intake
    ("thinking of ending: yes", a private note) went unmentioned once a check-in had a concern.
    """

    def when(at: Any, form: str | None) -> str:
        return f"{s.day(at)}, in “{form}”" if form else s.day(at)

    also = sorted(p.get("safety_also", ()), key=lambda hit: hit[0], reverse=True)
    more = f"; also {'; '.join(when(*hit) for hit in also)}" if also else ""
    return f"{p['name']} ({when(p['safety_at'], p.get('safety_form'))}{more})"


def _satisfaction_low(s: CoupleSignals, now: datetime) -> Alert | None:
    cutoff = trends.csi_cutoff()
    low = [p for p in s.partners if p.get("csi_latest") is not None and p["csi_latest"] < cutoff]
    if not low:
        return None
    who = ", ".join(f"{p['name']} {p['csi_latest']:g}" for p in low)
    return Alert(LOW, f"Satisfaction below the CSI-4 cut-off of {cutoff:g} (of 21): {who}.")


def _satisfaction_drop(s: CoupleSignals, now: datetime) -> Alert | None:
    lines = []
    for p in s.partners:
        latest, earlier = p.get("csi_latest"), p.get("csi_earlier")
        previous = p.get("csi_previous")
        limit = trends.threshold(p.get("csi_rmssd"), p.get("csi_steps"))
        if latest is None or earlier is None or previous is None or limit is None:
            continue
        if (p.get("csi_window_n") or 0) < DROP_MIN_CHECKINS:
            continue
        if earlier - max(latest, previous) >= limit:
            lines.append(
                f"{p['name']} from about {earlier:.0f} "
                f"(from {s.day(p['csi_earlier_at'])}) "
                f"to {previous:g} and {latest:g}"
            )
    if not lines:
        return None
    return Alert(
        DROP,
        "Satisfaction fell by more than a reliable change (computed from their own check-ins, "
        f"not a published figure): {'; '.join(lines)}.",
    )


def _resentment(s: CoupleSignals, now: datetime) -> Alert | None:
    lines = []
    for p in s.partners:
        n, slope, span = (
            p.get("resentment_n") or 0,
            p.get("resentment_slope"),
            p.get("resentment_span_days"),
        )
        latest = p.get("resentment_latest")
        if n < RESENTMENT_MIN_POINTS or slope is None or not span or latest is None:
            continue
        if slope * span >= RESENTMENT_RISE and latest >= RESENTMENT_FLOOR:
            first = p.get("resentment_first")
            start = f"{first:g} → " if first is not None else ""
            lines.append(f"{p['name']} {start}{latest:g} over the last {n} check-ins")
    if not lines:
        return None
    return Alert(RESENTMENT, f"Resentment rising (of 10): {'; '.join(lines)}.")


def _decisions_alone(s: CoupleSignals, now: datetime) -> Alert | None:
    alone = sum(p.get("decided_alone") or 0 for p in s.partners)
    together = sum(p.get("decided_together") or 0 for p in s.partners)
    if alone < DECISIONS_ALONE_MIN or alone <= together:
        return None
    who = ", ".join(
        f"{p['name']} {p['decided_alone']}×" for p in s.partners if p.get("decided_alone")
    )
    return Alert(
        ALONE,
        f"Big decisions reported as made alone in {alone} of {alone + together} recent "
        f"check-ins that named one ({who}, last 90 days).",
    )


def _diverging(s: CoupleSignals, now: datetime) -> Alert | None:
    if len(s.partners) != 2:
        return None
    lines = []
    for me, other in ((0, 1), (1, 0)):
        p = s.partners[me]
        gap, periods = p.get("guess_gap_8w"), p.get("guess_periods_8w") or 0
        if gap is None or gap < PERCEPTION_GAP:
            continue
        line = (
            f"{s.name(me)} thinks it feels {_score(p['guess_latest'])}/10 fair to "
            f"{s.name(other)}, who says {_score(p['felt_latest'])}/10"
        )
        if periods > 1:  # one pair: its own gap is the whole story
            line += (
                f" ({_score(gap)} points apart on average over the {periods} check-ins both sent)"
            )
        lines.append(line)
    shares = [p.get("load_share_8w") for p in s.partners]
    if all(x is not None for x in shares) and sum(shares) - 100 >= LOAD_OVERCLAIM:
        lines.append(
            f"both see themselves carrying most of the home load "
            f"({s.name(0)} {shares[0]:.0f}%, {s.name(1)} {shares[1]:.0f}%)"
        )
    if not lines:
        return None
    return Alert(DIVERGING, f"Perceptions diverging (last 8 weeks): {'; '.join(lines)}.")


def _score(value: float) -> str:
    """A 0-10 answer, or a mean of them, as said in a reason: 7, 5.5."""
    return f"{round(value, 1):g}"


def _sustained(s: CoupleSignals, now: datetime) -> Alert | None:
    points = [float(equity.to_balance(r)) for r in (s.raw_now, s.raw_13w, s.raw_26w)]
    if all(b >= SUSTAINED_BALANCE for b in points):
        who = s.name(0)
    elif all(b <= -SUSTAINED_BALANCE for b in points):
        who = s.name(1)
    else:
        return None
    return Alert(
        YIELDING,
        f"{who} has been giving more for at least six months "
        f"(equity balance {points[0]:+.0f} of 100 now, {points[2]:+.0f} six months ago).",
    )


def _overdue(s: CoupleSignals, statuses: list[schedule.PartnerStatus]) -> Alert | None:
    """Judged with each partner's check-in status (`_judge`), not from the time alone."""
    late = []
    for p, status in zip(s.partners, statuses, strict=True):
        if status.state == schedule.OVERDUE:
            late.append(f"{p['name']} (due {status.overdue_days} days ago)")
    if not late:
        return None
    return Alert(OVERDUE, f"Check-in overdue: {', '.join(late)}.")


def _review(s: CoupleSignals, now: datetime) -> Alert | None:
    passed = [r for r in s.reviews if r.review_on < s.today(now)]
    if not passed:
        return None
    first = min(passed, key=lambda r: r.review_on)
    more = f" and {len(passed) - 1} more" if len(passed) > 1 else ""
    return Alert(REVIEW, f"Review date passed: {first.what} (due {shown(first.review_on)}){more}.")


RULES: tuple[Callable[[CoupleSignals, datetime], Alert | None], ...] = (
    _safety,
    _satisfaction_low,
    _satisfaction_drop,
    _resentment,
    _decisions_alone,
    _diverging,
    _sustained,
    _review,
)  # and _overdue, which _judge gives the partners' check-in statuses


def evaluate(signals: CoupleSignals, now: datetime | None = None) -> list[Alert]:
    """Every rule that fires for one couple, most severe first."""
    return _judge(signals, now or utcnow())[0]


def _judge(signals: CoupleSignals, now: datetime) -> tuple[list[Alert], datetime]:
    """The couple's alerts at `now`, and the first instant they may be different with the same
    signals: the next change of a partner's check-in status, the reader's next midnight (review
    dates pass on their days), or the next UTC midnight (the signals are read again for a new
    day anyway)."""
    statuses = [
        schedule.partner_status(signals.schedule, p.get("last_at"), now) for p in signals.partners
    ]
    found = [a for rule in RULES if (a := rule(signals, now)) is not None]
    late = _overdue(signals, statuses)
    if late is not None:
        found.append(late)
    until = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    until = min(until, signals.next_midnight(now))
    until = min([until, *(st.changes_at for st in statuses if st.changes_at is not None)])
    return sorted(found, key=lambda a: (-a.severity, _RANK[a.rule])), until


# -- review date sources -------------------------------------------------------------------------
# How a review is named, by what it belongs to, in a reason ("Review date passed: …") and under
# the caseload's "Next review".
REVIEW_NAMES = {
    "season": "season “{}”",
    "agreement": "agreement “{}”",
    "decision": "follow-up of decision “{}”",
}
REVIEW_KINDS = {"season": "Season", "agreement": "Agreement", "decision": "Decision follow-up"}


def _reviews(db, actor, scope, couple_ids, today) -> list[Review]:
    """Every review date of the couples in scope, passed or to come, from one query. (An
    agreement's once counted only after its date had passed, and a decision's follow-up not at
    all: "Next review" showed a later season's review instead, a walkthrough found.)"""
    rows = db.all("caseload/reviews", **scope, today=today)
    return [
        Review(
            r["couple_id"],
            REVIEW_NAMES[r["source"]].format(r["title"] or "untitled"),
            r["review_on"],
            REVIEW_KINDS[r["source"]],
        )
        for r in rows
    ]


ReviewSource = Callable[[Database, Actor, dict, Iterable[int], date], list[Review]]
REVIEW_SOURCES: list[ReviewSource] = [_reviews]


# -- gathering, for the whole caseload at once -------------------------------------------------------
def _scope(actor: Actor, whole_practice: bool, couple_id: int | None) -> dict[str, Any]:
    return {
        "whole_practice": bool(whole_practice and actor.is_admin),
        "counselor_id": actor.counselor_id,
        "couple_id": couple_id,
    }


@audited("view", "caseload alerts")
def gather(
    db: Database,
    actor: Actor,
    *,
    whole_practice: bool = False,
    couple_id: int | None = None,
    now: datetime | None = None,
) -> dict[int, CoupleSignals]:
    """couple id -> signals, for the actor's couples (an admin: optionally the practice).

    A fixed number of queries whatever the caseload's size. `couple_id` narrows to one couple
    (whose access the caller has checked).
    """
    return _gather(db, actor, whole_practice, couple_id, now or utcnow())


def _gather(db: Database, actor: Actor, whole_practice: bool, couple_id, now: datetime):
    today = now.date()
    scope = _scope(actor, whole_practice, couple_id)
    out: dict[int, CoupleSignals] = {}
    for row in db.all(
        "caseload/partner_signals",
        **scope,
        since_26w=now - timedelta(weeks=26),
        since_90d=now - timedelta(days=90),
        since_8w=now - timedelta(weeks=8),
        since_safety=now - timedelta(days=SAFETY_DAYS),
        resentment_window=RESENTMENT_WINDOW,
    ):
        out.setdefault(row["couple_id"], CoupleSignals(row["couple_id"])).partners.append(row)
    _form_safety(db, scope, out, now - timedelta(days=SAFETY_DAYS))
    for row in db.all("caseload/equity", **scope, today=today, **equity.sql_parameters()):
        if row["couple_id"] in out:
            s = out[row["couple_id"]]
            s.raw_now, s.raw_13w, s.raw_26w = row["raw_now"], row["raw_13w"], row["raw_26w"]
    for row in db.all("caseload/schedules", **scope):
        if row["couple_id"] in out:
            out[row["couple_id"]].schedule = schedule.Schedule(
                row["cadence"], row["anchor_on"], row["timezone"], row["since"]
            )
    for source in REVIEW_SOURCES:
        for review in source(db, actor, scope, list(out), today):
            if review.couple_id in out:
                out[review.couple_id].reviews.append(review)
    return out


@lru_cache(maxsize=1)
def _private_items() -> tuple[str, ...]:
    """The counselor-only questions of every questionnaire but the check-in."""
    forms = [f for f in instruments.all_instruments() if f.id != CHECKIN]
    return tuple(sorted({i.id for f in forms for i in f.items if i.is_private}))


def _form_safety(db: Database, scope: dict[str, Any], out: dict[int, CoupleSignals], since):
    """A counselor-only answer on another questionnaire (the intake's last part) that calls for
    attention counts as a check-in's does: the partner's `safety_at` is the newest such
    submission in the safety window. One query for the whole scope."""
    items = _private_items()
    if not items or not out:
        return
    found: dict[int, dict[str, Any]] = {}
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in db.all("caseload/form_safety", **scope, since_safety=since, items=list(items)):
        found[row["link_id"]] = row
        answers[row["link_id"]][row["item_id"]] = json.loads(row["value_json"])
    partners = {p["partner_id"]: p for s in out.values() for p in s.partners}
    for link_id, row in found.items():
        p = partners.get(row["partner_id"])
        if p is None:
            continue
        try:
            form = instruments.load(row["instrument_id"])
        except instruments.InstrumentError:
            continue  # a questionnaire no longer installed: its answers are still on its page
        if not safety.flags(form, answers[link_id]):
            continue
        # Named by its title up to a colon: "Getting started", not its whole subtitle.
        hit = (row["submitted_at"], form.title.split(":")[0])
        if p.get("safety_at") is None:
            p["safety_at"], p["safety_form"] = hit
        elif hit[0] > p["safety_at"]:  # the newest leads; the one it replaces is named after
            p.setdefault("safety_also", []).append((p["safety_at"], p.get("safety_form")))
            p["safety_at"], p["safety_form"] = hit
        else:
            p.setdefault("safety_also", []).append(hit)


def _trend(s: CoupleSignals) -> tuple[str, str] | None:
    """The direction of satisfaction over 90 days: a worsening partner first, then improving."""
    moving = [
        (30 * p["csi_slope_per_day"], p["name"])
        for p in s.partners
        if p.get("csi_slope_per_day") is not None
        and (p.get("csi_n_90d") or 0) >= TREND_MIN_CHECKINS
    ]
    if not moving:
        return None
    worst, best = min(moving), max(moving)
    if worst[0] <= -TREND_STEADY_PER_MONTH:
        return DOWN, worst[1]
    if best[0] >= TREND_STEADY_PER_MONTH:
        return UP, best[1]
    return STEADY, ""


def summarise(signals: CoupleSignals, now: datetime, zone: str | None = None) -> Summary:
    """A couple's caseload line from its signals, dated for a reader in `zone`."""
    return _judged(signals, now, zone).summary


class _Judged(NamedTuple):
    """A couple's summary, made at `at`, the same until `until` (with the same signals)."""

    summary: Summary
    at: datetime
    until: datetime

    def holds_at(self, now: datetime, zone: str | None) -> bool:
        return self.at <= now < self.until and self.summary.zone == zone


def _judged(signals: CoupleSignals, now: datetime, zone: str | None = None) -> _Judged:
    signals = replace(signals, shown_zone=zone)  # a shallow copy: the kept signals stay as read
    lasts = [p["last_at"] for p in signals.partners if p.get("last_at")]
    today = signals.today(now)
    upcoming = [r for r in signals.reviews if r.review_on >= today]
    passed = [r for r in signals.reviews if r.review_on < today]
    next_review = min(passed or upcoming, key=lambda r: r.review_on, default=None)
    found, until = _judge(signals, now)
    summary = Summary(
        couple_id=signals.couple_id,
        alerts=tuple(found),
        last_checkin=max(lasts) if lasts else None,
        trend=_trend(signals),
        next_review=next_review,
        zone=zone,
    )
    return _Judged(summary, now, until)


# gather() reads every check-in in scope: ~0.2 s for a counselor with 150 couples and over a
# second for an admin's practice of 2,000 (issue 6), on every rerun of the caseload. So the
# signals are kept per actor and scope for the day (their time windows start at midnight UTC),
# and after a write only the couples it touched are read again (Database.couples_changed_since);
# a write that cannot say which couples it touched, or touched many, means reading all again.
# A couple's summary (where the time of day matters: overdue check-ins) is kept until a
# partner's check-in status may change (`_judge`), and until the next UTC midnight at the
# latest. It was made again for every couple each new minute: ~0.2 s of the admin's first
# caseload view in a minute.
REUSE_MAX = 64  # scopes kept; the least recently used is dropped first
# Above this many touched couples one read of the whole scope is cheaper (~15 ms per couple).
REFRESH_ONE_BY_ONE_MAX = 20
_reuse = Kept()  # scope -> _Kept


@dataclass
class _Kept:
    """One scope's signals as of `version` (Database.changes) and `day`, and its summaries."""

    version: int
    day: date
    signals: dict[int, CoupleSignals]
    made: dict[int, _Judged] | None = None


def _signals(db: Database, actor: Actor, whole_practice: bool, couple_id, now) -> _Kept:
    key = (
        db.instance,
        actor.counselor_id,
        actor.is_admin,
        bool(whole_practice and actor.is_admin),
        couple_id,
        tuple(REVIEW_SOURCES),
    )
    day = now.date()
    kept = _reuse.recall(key)
    version = db.changes  # read first: a write during the reads below shows up next time
    if kept is not None and kept.day == day:
        touched = db.couples_changed_since(kept.version)
        if touched is not None and not touched:
            return kept
    else:
        touched = None
    midnight = datetime.combine(day, datetime.min.time())
    if touched is None or len(touched) > REFRESH_ONE_BY_ONE_MAX:
        fresh = _Kept(version, day, _gather(db, actor, whole_practice, couple_id, midnight))
    else:
        signals = dict(kept.signals)
        made = dict(kept.made or {})
        for cid in touched:
            if couple_id is not None and cid != couple_id:
                continue
            signals.pop(cid, None)
            made.pop(cid, None)
            # Scoped like the whole read: a couple moved to another counselor drops out.
            signals.update(_gather(db, actor, whole_practice, cid, midnight))
        fresh = _Kept(version, day, signals, made)
    _reuse.keep(key, fresh, REUSE_MAX)
    return fresh


@audited("view", "caseload alerts")
def summaries(
    db: Database,
    actor: Actor,
    *,
    whole_practice: bool = False,
    couple_id: int | None = None,
    now: datetime | None = None,
    zone: str | None = None,
) -> dict[int, Summary]:
    """couple id -> caseload summary, for every couple in scope; what they say is dated for
    a reader in `zone` (their browser's time zone; None: UTC)."""
    now = now or utcnow()
    kept = _signals(db, actor, whole_practice, couple_id, now)
    with _reuse.lock:
        made = dict(kept.made or {})
    if made.keys() != kept.signals.keys() or not all(j.holds_at(now, zone) for j in made.values()):
        # Judge again the couples read again since, and those whose judgement has run out.
        made = {
            cid: made[cid]
            if cid in made and made[cid].holds_at(now, zone)
            else _judged(s, now, zone)
            for cid, s in kept.signals.items()
        }
        with _reuse.lock:
            kept.made = made
    return {cid: judged.summary for cid, judged in made.items()}


def as_shown(summary: Summary, status: str | None) -> Summary:
    """A couple's line as the counselor sees it: an archived couple keeps only a safety alert.

    Overdue check-ins, passed reviews and the patterns are about work in progress; a safety
    answer is never hidden, whatever the couple's status.
    """
    if status != "archived":
        return summary
    return replace(summary, alerts=tuple(a for a in summary.alerts if a.rule == SAFETY))


def by_urgency(rows: list[dict[str, Any]], found: dict[int, Summary]) -> list[dict[str, Any]]:
    """Caseload rows, the couple who needs attention first on top (stable for ties)."""
    empty = Summary(0, (), None, None, None)

    def key(row):
        summary = found.get(row["id"], empty)
        return summary.urgency

    return sorted(rows, key=key)
