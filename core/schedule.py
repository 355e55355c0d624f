"""Check-in periods: when each period starts, and whether a partner is done, due or overdue.

Pure functions. Times in and out are naive UTC (what TIMESTAMP columns store); a schedule
lives in a time zone and steps *local dates* from its anchor: a weekly period always starts at
local midnight on the same weekday, whatever DST does, and a monthly one on the anchor's day of
the month (the month's last day when it is shorter), computed from the anchor each time so a
31st never drifts to the 28th for good.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

CADENCES = {
    "weekly": "Every week",
    "fortnightly": "Every two weeks",
    "monthly": "Every month",
    "off": "Off",
}
STEP_DAYS = {"weekly": 7, "fortnightly": 14}
# Days into a period before a missing check-in counts as overdue: about half a period, so a
# partner who answers a little late is "due", not flagged.
GRACE_DAYS = {"weekly": 3, "fortnightly": 5, "monthly": 7}
DEFAULT_TIMEZONE = "UTC"

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
NOT_STARTED = "not_started"
OFF = "off"
STATE_LABELS = {
    DONE: "Done for this period",
    DUE: "Due",
    OVERDUE: "Overdue",
    NOT_STARTED: "Not started yet",  # the first period may be weeks or years away
    OFF: "No schedule",
}


@cache
def timezones() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows, sorted (read once)."""
    return tuple(sorted(available_timezones() | {DEFAULT_TIMEZONE}))


@cache
def zone(name: str) -> ZoneInfo:
    """The time zone of an IANA name, kept for the process: ZoneInfo itself keeps only eight
    zones for sure, so a caseload spread over more re-read zone files on every rerun (issue 6)."""
    return ZoneInfo(name)


def valid_timezone(name: str) -> bool:
    """True for an IANA time zone name this machine knows."""
    if not isinstance(name, str) or name not in timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Schedule:
    """A couple's cadence, the local date of its first period, and its time zone."""

    cadence: str
    anchor: date
    timezone: str = DEFAULT_TIMEZONE
    # When this cadence and first day took effect (UTC; None: counted from the first day).
    # A period that ended before it was never asked for, so it is not missed.
    since: datetime | None = None

    @property
    def active(self) -> bool:
        """False when check-ins are switched off."""
        return self.cadence in STEP_DAYS or self.cadence == "monthly"

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.timezone)


@dataclass(frozen=True)
class Period:
    """One check-in period: [start, end) as local dates and as naive UTC instants."""

    index: int
    start_local: date
    end_local: date  # the next period's first day
    start_utc: datetime
    end_utc: datetime


def local_midnight_utc(day: date, timezone: str) -> datetime:
    """The naive UTC instant at which `day` begins in `timezone`.

    Where midnight does not exist (a DST jump at 00:00), PEP 495 reads it with the offset from
    before the jump, which is the first instant of that day.
    """
    local = datetime(day.year, day.month, day.day, tzinfo=zone(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def local_date(instant_utc: datetime, timezone: str) -> date:
    """The calendar date of a naive UTC instant in `timezone`."""
    return instant_utc.replace(tzinfo=UTC).astimezone(zone(timezone)).date()


def _add_months(anchor: date, months: int) -> date:
    """The anchor's day of the month, `months` later (the month's last day if shorter)."""
    total = anchor.year * 12 + (anchor.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor.day, last))


def period_start(schedule: Schedule, index: int) -> date:
    """The local date period `index` starts (0 is the anchor; negative is before it)."""
    if schedule.cadence == "monthly":
        return _add_months(schedule.anchor, index)
    return schedule.anchor + timedelta(days=STEP_DAYS[schedule.cadence] * index)


def _index_on(schedule: Schedule, day: date) -> int:
    """The index of the period containing local date `day`."""
    if schedule.cadence == "monthly":
        months = (day.year - schedule.anchor.year) * 12 + (day.month - schedule.anchor.month)
        return months if period_start(schedule, months) <= day else months - 1
    return (day - schedule.anchor).days // STEP_DAYS[schedule.cadence]


def period(schedule: Schedule, index: int) -> Period:
    """Period `index` with its UTC bounds."""
    start, end = period_start(schedule, index), period_start(schedule, index + 1)
    return Period(
        index=index,
        start_local=start,
        end_local=end,
        start_utc=local_midnight_utc(start, schedule.timezone),
        end_utc=local_midnight_utc(end, schedule.timezone),
    )


def period_at(schedule: Schedule, instant_utc: datetime) -> Period | None:
    """The period containing a UTC instant; None when off or before the first period."""
    if not schedule.active:
        return None
    index = _index_on(schedule, local_date(instant_utc, schedule.timezone))
    return period(schedule, index) if index >= 0 else None


@dataclass(frozen=True)
class PartnerStatus:
    """Where one partner stands: done / due / overdue / not started / off."""

    state: str
    due_since: datetime | None = None  # UTC instant the missing check-in became due
    overdue_days: int = 0  # whole days since it became due
    next_opens: datetime | None = None  # UTC start of the next period
    # The first UTC instant at which this status may no longer hold (the next period, the
    # grace ending, another whole day overdue); None: it holds until a check-in or the
    # schedule changes. Lets a caller keep a judgement instead of making it again each minute.
    changes_at: datetime | None = None

    @property
    def label(self) -> str:
        """In words, e.g. 'Overdue by 12 days'."""
        if self.state == OVERDUE:
            days = self.overdue_days
            return f"Overdue: due {days} day{'s' if days != 1 else ''} ago"
        return STATE_LABELS[self.state]


def partner_status(
    schedule: Schedule | None, last_submitted: datetime | None, now: datetime
) -> PartnerStatus:
    """Done, due or overdue, computed from the partner's last submission.

    Due since the start of the first period after the one their last check-in fell in (or the
    first period, if they never checked in); overdue once that is GRACE_DAYS old.
    """
    if schedule is None or not schedule.active:
        return PartnerStatus(OFF)
    current = period_at(schedule, now)
    if current is None:
        first = period(schedule, 0).start_utc
        return PartnerStatus(NOT_STARTED, next_opens=first, changes_at=first)
    next_opens = period(schedule, current.index + 1).start_utc
    if last_submitted is not None and last_submitted >= current.start_utc:
        return PartnerStatus(DONE, next_opens=next_opens, changes_at=next_opens)
    first_missing = 0
    if last_submitted is not None:
        last_period = period_at(schedule, last_submitted)
        first_missing = max(0, last_period.index + 1) if last_period else 0
    due_since = period(schedule, first_missing).start_utc
    if schedule.since is not None and due_since < schedule.since:
        due_since = schedule.since  # a new schedule: due from when it was set, not before
    overdue_at = due_since + timedelta(days=GRACE_DAYS[schedule.cadence])
    if now >= overdue_at:
        days = (now - due_since).days
        another_day = due_since + timedelta(days=days + 1)
        return PartnerStatus(
            OVERDUE, due_since, max(days, 1), next_opens, min(next_opens, another_day)
        )
    return PartnerStatus(DUE, due_since, 0, next_opens, min(next_opens, overdue_at))
