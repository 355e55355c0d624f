"""A couple's newest check-ins on the Check-ins page, as one HTML table.

It was Streamlit's data grid. For these 40 rows, which need no sorting, the grid's code and
canvas took the browser ~30-50 ms more of every visit to the page than this table does
(issue 6; BENCHMARKS.md). When and who stay at the left edge while a narrow screen scrolls the
answers sideways, as the grid's pinned columns did.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ui.tables import DASH, style

HEAD = (
    "When",
    "Partner",
    # Next to who answered, not past the table's right edge where it was cut off.
    "Safety (counselor only)",
    "Satisfaction (0–21)",
    "Fair to me",
    "Heard",
    "Resentment",
    "Stress",
    "My load %",
    "Whose career leads",
    "Last big decision",
)
NUMBERS = frozenset(range(3, 9))  # right-aligned, as figures are
NUM = ' class="num"'
# The first column is this wide (its dates fit), so the second knows where to stay.
WHEN_REM = 6.5
# About ten rows in sight, as the grid showed; the rest scroll inside the table, under its
# heading row, which stays.
HEIGHT_REM = 24
CSS = style(
    "tandem-recent",
    f"""
.tandem-recent {{ margin-bottom: 0.5rem; max-height: {HEIGHT_REM}rem; overflow: auto; }}
.tandem-recent table {{ border-collapse: separate; border-spacing: 0; min-width: 100%;
  font-size: 0.875rem; line-height: 1.35; }}
.tandem-recent th, .tandem-recent td {{ white-space: nowrap; background: #fff; }}
.tandem-recent thead th {{ vertical-align: bottom; position: sticky; top: 0; z-index: 2;
  background: #f6f7f9; }}
.tandem-recent tbody th {{ font-weight: 400; }}
.tandem-recent .num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.tandem-recent .pin {{ position: sticky; left: 0; z-index: 1; }}
.tandem-recent thead .pin {{ z-index: 3; }}
.tandem-recent .when {{ box-sizing: border-box; width: {WHEN_REM}rem; min-width: {WHEN_REM}rem; }}
/* A rule on the pinned columns' right edge: what scrolls goes under it. */
.tandem-recent .who {{ left: {WHEN_REM}rem; box-shadow: inset -1px 0 0 #d5d8de; }}
.tandem-recent .flag {{ color: #b42318; font-weight: 600; }}
""",
)


def table_html(rows: Sequence[Sequence[str | None]], caption: str) -> str:
    """The newest check-ins, one row each in HEAD's order, as an HTML table: every value
    escaped, an answer not given a dash, a safety answer in red (no safety concern: blank)."""
    head = [
        f'<th scope="col" class="pin when">{HEAD[0]}</th>',
        f'<th scope="col" class="pin who">{HEAD[1]}</th>',
        *(
            f'<th scope="col"{NUM if i in NUMBERS else ""}>{html.escape(h)}</th>'
            for i, h in enumerate(HEAD[2:], start=2)
        ),
    ]
    lines = [
        CSS,
        # Tab reaches the scrolling region, so the keyboard scrolls it on a narrow screen.
        '<div class="tandem-recent" role="region" tabindex="0" aria-label="Recent check-ins">',
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>",
        "".join(head),
        "</tr></thead><tbody>",
    ]
    for row in rows:
        when, who, _, *rest = (DASH if v in (None, "") else html.escape(v) for v in row)
        safety = html.escape(row[2] or "")
        cells = [
            f'<td class="pin when">{when}</td>',
            f'<th scope="row" class="pin who">{who}</th>',
            f'<td class="flag">{safety}</td>' if safety else "<td></td>",
            *(
                f'<td class="num">{v}</td>' if i in NUMBERS else f"<td>{v}</td>"
                for i, v in enumerate(rest, start=3)
            ),
        ]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table></div>")
    return "\n".join(lines)
