"""A couple's partner links and where each stands: one HTML table whose cells wrap, a screen
of links at a time.

It was Streamlit's data grid, whose columns have fixed widths: at 1,280 px a long status
("Replaced by a newer link") pushed *Expires* out of sight, on a tablet the times were off to
the side, and a couple seen weekly for years sent every one of its hundreds of links to the
browser at once (walkthrough; issue 6).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from core import dates, links
from ui.tables import DASH, style

# Links per screen, newest first: the open ones are among the newest (a link works for weeks).
PAGE_SIZE = 20
CSS = style(
    "tandem-links",
    """
.tandem-links { margin-bottom: 0.5rem; container-type: inline-size; }
.tandem-links table { border-collapse: collapse; width: 100%; font-size: 0.9rem;
  line-height: 1.35; }
.tandem-links thead th { vertical-align: bottom; }
.tandem-links tbody th { font-weight: 400; }
.tandem-links .title { min-width: 7rem; }
.tandem-links .nowrap { white-space: nowrap; }
.tandem-links .count { display: block; font-size: 0.8rem; color: #5d6270; }
.tandem-links .open { font-weight: 600; }
/* Too narrow for four columns of times (a tablet beside the sidebar): one column of them. */
.tandem-links .dates { display: none; }
.tandem-links .dates div { white-space: nowrap; }
@container (max-width: 46rem) {
  .tandem-links .apart { display: none; }
  .tandem-links .dates { display: table-cell; }
}
/* A phone: a time may go under its date, so that the table need not scroll sideways. */
@container (max-width: 28rem) { .tandem-links .dates div { white-space: normal; } }
""",
)
HEAD = ("Partner", "Questionnaire", "Status")
TIMES = ("Sent", "Opened", "Submitted", "Expires")
NBH = "\u2011"  # a non-breaking hyphen


def _time(value: Any, clock: Callable[[Any], Any], *, with_time: bool = True) -> str:
    """A stored time on the reader's clock: the date and the time each kept whole, so a narrow
    column breaks between them, never inside "24 Nov 2026"."""
    local = clock(value)
    if local is None:
        return DASH
    day = f'<span class="nowrap">{html.escape(dates.shown(local))}</span>'
    if with_time and isinstance(local, datetime):
        return f'{day}, <span class="nowrap">{local:%H:%M}</span>'
    return day


def _status(row: Mapping[str, Any]) -> str:
    label = html.escape(links.STATUS_LABELS[row["status"]])
    if row["status"] in links.OPEN_STATUSES:
        label = f'<span class="open">{label}</span>'
    answered = row.get("answered")
    if answered:  # saved on a link not yet sent back (a sent one's count is not read)
        label += f'<span class="count">{answered} answer{"s" if answered != 1 else ""} saved</span>'
    return label


def table_html(
    rows: Sequence[Mapping[str, Any]],
    title_of: Callable[[str], str],
    clock: Callable[[Any], Any],
    caption: str,
) -> str:
    """One screen of a couple's links (core.links.for_couple's rows, each with its status) as
    an HTML table. `title_of` names a link's questionnaire; `clock` puts a stored time on the
    reader's clock (ui.widgets.on_this_clock)."""
    lines = [
        CSS,
        # Tab reaches the scrolling region, so the keyboard scrolls it on the narrowest screen.
        '<div class="tandem-links" role="region" tabindex="0" aria-label="Links table">',
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>",
        "".join(f'<th scope="col">{h}</th>' for h in HEAD),
        "".join(f'<th scope="col" class="apart">{h}</th>' for h in TIMES),
        '<th scope="col" class="dates">Dates</th>',
        "</tr></thead><tbody>",
    ]
    for r in rows:
        times = {
            # A check-in from a personal link or a hand-over was never sent: it is made when
            # first opened, which "Opened" says.
            "Sent": DASH if r["origin"] else _time(r["created_at"], clock),
            "Opened": _time(r["opened_at"], clock),
            "Submitted": _time(r["submitted_at"], clock),
            "Expires": _time(r["expires_at"], clock, with_time=False),
        }
        # In the one column: what happened, and the expiry only while the link still opens.
        shown = [
            t
            for t in TIMES
            if times[t] != DASH and (t != "Expires" or r["status"] in links.OPEN_STATUSES)
        ]
        lines.append(
            "<tr>"
            + f'<th scope="row">{html.escape(r["partner_name"])}</th>'
            # A hyphen that does not break: "(CSI-4)" was cut after "CSI-".
            + f'<td class="title">{html.escape(title_of(r["instrument_id"]).replace("-", NBH))}</td>'
            + f"<td>{_status(r)}</td>"
            + "".join(f'<td class="apart">{times[t]}</td>' for t in TIMES)
            + '<td class="dates">'
            + (
                "".join(f'<div><span class="muted">{t}</span> {times[t]}</div>' for t in shown)
                or DASH
            )
            + "</td></tr>"
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)
