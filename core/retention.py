"""Retention: archived couples kept past the practice's retention period, listed for an admin
and erased for good on the admin's typed confirmation (DOMAIN.md: the admin's retention job).

A couple counts once it has been archived, with nothing recorded for it since (a session, a
check-in, a link, a ledger event, a season, a roadmap entry, a decision, an agreement's
version, or a change to the couple itself), for longer than the period
(`Settings.retention_years`, 7 by default: many jurisdictions ask counselors to keep records
for some years after the last contact; the practice sets its own). Nothing is erased on its
own: the list waits for the admin, who types how many couples go. Each erasure is the same as
"Delete for good" on a couple's page (every table that holds the couple's data) and leaves a
row in the audit trail without the couple's names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core import couples
from core.accounts import Actor, require_admin
from core.audit import audited
from core.clock import utcnow
from core.db import Database, Tx
from core.errors import ValidationError
from core.settings import RETENTION_YEARS_RANGE

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Due:
    """An archived couple past the retention period."""

    couple_id: int
    label: str
    counselor_name: str
    archived_at: datetime  # UTC, as stored


def period(years: float) -> str:
    """A retention period in words: 7 years, 1 year, 2.5 years."""
    return f"{years:g} year{'' if years == 1 else 's'}"


def cutoff(years: float, now: datetime | None = None) -> datetime:
    """Couples archived before this moment are past a period of `years`, which must be one a
    practice may set (settings.RETENTION_YEARS_RANGE): a caller passing 0 would have erased
    inside the period without the reason it needs (a privacy review)."""
    low, high = RETENTION_YEARS_RANGE
    if isinstance(years, bool) or not isinstance(years, int | float) or not low <= years <= high:
        raise ValueError(f"a retention period is {low} to {high} years, not {years!r}")
    return (now or utcnow()) - timedelta(days=round(years * DAYS_PER_YEAR))


def confirmation(count: int) -> str:
    """What the admin types to erase `count` couples: ERASE 3."""
    return f"ERASE {count}"


@audited("view", "couples past retention")
def due(db: Database, actor: Actor, years: float, now: datetime | None = None) -> list[Due]:
    """Admin: archived couples past the retention period of `years`, oldest first."""
    require_admin(actor)
    return [_due(r) for r in db.all("retention/due", cutoff=cutoff(years, now))]


def _due(row: dict[str, Any]) -> Due:
    return Due(
        row["id"],
        couples.label(row["name_1"], row["name_2"]),
        row["counselor_name"],
        row["archived_at"],
    )


def erase_due(
    db: Database,
    actor: Actor,
    years: float,
    couple_ids: list[int],
    typed: str,
    now: datetime | None = None,
) -> int:
    """Admin: erase the listed couples that are still past the period (one restored or
    changed meanwhile is kept), after `typed` matches confirmation(len(couple_ids)). Returns
    how many were erased; all of them or none (one transaction)."""
    require_admin(actor)
    wanted = {int(i) for i in couple_ids}
    if not isinstance(typed, str) or " ".join(typed.split()).upper() != confirmation(len(wanted)):
        raise ValidationError(
            {"confirm": f"Type {confirmation(len(wanted))} to erase these couples for good."}
        )
    rule = f"retention: archived more than {period(years)}"

    def write(tx: Tx) -> int:
        still = [r["id"] for r in tx.all("retention/due", cutoff=cutoff(years, now))]
        gone = [cid for cid in still if cid in wanted]
        for cid in gone:
            couples.erase(tx, actor, cid, rule)
        return len(gone)

    return db.write(write)
