"""A questionnaire's answers side by side: one HTML table per part whose cells wrap.

It was Streamlit's data grid, whose columns have fixed widths: on a tablet the question took
the screen and the second partner's answers were off to the side, and a long question was cut
with its end only in a tooltip, which a touch screen does not have (walkthrough).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from core import instruments
from ui.tables import DASH, style

# A row's colour by its pattern (core.comparison): text on each reads at 4.5:1 or more.
BAND_CLASS = {
    "both positive": "good",
    "both concerned": "concern",
    "split": "split",
    "different": "split",
}
# A written answer's start in its cell (the whole text follows under the table).
CELL_CHARS = 160
CSS = style(
    "tandem-answers",
    """
.tandem-answers table { border-collapse: collapse; width: 100%; font-size: 0.9rem;
  line-height: 1.35; }
.tandem-answers th, .tandem-answers td { overflow-wrap: anywhere; }
.tandem-answers tbody th { font-weight: 400; width: 40%; }
.tandem-answers td.pattern { white-space: nowrap; }
.tandem-answers tr.good th, .tandem-answers tr.good td { background: #e6f4ea; }
.tandem-answers tr.concern th, .tandem-answers tr.concern td { background: #fce8e6; }
.tandem-answers tr.split th, .tandem-answers tr.split td { background: #fef7e0; }
""",
)


def _cell(text: str | None, item_type: str) -> str:
    if not text:
        return DASH
    if item_type in instruments.TEXT_TYPES and len(text) > CELL_CHARS:
        text = text[:CELL_CHARS].rstrip() + "…"
    return html.escape(text)


def table_html(rows: Sequence, names: Sequence[str], caption: str) -> str:
    """The rows of one part (core.comparison's: prompt, answer_a, answer_b, band, type) with
    the partners' names as the answer columns' headings."""
    head = ["Question", *names, "Pattern"]
    lines = [
        CSS,
        '<div class="tandem-answers">',
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>",
        "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head),
        "</tr></thead><tbody>",
    ]
    for r in rows:
        band = r.band or ""
        css = BAND_CLASS.get(band)
        lines.append(
            (f'<tr class="{css}">' if css else "<tr>")
            + f'<th scope="row">{html.escape(r.prompt)}</th>'
            + f"<td>{_cell(r.answer_a, r.type)}</td>"
            + f"<td>{_cell(r.answer_b, r.type)}</td>"
            + f'<td class="pattern">{_cell(band, "")}</td>'
            + "</tr>"
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)
