"""The one source of 'now' (naive UTC), so tests can move time without sleeping."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time in UTC as a naive datetime, the form every TIMESTAMP column stores."""
    return datetime.now(UTC).replace(tzinfo=None)
