"""Equity over time: a running balance of who has been giving more, week by week.

A conversation aid, never a verdict: it only knows what was logged. The model, in full:

- Time runs in days. Each day adds a *signal* in "weeks' worth of giving"; positive means the
  first partner (in display order) gave, negative the second. The balance on a day is every
  earlier signal, faded: a day's giving counts half after HALF_LIFE_DAYS (a year), a quarter
  after two. Fading keeps old history from deciding today, and bounds the balance.
- Three signals, the same for both partners (swapping them mirrors the balance exactly):
  1. Seasons: each week of a season led by one partner's career is one week of giving by the
     other (1/7 a day). A balanced season, or no season, adds nothing.
  2. The ledger: each logged sacrifice counts once, on its date, by size (LEDGER_WEEKS).
     A repayment is its own event, logged from the other side, so it pulls the balance back.
  3. Home load: each partner's own check-in share of household and mental load. 50/50 adds
     nothing; all of it is one week of giving per week. Each partner's account is half of the
     signal, and a report stands until that partner's next one, for at most REPORT_STANDS_DAYS.
- The shown balance is 100 * tanh(raw / SCALE): it never leaves -100..100, and a year of
  steadying while the other's career leads (and nothing else) reads 50.

`series` computes it day by day (pure, for the chart). sql/caseload/equity.sql computes the
same raw balance in closed form for every couple at once (geometric sums), for the alerts;
tests/core/test_equity.py checks the two agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy and pandas load on first use: the sign-in page needs neither (issue 6)
    import numpy as np
    import pandas as pd

# A day's giving counts half after a year: a season two years back still shows, faintly.
HALF_LIFE_DAYS = 365.0
DECAY = 0.5 ** (1.0 / HALF_LIFE_DAYS)  # per day
# A week of steadying while the other's career leads = one week's worth.
SEASON_WEEKS_PER_WEEK = 1.0
# One logged sacrifice, in weeks' worth: small (a cancelled trip), medium (months of reduced
# hours), large (a move or a declined offer: about half a year of steadying).
LEDGER_WEEKS = {1: 2.0, 2: 8.0, 3: 26.0}
# Doing all of the home load (as both partners report it) = one week's worth per week.
LOAD_WEEKS_PER_WEEK = 1.0
# A partner's load report speaks for the weeks until their next one, at most eight.
REPORT_STANDS_DAYS = 56
# raw after one year of a one-sided season with nothing else logged; it reads as 50 on screen.
ONE_YEAR_ONE_SIDED = SEASON_WEEKS_PER_WEEK / 7 * (1 - DECAY**365) / (1 - DECAY)
SCALE = ONE_YEAR_ONE_SIDED / math.atanh(0.5)
EPOCH = date(1970, 1, 1)  # day numbers count from here (the SQL uses the same)


@dataclass(frozen=True)
class Inputs:
    """Everything the balance reads for one couple: partner ids in display order, seasons
    (lead_partner_id or None, starts_on, ends_on or None), ledger events (occurred_on,
    giver_partner_id, size) and load reports (partner_id, day, load_share 0-100, one per
    partner per day)."""

    first: int
    second: int
    seasons: tuple[Mapping[str, Any], ...] = ()
    events: tuple[Mapping[str, Any], ...] = ()
    loads: tuple[Mapping[str, Any], ...] = ()

    def swapped(self) -> Inputs:
        """The same history with the partners' display order swapped."""
        return Inputs(self.second, self.first, self.seasons, self.events, self.loads)

    def sign(self, partner_id: Any) -> float:
        """+1 for the first partner, -1 for the second, 0 for anyone else."""
        if partner_id == self.first:
            return 1.0
        if partner_id == self.second:
            return -1.0
        return 0.0

    def earliest(self) -> date | None:
        """The first day any signal starts."""
        days = [s["starts_on"] for s in self.seasons]
        days += [e["occurred_on"] for e in self.events]
        days += [r["day"] for r in self.loads]
        return min(days) if days else None


def inputs(
    partner_ids: Iterable[int],
    seasons: Iterable[Mapping[str, Any]] = (),
    events: Iterable[Mapping[str, Any]] = (),
    loads: Iterable[Mapping[str, Any]] = (),
) -> Inputs:
    """Inputs from rows as the queries return them (extra keys are ignored)."""
    first, second = list(partner_ids)
    return Inputs(first, second, tuple(seasons), tuple(events), tuple(loads))


def to_balance(raw: float | np.ndarray) -> float | np.ndarray:
    """The shown balance: raw weeks' worth squeezed into -100..100."""
    import numpy as np

    return 100.0 * np.tanh(np.asarray(raw, dtype=float) / SCALE)


def _day(value: Any) -> date:
    """A calendar date from a date, a datetime or a pandas Timestamp."""
    return value.date() if isinstance(value, datetime) else value


def signals(data: Inputs, first_day: date, last_day: date) -> dict[str, np.ndarray]:
    """Per-day signals (season, ledger, load) from first_day to last_day inclusive."""
    import numpy as np

    n = (last_day - first_day).days + 1
    season = np.zeros(n)
    ledger = np.zeros(n)
    load_first = np.zeros(n)
    load_second = np.zeros(n)
    per_day = SEASON_WEEKS_PER_WEEK / 7
    for s in data.seasons:
        # The steadying partner gives: the lead's sign, reversed.
        lead = s.get("lead_partner_id")
        sign = 0.0 if lead is None else -data.sign(lead)
        if sign == 0.0:
            continue
        start = max((_day(s["starts_on"]) - first_day).days, 0)
        end_day = _day(s["ends_on"]) if s.get("ends_on") is not None else last_day
        end = min((end_day - first_day).days, n - 1)
        if end >= start:
            season[start : end + 1] += sign * per_day
    for e in data.events:
        i = (_day(e["occurred_on"]) - first_day).days
        if 0 <= i < n:
            ledger[i] += data.sign(e["giver_partner_id"]) * LEDGER_WEEKS[int(e["size"])]
    by_partner: dict[Any, list[tuple[date, float]]] = {}
    for r in data.loads:
        if r.get("load_share") is None:
            continue
        by_partner.setdefault(r["partner_id"], []).append((_day(r["day"]), float(r["load_share"])))
    for partner, reports in by_partner.items():
        sign = data.sign(partner)
        if sign == 0.0:
            continue
        target = load_first if sign > 0 else load_second
        reports.sort()
        for k, (day, share) in enumerate(reports):
            stands = day + timedelta(days=REPORT_STANDS_DAYS - 1)
            if k + 1 < len(reports):
                stands = min(stands, reports[k + 1][0] - timedelta(days=1))
            start = max((day - first_day).days, 0)
            end = min((stands - first_day).days, n - 1)
            if end >= start:
                # Each partner's account is half the signal; the sign says whose share it is.
                target[start : end + 1] += sign * ((share - 50.0) / 50.0) * LOAD_WEEKS_PER_WEEK / 14
    return {"season": season, "ledger": ledger, "load": load_first + load_second}


def _faded(signal: np.ndarray) -> np.ndarray:
    """raw[n] = DECAY * raw[n-1] + signal[n]."""
    import numpy as np

    out = np.empty_like(signal)
    acc = 0.0
    for i, s in enumerate(signal.tolist()):
        acc = DECAY * acc + s
        out[i] = acc
    return out


COLUMNS = ["day", "raw", "balance", "season", "ledger", "load"]


def series(data: Inputs, end: date, start: date | None = None) -> pd.DataFrame:
    """The balance at the end of every week (Sundays) up to `end`, and on `end` itself.

    Columns: day, raw (weeks' worth), balance (-100..100), and the faded part of raw that
    comes from each signal (season, ledger, load). History before `start` still counts; only
    rows from `start` on are returned. No data gives zeros.
    """
    import pandas as pd

    first = data.earliest()
    begin = start or first or end
    first = min(first, begin) if first else begin
    if end < first:
        return pd.DataFrame(columns=COLUMNS)
    parts = signals(data, first, end)
    total = parts["season"] + parts["ledger"] + parts["load"]
    raw = _faded(total)
    days = pd.date_range(first, end, freq="D")
    keep = (days.day_of_week == 6) | (days == pd.Timestamp(end))
    keep &= days >= pd.Timestamp(begin)
    frame = pd.DataFrame(
        {
            "day": days[keep],
            "raw": raw[keep],
            "balance": to_balance(raw[keep]),
            "season": _faded(parts["season"])[keep],
            "ledger": _faded(parts["ledger"])[keep],
            "load": _faded(parts["load"])[keep],
        }
    )
    return frame.reset_index(drop=True)


def day_number(day: date) -> int:
    """Days since 1970-01-01, as the SQL counts them."""
    return (day - EPOCH).days


def sql_parameters() -> dict[str, float]:
    """The model's constants for sql/caseload/equity.sql (one source of truth: this module)."""
    return {
        "decay": DECAY,
        "season_per_day": SEASON_WEEKS_PER_WEEK / 7,
        "small": LEDGER_WEEKS[1],
        "medium": LEDGER_WEEKS[2],
        "large": LEDGER_WEEKS[3],
        "load_per_day": LOAD_WEEKS_PER_WEEK / 14,
        "stands_days": REPORT_STANDS_DAYS,
    }


def resample(frame: pd.DataFrame, bucket: str) -> pd.DataFrame:
    """Weekly rows as they are, or the last row of each month for a long range."""
    if bucket != "month" or frame.empty:
        return frame
    month = frame["day"].dt.to_period("M")
    return frame.groupby(month, sort=True).tail(1).reset_index(drop=True)


def leaning(balance: float, names: tuple[str, str]) -> str:
    """The balance in words: 'Even', 'Leans to Rachel having given more (+34)'."""
    shown = round(balance)
    figure = f"{shown:+d}" if shown else "0"  # not "-0"
    if abs(balance) < 5:
        return f"About even ({figure})"
    who = names[0] if balance > 0 else names[1]
    return f"{who} has given more ({figure} of 100)"
