"""Calendar dates a counselor picks or types: cleaned to `datetime.date`, shown one way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import utcnow
from core.schedule import valid_timezone

# Dates outside this window are typing mistakes (a roadmap reaches back to a first job and
# forward to retirement plans, not centuries).
EARLIEST = date(1900, 1, 1)
LATEST = date(2150, 12, 31)


def clean_date(value: Any) -> date | None:
    """A date from a date widget, a datetime or an ISO 'YYYY-MM-DD' string; blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        # The whole text must be a date (or a date and time): "2024-02-03<script>" is not.
        try:
            value = datetime.fromisoformat(value.strip()).date()
        except ValueError:
            raise ValueError("is not a date (use YYYY-MM-DD)") from None
    if not isinstance(value, date):
        raise ValueError("is not a date")
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"must be between {EARLIEST.year} and {LATEST.year}")
    return value


def local(value: Any, timezone: str | None) -> Any:
    """A stored time (UTC, naive) as the wall clock in `timezone` reads it; anything else, or
    no time zone, unchanged. A check-in sent at 05:50 on 24 Nov in Singapore is 21:50 on 23 Nov
    in UTC: shown in UTC, it seemed to come before its own period (24 Nov – 7 Dec)."""
    if not timezone or not isinstance(value, datetime):
        return value
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def local_or_utc(value: Any, timezone: str | None) -> Any:
    """`local`, or the value unchanged (UTC) if `timezone` is not a zone this server knows (a
    browser may send any text: "America" is a folder of zones)."""
    return local(value, timezone) if timezone and valid_timezone(timezone) else value


def zone_or_utc(timezone: str | None) -> str:
    """`timezone` if this server knows it (an IANA name), else "UTC": a name to hand to SQL's
    AT TIME ZONE, which fails on one it does not know."""
    return timezone if timezone and valid_timezone(timezone) else "UTC"


def same_clock(a: str | None, b: str | None, now: datetime | None = None) -> bool:
    """True when two time zones (None, or a name this server does not know: UTC) read the same
    wall clock now: "US/Pacific" and "America/Los_Angeles" are one clock under two names."""
    moment = now or utcnow()
    return local_or_utc(moment, a) == local_or_utc(moment, b)


def today_in(timezone: str | None, now: datetime | None = None) -> date:
    """Today on the wall clock of `timezone` (an IANA name: the counselor's browser's), or in
    UTC without one (or with a name this server does not know). The server's own date is UTC's:
    in Sydney's morning it is still yesterday there, in Chicago's evening already tomorrow."""
    return local_or_utc(now or utcnow(), timezone).date()


def shown(value: date | datetime | None, empty: str = "—") -> str:
    """A date as people read it in Tandem: 7 Mar 2027."""
    if value is None:
        return empty
    return f"{value.day} {value:%b %Y}"
