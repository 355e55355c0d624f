"""A questionnaire's answers side by side: one HTML table per part whose cells wrap, then the
part's written answers in full, once.

It was Streamlit's data grid, whose columns have fixed widths: on a tablet the question took
the screen and the second partner's answers were off to the side, and a long question was cut
with its end only in a tooltip, which a touch screen does not have (walkthrough). Written
answers were then both in the table (their start) and under it (in full): the same words twice
on a long questionnaire (walkthrough), so they are only under it now, at the page's width.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from core import instruments
from ui.tables import DASH, style
from ui.widgets import plain

# A row's colour by its pattern (core.comparison), and what the legend calls it: text on each
# reads at 4.5:1 or more. "different" (no answer is the healthier one: who gives way, a share
# of the housework) has its own colour: it was yellow like "split", which the legend said meant
# leaning opposite ways on a question that has a healthier end (walkthrough).
BANDS = {
    "both positive": ("good", "Green", "both answers lean the healthy way"),
    "both concerned": ("concern", "Red", "both lean towards concern"),
    "split": ("split", "Yellow", "they lean opposite ways"),
    "different": ("different", "Blue", "different answers to a question with no healthier answer"),
}
BAND_CLASS = {band: css for band, (css, _, _) in BANDS.items()}
LEGEND = (
    " ".join(f"{colour}, {band}: {meaning}." for band, (_, colour, meaning) in BANDS.items())
    + " No colour: the same answer (same), or one in the middle of its scale (unsure)."
)
CSS = style(
    "tandem-answers",
    """
.tandem-answers table { border-collapse: collapse; width: 100%; font-size: 0.9rem;
  line-height: 1.35; }
.tandem-answers th, .tandem-answers td { overflow-wrap: anywhere; }
.tandem-answers tbody th { font-weight: 400; width: 40%; }
.tandem-answers td.pattern { white-space: nowrap; }
.tandem-answers .shares { overflow-wrap: normal; }
.tandem-answers tr.good th, .tandem-answers tr.good td { background: #e6f4ea; }
.tandem-answers tr.concern th, .tandem-answers tr.concern td { background: #fce8e6; }
.tandem-answers tr.split th, .tandem-answers tr.split td { background: #fef7e0; }
.tandem-answers tr.different th, .tandem-answers tr.different td { background: #e8f0fe; }
""",
)


# A split's "Anna 20% · Miguel 80%": a tablet's narrow column broke it as "Miguel" above "80%",
# or "80" above "%" (the cells break long words anywhere). A share is joined to its name by a
# no-break space, and words in a split break only at spaces, which widens the column instead.
_BEFORE_SHARE = re.compile(r" (?=\d+(?:\.\d+)?%)")


def _cell(text: str | None, item_type: str = "") -> str:
    if not text:
        return DASH
    if item_type == instruments.SPLIT:
        return f'<span class="shares">{_BEFORE_SHARE.sub("&nbsp;", html.escape(text))}</span>'
    return html.escape(text)


def _written(row) -> bool:
    return row.type in instruments.TEXT_TYPES


def table_html(rows: Sequence, names: Sequence[str], caption: str) -> str:
    """The closed questions of one part (core.comparison's rows: prompt, answer_a, answer_b,
    band, type) with the partners' names as the answer columns' headings; "" when the part has
    only written answers (those are `written_markdown`'s)."""
    rows = [r for r in rows if not _written(r)]
    if not rows:
        return ""
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
            + f'<td class="pattern">{_cell(band)}</td>'
            + "</tr>"
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def written_markdown(rows: Sequence, names: Sequence[str], sent: Sequence[bool]) -> str:
    """The written answers of one part in full, as one Markdown element (one element per
    question and answer was ~30 on a long questionnaire): each question that either partner
    answered, then each partner's words; a partner who sent the form but left it empty is said
    to have, and one who has not sent it yet (`sent`) is left out. People's words are escaped."""
    blocks = []
    for r in rows:
        if not _written(r):
            continue
        given = (r.value_a, r.value_b)
        if not any(instruments.is_answered(v) for v in given):
            continue
        lines = [f"**{plain(r.prompt)}**"]
        for name, value, did_send in zip(names, given, sent, strict=True):
            if instruments.is_answered(value):
                lines.append(f"*{plain(name)}:* {plain(value)}")
            elif did_send:
                lines.append(f"*{plain(name)}:* :gray[not answered]")
        blocks.append("\n\n".join(lines))
    return "\n\n".join(blocks)
