"""A chart's numbers as tables that the keyboard and a screen reader reach (an accessibility
audit, WCAG 1.1.1 and 2.1.1): a Vega-Lite chart is a drawing that Tab never stops in, and its
points are read only by hovering over them. Each table is built from the same aggregated rows
the chart is drawn from, and drawn folded (a <details> under "The numbers behind this chart")
inside the element the page already draws under the chart (issue 6: no element more).

HTML with every text escaped (partners' names, seasons and milestones are typed by people), with
no blank line in it, so that Markdown takes it whole as one block of HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from core import dates
from core.trends import MEASURES  # column -> heading, in the charts' order

SUMMARY = "The numbers behind this chart"
# Rows (or weeks, months) a table lists at most, the newest kept. A weekly chart has at most
# 105 weeks (two years: core.trends.WEEKLY_UP_TO_DAYS) and five years of months are 60, so only
# "All" over more than ten years of history, or a roadmap of more milestones, is cut, and then
# the table says so.
MAX_ROWS = 120
DASH = "—"  # no figure: each caption says what a dash means
MINUS = "\u2212"  # a minus sign: a hyphen is read as "dash", or not at all
CLASS = "tandem-numbers"  # styled by ui/widgets.py's READABLE_CSS
# The balance's parts, in the equity chart's tooltip's order (core.charts.equity_spec).
SOURCES = ("season", "ledger", "load")


def _text(value: object) -> str:
    """Text escaped for HTML, its line breaks and runs of spaces made one space."""
    return html.escape(" ".join(str(value).split()))


def _none(value: Any) -> bool:
    """No value: None, or pandas' NaN or NaT (which equal nothing, themselves included)."""
    return value is None or value != value


def _day(value: Any) -> str:
    """A date (or a pandas Timestamp) as Tandem writes it, 7 Mar 2027; a dash for none."""
    if _none(value):
        return DASH
    if isinstance(value, datetime):
        value = value.date()
    return dates.shown(value) if isinstance(value, date) else DASH


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def signed(value: Any, places: int = 0) -> str:
    """+34, −2.5, and 0 (never −0): a balance, or a part of it; a dash for none."""
    number = _number(value)
    if number is None:
        return DASH
    shown = f"{number:+.{places}f}"
    return shown[1:] if float(shown) == 0 else shown.replace("-", MINUS)


def mean(value: Any) -> str:
    """A mean or a count as it is read: 7, 6.5; a dash for none."""
    number = _number(value)
    if number is None:
        return DASH
    return f"{number:.0f}" if number.is_integer() else f"{number:.1f}"


def table(
    label: str,
    caption: str,
    head: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    headers: int = 1,
    words: bool = False,
    long: int | None = None,
) -> str:
    """One table in a region named `label` that Tab reaches (it scrolls, sideways on a phone),
    its `caption` saying what it holds. The first `headers` cells of each row name it (a date;
    a date and a partner); the others are figures, or text with `words`. Column `long` holds
    the longest words (a milestone's title): it keeps room for them on a phone. Escaped here."""
    kind = ' class="words"' if words else ""
    lines = [
        f'<div class="{CLASS}-table" role="region" tabindex="0" aria-label="{_text(label)}">',
        f"<table{kind}><caption>{_text(caption)}</caption><thead><tr>"
        + "".join(f'<th scope="col">{_text(h)}</th>' for h in head)
        + "</tr></thead><tbody>",
    ]
    for row in rows:
        named = "".join(f'<th scope="row">{_text(v)}</th>' for v in row[:headers])
        cells = "".join(
            f'<td class="long">{_text(v)}</td>' if i == long else f"<td>{_text(v)}</td>"
            for i, v in enumerate(row[headers:], start=headers)
        )
        lines.append(f"<tr>{named}{cells}</tr>")
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def details(tables: Sequence[str], note: str = "", summary: str = SUMMARY) -> str:
    """The tables folded under `summary` (a <summary> is reached with Tab, and opened with Enter
    or Space), `note` after them; "" without a table."""
    if not tables:
        return ""
    tail = [f"<p>{_text(note)}</p>"] if note else []
    head = [f'<details class="{CLASS}">', f"<summary>{_text(summary)}</summary>"]
    return "\n".join([*head, *tables, *tail, "</details>"])


def _newest(
    rows: list[list[Any]], what: str, key: Callable[[list[Any]], Any] | None = None
) -> tuple[list[list[Any]], str]:
    """The rows (oldest first) of the newest MAX_ROWS `what`: each row is one, or with `key` the
    rows that share a key are; and a note saying so if older ones were left out, else ""."""
    keys = list(dict.fromkeys(key(r) for r in rows)) if key else list(range(len(rows)))
    if len(keys) <= MAX_ROWS:
        return rows, ""
    kept = set(keys[-MAX_ROWS:])
    shown = [r for i, r in enumerate(rows) if (key(r) if key else i) in kept]
    return shown, f"Only the newest {MAX_ROWS} of {len(keys)} {what} are listed."


def equity(
    balance: Any, seasons: Any, events: Any, fairness: Any, names: Sequence[str], bucket: str
) -> str:
    """The equity chart's numbers (core.charts.equity_spec's frames): the balance at the end of
    each week (or of each month's last week) and its three parts; the seasons (the bands) and
    the ledger's events (the diamonds); each partner's felt fairness (the panel under it)."""
    a, b = (str(n) for n in names)
    per = "week" if bucket == "week" else "month"
    rows = [
        [_day(r["day"]), signed(r["balance"]), *(signed(r[k], 1) for k in SOURCES)]
        for r in balance.sort_values("day").to_dict("records")
    ]
    rows, note = _newest(rows, f"{per}s")
    notes = [note]
    tables = [
        table(
            "Equity over time",
            f"Equity over time, {per} by {per}. The balance runs from {MINUS}100 to +100: above "
            f"zero {a} has given more, below it {b}. The next three columns are what it is made "
            f"of, in weeks' worth of giving: their sum, kept within {MINUS}100 to +100 as the "
            "page explains, is the balance.",
            ["Week ending", "Balance", "From seasons", "From the ledger", "From the home load"],
            rows,
        )
    ]
    if not seasons.empty:
        tables.append(
            table(
                "Seasons",
                "Seasons in this time range (the grey bands), and whose career leads in each.",
                ["Season", "Whose career leads", "When"],
                [[r["title"], r["lead"], r["span"]] for r in seasons.to_dict("records")],
                words=True,
            )
        )
    if not events.empty:
        logged = [
            [_day(r["day"]), r["giver"], r["what"], r["size"]]
            + ["Yes" if r["acknowledged"] else "No", r["repaid"]]
            for r in events.sort_values("day", kind="stable").to_dict("records")
        ]
        logged, note = _newest(logged, "ledger events")
        notes.append(note)
        tables.append(
            table(
                "Ledger events",
                "Ledger events in this time range (the diamonds): who gave what, and how much.",
                ["Date", "Who gave", "What", "How much", "Acknowledged?", "Repaid?"],
                logged,
                words=True,
                long=2,
            )
        )
    if fairness is not None and not fairness.empty:
        felt: dict[Any, dict[str, Any]] = {}
        for r in fairness.sort_values("day").to_dict("records"):
            felt.setdefault(r["day"], {})[str(r["partner"])] = r["fairness_me"]
        felt_rows = [[_day(d), mean(by.get(a)), mean(by.get(b))] for d, by in felt.items()]
        felt_rows, note = _newest(felt_rows, f"{per}s of check-ins")
        notes.append(note)
        tables.append(
            table(
                "How fair it feels",
                f"How fair it feels (0 to 10), {per} by {per}: the mean of each partner's own "
                f"check-ins. A dash: no check-in that {per}.",
                [f"{per.title()} of", a, b],
                felt_rows,
            )
        )
    return details(tables, " ".join(n for n in notes if n))


def trends(buckets: Any, bucket: str, cutoff: float) -> str:
    """The check-in trend charts' numbers (core.trends.flag_changes's frame): a row per week (or
    month) and partner with each measure's mean, how many check-ins it is the mean of, and a
    reliable change in satisfaction (the rings); `cutoff` is satisfaction's published cut-off
    (the dashed line)."""
    if buckets.empty:
        return ""
    per = "week" if bucket == "week" else "month"
    columns = [c for c in MEASURES if c in buckets.columns]
    rows = []
    for r in buckets.sort_values(["bucket", "partner"], kind="stable").to_dict("records"):
        change = r.get("csi_change")
        rows.append(
            [_day(r["bucket"]), r["partner"], *(mean(r[c]) for c in columns), mean(r["checkins"])]
            + [change if isinstance(change, str) and change else DASH]
        )
    rows, note = _newest(rows, f"{per}s", key=lambda row: row[0])
    caption = (
        f"Check-in trends, {per} by {per}: the mean of each partner's answers in their check-ins "
        f"of that {per} (a dash: not answered). Satisfaction under {cutoff:g} is notable "
        "dissatisfaction (the published cut-off); the last column says where it has changed "
        "reliably since their first check-in."
    )
    head = [f"{per.title()} of", "Partner", *(MEASURES[c] for c in columns)]
    head += ["Check-ins", "Satisfaction since their first check-in"]
    return details([table("Check-in trends", caption, head, rows, headers=2)], note)


def roadmap(data: dict[str, Any]) -> str:
    """The roadmap's dates (core.roadmap.timeline's data): each milestone and agreed date, when
    it is, whose lane it is in and of what kind; then the seasons (the bands). The chart names
    those dated too far from today instead of drawing them; the table lists them with the rest."""
    events = data["frame"].sort_values(["start", "lane"], kind="stable")
    rows = [
        [_day(r["start"]), "" if _none(r["end"]) else _day(r["end"]), r["lane"], r["title"]]
        + [r["category"], r["when"]]
        for r in events.to_dict("records")
    ]
    rows, note = _newest(rows, "milestones and dates")
    tables = []
    if rows:
        tables.append(
            table(
                "Milestones and dates",
                "Milestones and dates, oldest first (one that lasts has an end date too).",
                ["When", "Until", "Whose", "What", "Kind", "Status"],
                rows,
                words=True,
                long=3,
            )
        )
    seasons = data["seasons"]
    if not seasons.empty:
        going = data.get("seasons_open") or [False] * len(seasons)
        tables.append(
            table(
                "Seasons",
                "Seasons, oldest first (the shaded bands), and whose career leads in each.",
                ["From", "Until", "Season", "Whose career leads"],
                [
                    [_day(r["start"]), "still going" if still else _day(r["end"])]
                    + [r["title"], r["lead"]]
                    for r, still in zip(seasons.to_dict("records"), going, strict=True)
                ],
                words=True,
                long=2,
            )
        )
    return details(tables, note, summary="The dates behind this chart")
