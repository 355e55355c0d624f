"""A couple's newest check-ins on the Check-ins page, as one HTML table.

It was Streamlit's data grid. For these 40 rows, which need no sorting, the grid's code and
canvas took the browser ~30-50 ms more of every visit to the page than this table does
(issue 6; BENCHMARKS.md). When and who stay at the left edge while a narrow screen scrolls the
answers sideways, as the grid's pinned columns did.
"""

from __future__ import annotations

from collections.abc import Sequence

from ui import tables

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
SAFETY = 2  # a safety answer in red; no safety concern: blank
# The first column is this wide (its dates fit), so the second knows where to stay.
WHEN_REM = 6.5
# About ten rows in sight, as the grid showed; the rest scroll inside the table, under its
# heading row, which stays.
HEIGHT_REM = 24


def table_html(rows: Sequence[Sequence[str | None]], caption: str) -> str:
    """The newest check-ins, one row each in HEAD's order, as an HTML table: every value
    escaped, an answer not given a dash, a safety answer in red (no safety concern: blank);
    when and who (the row's name) pinned at the left."""
    return tables.table_html(
        "tandem-recent",
        "Recent check-ins",
        HEAD,
        rows,
        caption,
        numbers=NUMBERS,
        flags={SAFETY},
        pinned=2,
        first_rem=WHEN_REM,
        row_header=1,
        max_height_rem=HEIGHT_REM,
    )
