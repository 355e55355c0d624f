"""Check-in trends per partner on one time axis, aggregated in SQL into week or month buckets.

Reliable change for the CSI-4: no published reliable-change figure was found (see
instruments/csi4.toml), so Tandem computes one and says so wherever it is shown. It follows
Jacobson & Truax (1991): a change is reliable when it exceeds 1.96 x S_diff, where S_diff is
the standard error of the difference between two scores (sqrt(2) x the standard error of
measurement). Instead of a published SD and reliability, S_diff is estimated from the
partner's *own* check-ins: when the underlying level moves slowly, the mean square of
successive differences is twice the error variance (von Neumann et al., 1941), so its root
(RMSSD) is S_diff itself. With fewer than MIN_STEPS differences nothing is flagged.

- Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
  defining meaningful change in psychotherapy research. Journal of Consulting and Clinical
  Psychology, 59(1), 12-19. doi:10.1037/0022-006X.59.1.12
- von Neumann, J., Kent, R. H., Bellinson, H. R., & Hart, B. I. (1941). The mean square
  successive difference. Annals of Mathematical Statistics, 12(2), 153-162.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from core import audit, couples, dates, equity, instruments, ledger, schedule, seasons
from core.accounts import Actor
from core.audit import audited
from core.db import Database
from core.kept import Kept

if TYPE_CHECKING:  # pandas loads on first use: the sign-in page does not need it (issue 6)
    import pandas as pd

RANGES = {
    "6m": ("6 months", 183),
    "1y": ("1 year", 366),
    "2y": ("2 years", 731),
    "5y": ("5 years", 1827),
    "all": ("All", None),
}
DEFAULT_RANGE = "1y"
NEW_WINDOW_DAYS = 56  # the shortest a chart's window is cut to for a new couple: eight weeks
# Up to two years a line has at most ~105 weekly points; longer ranges use months (<= 12 a year).
WEEKLY_UP_TO_DAYS = 731
# Jacobson & Truax (1991): |change| / S_diff above 1.96 is unlikely (p < .05) to be noise.
RCI_Z = 1.96
# Three successive differences are the fewest that say anything about a partner's noise.
MIN_STEPS = 3
# CSI-4 totals move in whole points: a threshold under 2 would flag a one-point wobble.
RC_FLOOR = 2.0
MEASURES = {
    "csi_total": "Satisfaction (CSI-4, 0–21)",
    "fairness_me": "Feels fair to me (0–10)",
    "heard": "Feels heard (0–10)",
    "resentment": "Resentment (0–10)",
    "stress": "Stress (0–10)",
    "load_share": "My share of the home load (%)",
}
UP, DOWN = "reliably higher", "reliably lower"


@dataclass(frozen=True)
class Window:
    """The dates a chart shows and the bucket its points are averaged over."""

    start: date
    end: date
    bucket: str  # 'week' or 'month'
    # Whose days: an IANA zone (the reader's browser's), or 'UTC'. A check-in falls in the week
    # of its day on that clock, as the dates beside it on the other pages read it.
    zone: str = "UTC"
    # The couple's first day of data, when the range was cut to start near it (see _window).
    history_from: date | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def csi_cutoff() -> float:
    """The CSI-4's published cut-off (13.5, Funk & Rogge 2007), read from its file."""
    return instruments.load("csi4").cutoff("csi4_total").below


@audited("view", "trends")
def window(
    db: Database,
    actor: Actor,
    couple_id: Any,
    range_key: str,
    today: date | None = None,
    zone: str | None = None,
) -> Window:
    """The dates for a range ('6m' … 'all') up to today on the clock of `zone` (the reader's
    IANA zone; UTC without one, or with one this server does not know); 'all' starts at the
    couple's first data."""
    return _window(db, couples.check_access(db, actor, couple_id), range_key, today, zone)


def _window(
    db: Database, cid: int, range_key: str, today: date | None = None, zone: str | None = None
) -> Window:
    zone = dates.zone_or_utc(zone)
    today = today or dates.today_in(zone)
    label_days = RANGES.get(range_key, RANGES[DEFAULT_RANGE])[1]
    first = _kept_read(
        db,
        cid,
        f"first_day:{zone}",
        None,
        lambda: db.scalar("trends/first_day", couple_id=cid, zone=zone),
    )
    history_from = None
    if label_days is None:
        start = min(first, today) if first else today - timedelta(days=RANGES["6m"][1])
    else:
        start = today - timedelta(days=label_days)
        # A couple whose history here is younger than the range: the charts start a week
        # before it (and show at least NEW_WINDOW_DAYS), not with months of an even line before
        # the couple was known and their first check-ins squeezed against the right edge (a
        # walkthrough of a new couple).
        if first is not None and first - timedelta(days=7) > start:
            start = min(first - timedelta(days=7), today - timedelta(days=NEW_WINDOW_DAYS))
            history_from = first if start > today - timedelta(days=label_days) else None
    bucket = "week" if (today - start).days <= WEEKLY_UP_TO_DAYS else "month"
    return Window(start, today, bucket, zone, history_from)


# A couple's equity view and trend buckets are kept per window and read again only after a write
# that touched the couple (Database.couples_changed_since), like the caseload's alerts: they
# were most of the equity page's script (~40-150 ms on the large practice, BENCHMARKS.md). The
# caller's access is checked on every call, before anything kept is used.
KEPT_MAX = 256  # (couple, window) pairs kept; the least recently used goes first
_kept = Kept()  # (db, couple, what, window) -> (db.changes then, the value)
T = TypeVar("T")


def _kept_read(
    db: Database, couple_id: int, what: str, win: Window | None, read: Callable[[], T]
) -> T:
    """`read()`, or what it gave before if no write touched the couple since."""
    return _kept.couple_read(db, couple_id, (what, win), read, KEPT_MAX)


@audited("view", "trends")
def buckets(db: Database, actor: Actor, couple_id: Any, win: Window) -> pd.DataFrame:
    """Per partner and bucket: the mean of each measure and how many check-ins it holds."""
    return _kept_buckets(db, couples.get(db, actor, couple_id), win)


def _kept_buckets(db: Database, couple: dict[str, Any], win: Window) -> pd.DataFrame:
    return _kept_read(db, couple["id"], "buckets", win, lambda: _buckets(db, couple, win)).copy()


def _buckets(db: Database, couple: dict[str, Any], win: Window) -> pd.DataFrame:
    frame = db.frame(
        "trends/buckets",
        couple_id=couple["id"],
        bucket=win.bucket,
        zone=win.zone,
        start=schedule.local_midnight_utc(win.start, win.zone),
        end=schedule.local_midnight_utc(win.end + timedelta(days=1), win.zone),
    )
    names = dict(zip([p["id"] for p in couple["partners"]], legend_names(couple), strict=True))
    frame["partner"] = frame["partner_id"].map(names)
    return frame


def legend_names(couple: dict[str, Any]) -> list[str]:
    """The partners' names for legends, told apart when both have the same name."""
    names = [str(p["name"]) for p in couple["partners"]]
    if len(names) == 2 and names[0] == names[1]:
        names[1] = f"{names[1]} (2)"
    return names


def latest_words(buckets: pd.DataFrame, names: list[str], bucket: str) -> str:
    """Each partner's newest week (or month) of the trend charts in a sentence: what the charts
    end on, for a screen reader (a chart's drawing has no text) and for a glance. '' if none."""
    if buckets.empty:
        return ""
    from core.charts import TREND_PANELS  # pandas and numpy: loaded when there is a chart

    per = "week" if bucket == "week" else "month"
    said = []
    for name in names:
        mine = buckets[buckets["partner"] == name]
        if mine.empty:
            continue
        last = mine.sort_values("bucket").iloc[-1]
        figures = [
            words.format(_figure(last[column]))
            for column, _title, _axis, words in TREND_PANELS
            if column in last.index and not _missing(last[column])
        ]
        if figures:
            day = last["bucket"]
            day = day.date() if isinstance(day, datetime) else day  # a pandas Timestamp too
            said.append(f"{name} ({per} of {dates.shown(day)}): {', '.join(figures)}")
    return f"Latest: {'; '.join(said)}." if said else ""


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _figure(value: float) -> str:
    """A mean as read aloud: whole numbers without a decimal point, others to one place."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


@audited("view", "trends")
def reliable_change(db: Database, actor: Actor, couple_id: Any) -> dict[int, float | None]:
    """partner id -> the CSI-4 change that counts as reliable for them (None: too few yet)."""
    return dict(_reliable_change(db, couples.check_access(db, actor, couple_id)))


def _reliable_change(db: Database, cid: int) -> dict[int, float | None]:
    def read() -> dict[int, float | None]:
        rows = db.all("trends/csi_noise", couple_id=cid)
        return {r["partner_id"]: threshold(r["rmssd"], r["steps"]) for r in rows}

    return _kept_read(db, cid, "reliable_change", None, read)


def threshold(rmssd: float | None, steps: int | None) -> float | None:
    """1.96 x S_diff (S_diff estimated by RMSSD), never below RC_FLOOR; None if too few steps."""
    if rmssd is None or not steps or steps < MIN_STEPS or math.isnan(rmssd):
        return None
    return max(RC_FLOOR, RCI_Z * float(rmssd))


@audited("view", "trends")
def csi_baselines(db: Database, actor: Actor, couple_id: Any) -> dict[int, float]:
    """partner id -> their first CSI-4 total ever: what reliable change is measured from."""
    return dict(_csi_baselines(db, couples.check_access(db, actor, couple_id)))


def _csi_baselines(db: Database, cid: int) -> dict[int, float]:
    def read() -> dict[int, float]:
        rows = db.all("trends/csi_baseline", couple_id=cid)
        return {r["partner_id"]: float(r["first_csi"]) for r in rows}

    return _kept_read(db, cid, "csi_baselines", None, read)


def flag_changes(
    frame: pd.DataFrame, rc: dict[int, float | None], baselines: dict[int, float] | None = None
) -> pd.DataFrame:
    """Adds 'csi_change': UP / DOWN where a bucket's CSI-4 differs from that partner's baseline
    by at least their reliable-change threshold, else empty.

    The baseline is the partner's first check-in ever (`baselines`, csi_baselines), so a ring
    means the same whatever time range is shown; without one, their first bucket in the frame.
    """
    out = frame.copy()
    out["csi_change"] = ""
    if out.empty:
        return out
    for partner_id, rows in out.groupby("partner_id"):
        limit = rc.get(partner_id)
        valued = rows["csi_total"].dropna()
        if limit is None or valued.empty:
            continue
        base = (baselines or {}).get(partner_id, valued.iloc[0])
        delta = rows["csi_total"] - base
        out.loc[rows.index[(delta >= limit).fillna(False)], "csi_change"] = UP
        out.loc[rows.index[(delta <= -limit).fillna(False)], "csi_change"] = DOWN
    return out


@audited("view", "equity")
def equity_inputs(
    db: Database, actor: Actor, couple_id: Any, zone: str | None = None
) -> equity.Inputs:
    """The couple's seasons, ledger and load reports (each on its day on the clock of `zone`,
    UTC without one), as the equity model reads them."""
    zone = dates.zone_or_utc(zone)
    return _equity_inputs(db, couples.get(db, actor, couple_id), zone)


def _equity_inputs(db: Database, couple: dict[str, Any], zone: str) -> equity.Inputs:
    return equity.inputs(
        [p["id"] for p in couple["partners"]],
        db.all("seasons/for_couple", couple_id=couple["id"]),
        db.all("ledger/for_couple", couple_id=couple["id"]),
        db.all("trends/load_reports", couple_id=couple["id"], zone=zone),
    )


@dataclass(frozen=True)
class EquityView:
    """The frames the equity chart draws for one couple and window (see core.charts)."""

    names: tuple[str, str]
    balance: pd.DataFrame
    seasons: pd.DataFrame
    events: pd.DataFrame
    has_data: bool

    @property
    def latest(self) -> float:
        """The balance on the window's last day (0 when there is nothing yet)."""
        return float(self.balance["balance"].iloc[-1]) if not self.balance.empty else 0.0


@audited("view", "equity")
def equity_view(db: Database, actor: Actor, couple_id: Any, win: Window) -> EquityView:
    """The couple's balance (weekly, or monthly for long ranges), seasons and ledger events in
    the window, with partners named as the legends show them."""
    return _kept_equity_view(db, couples.get(db, actor, couple_id), win)


def _kept_equity_view(db: Database, couple: dict[str, Any], win: Window) -> EquityView:
    view = _kept_read(db, couple["id"], "equity", win, lambda: _equity_view(db, couple, win))
    return replace(  # the caller's own frames: what is kept never changes
        view, balance=view.balance.copy(), seasons=view.seasons.copy(), events=view.events.copy()
    )


def _equity_view(db: Database, couple: dict[str, Any], win: Window) -> EquityView:
    import pandas as pd

    names = tuple(legend_names(couple))
    name_of = dict(zip([p["id"] for p in couple["partners"]], names, strict=True))
    data = _equity_inputs(db, couple, win.zone)
    # The line starts with the couple's first season, event or load report: from the window's
    # start it drew months of "even" before anything was known (walkthrough: a couple added
    # today showed two years of balance in the summary handed to them).
    begin = max(win.start, data.earliest() or win.start)
    balance = equity.resample(equity.series(data, win.end, begin), win.bucket)
    start, end = pd.Timestamp(win.start), pd.Timestamp(win.end)
    season_rows = []
    for s in data.seasons:
        first = max(pd.Timestamp(s["starts_on"]), start)
        last = min(pd.Timestamp(s["ends_on"]) if s["ends_on"] else end, end)
        if last < first:
            continue
        season_rows.append(
            {
                "start": first,
                "end": last + pd.Timedelta(days=1),
                "lead": seasons.lead_label(s, dict(name_of))
                if s["lead_partner_id"] is not None
                else "Balanced",
                "title": seasons.name(s, dict(name_of)),
                "span": seasons.span(s),
            }
        )
    by_id = {e["id"]: e for e in data.events}
    event_rows = []
    for e in data.events:
        day = pd.Timestamp(e["occurred_on"])
        if not start <= day <= end:
            continue
        repaid = by_id.get(e["repaid_by_id"])
        event_rows.append(
            {
                "day": day,
                "giver": name_of.get(e["giver_partner_id"], "?"),
                "what": ledger.KINDS.get(e["kind"], e["kind"])
                + (f": {e['note']}" if e["note"] else ""),
                "size": ledger.SIZES[e["size"]],
                "acknowledged": bool(e["acknowledged"]),
                "repaid": ledger.describe(repaid, dict(name_of)) if repaid else "Not yet",
            }
        )
    return EquityView(
        names=names,
        balance=balance,
        seasons=pd.DataFrame(season_rows, columns=["start", "end", "lead", "title", "span"]),
        events=pd.DataFrame(
            event_rows, columns=["day", "giver", "what", "size", "acknowledged", "repaid"]
        ),
        has_data=bool(data.seasons or data.events or data.loads),
    )


def fairness_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Each partner's felt fairness per bucket, for the panel under the equity chart."""
    out = frame.rename(columns={"bucket": "day"})[["day", "partner", "fairness_me", "checkins"]]
    return out.dropna(subset=["fairness_me"]).reset_index(drop=True)


@dataclass(frozen=True)
class TrendsPage:
    """Everything the equity and trends page draws for one couple and time range."""

    window: Window
    equity: EquityView
    buckets: pd.DataFrame  # flag_changes's frame: bucket means with 'csi_change'
    reliable_change: dict[int, float | None]  # partner id -> threshold (None: too few yet)


@audited("view", "trends")
def page(
    db: Database,
    actor: Actor,
    couple_id: Any,
    range_key: str,
    today: date | None = None,
    zone: str | None = None,
) -> TrendsPage:
    """The equity view and check-in trends for `range_key`, on the days of `zone` (the reader's;
    see window), with the couple's access checked once (each of window, equity_view, buckets,
    reliable_change and csi_baselines checks it again: one call is one check, and the page made
    five)."""
    couple = couples.get(db, actor, couple_id)
    cid = couple["id"]
    audit.viewed(db, actor, "equity", cid)  # what equity_view records
    win = _window(db, cid, range_key, today, zone)
    rc = dict(_reliable_change(db, cid))
    return TrendsPage(
        window=win,
        equity=_kept_equity_view(db, couple, win),
        buckets=flag_changes(_kept_buckets(db, couple, win), rc, _csi_baselines(db, cid)),
        reliable_change=rc,
    )
