"""What Tandem's HTML tables share (the caseload, a questionnaire's answers side by side, a
couple's links, the newest check-ins): their base style and the muted dash of an empty cell;
and a plain table of worded values (`table_html`) for the small tables that were Streamlit's
data grid: the grid's code and canvas cost the browser more than the table (issue 6)."""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable, Sequence

import pandas as pd

DASH = '<span class="muted">—</span>'  # an empty cell


def _missing(x: float | None) -> bool:
    return x is None or bool(pd.isna(x))  # None, NaN or NA (an empty cell of a DataFrame)


def one_place(x: float | None) -> str | None:
    """A score to one decimal place; a missing one stays None (a dash in a table)."""
    return None if _missing(x) else f"{x:.1f}"


def figure(x: float | None) -> str | None:
    """A whole amount, count or score grouped in thousands by a narrow space, which reads the
    same in every language (a comma or a dot is a decimal point in some), with a minus sign, not
    a hyphen; a missing one stays None (a dash in a table)."""
    return None if _missing(x) else f"{x:,.0f}".replace(",", "\u202f").replace("-", "\u2212")


def style(cls: str, rules: str) -> str:
    """The <style> of the table inside `.cls`: the shared base (its region scrolls sideways
    when it must and shows the keyboard's focus; cells at the top, left, ruled; a grey heading
    row; a caption only screen readers read), then the table's own `rules`, which win."""
    c = f".{cls}"
    return f"""<style>
{c} {{ overflow-x: auto; }}
{c}:focus-visible {{ outline: 2px solid #1c6dd0; outline-offset: 2px; }}
{c} th, {c} td {{ text-align: left; vertical-align: top; padding: 0.4rem 0.5rem;
  border-bottom: 1px solid #e6e8ec; }}
{c} thead th {{ font-weight: 600; color: #4a4f5a; background: #f6f7f9;
  border-bottom: 1px solid #d5d8de; }}
{c} .muted {{ color: #6b7080; }}
{c} caption {{ position: absolute; left: -10000px; width: 1px; height: 1px;
  overflow: hidden; }}
{rules.strip()}
</style>"""


def table_html(
    cls: str,
    label: str,
    head: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    caption: str,
    *,
    numbers: Collection[int] = (),
    flags: Collection[int] = (),
    prose: Collection[int] = (),
    pinned: int = 1,
    first_rem: float | None = None,
    row_header: int = 0,
    max_height_rem: float | None = None,
) -> str:
    """A table of plain values (already worded, escaped here) inside a region `cls`, named
    `label` for screen readers, that Tab reaches so the keyboard scrolls it on a narrow screen.

    An empty value is a muted dash. Columns in `numbers` are right-aligned figures; a value in a
    `flags` column is shown in red (an empty one stays blank); one in a `prose` column (a note)
    wraps instead of widening the table. The first `pinned` columns (1 or
    2; two need the first one's width, `first_rem`) stay at the left edge while the rest scroll
    sideways, with a rule at their right. Column `row_header` names its row (a <th>). With
    `max_height_rem` the rows scroll inside the region under a heading row that stays."""
    if pinned == 2 and first_rem is None:
        raise ValueError("two pinned columns need the first one's width (first_rem)")
    c = f".{cls}"
    rules = [
        f"{c} {{ margin-bottom: 0.5rem; }}",
        f"{c} table {{ border-collapse: separate; border-spacing: 0; min-width: 100%;",
        "  font-size: 0.875rem; line-height: 1.35; }",
        f"{c} th, {c} td {{ white-space: nowrap; background: #fff; }}",
        f"{c} thead th {{ vertical-align: bottom; position: sticky; top: 0; z-index: 2;",
        "  background: #f6f7f9; }",
        f"{c} tbody th {{ font-weight: 400; }}",
        f"{c} .num {{ text-align: right; font-variant-numeric: tabular-nums; }}",
        f"{c} .pin {{ position: sticky; left: 0; z-index: 1; }}",
        f"{c} thead .pin {{ z-index: 3; }}",
        # A rule on the pinned columns' right edge: what scrolls goes under it.
        f"{c} .pin-last {{ box-shadow: inset -1px 0 0 #d5d8de; }}",
        f"{c} .flag {{ color: #b42318; font-weight: 600; }}",
        f"{c} .prose {{ white-space: normal; min-width: 10rem; }}",
    ]
    if max_height_rem:
        rules.append(f"{c} {{ max-height: {max_height_rem}rem; overflow: auto; }}")
    if pinned == 2:
        rules += [
            f"{c} .c0 {{ box-sizing: border-box; width: {first_rem}rem; min-width: {first_rem}rem; }}",
            f"{c} .c1 {{ left: {first_rem}rem; }}",
        ]

    def classes(i: int) -> list[str]:
        out = ["pin", f"c{i}"] if i < pinned else []
        if i == pinned - 1:
            out.append("pin-last")
        if i in numbers:
            out.append("num")
        if i in prose:
            out.append("prose")
        return out

    def cell(tag: str, i: int, text: str, more: list[str], scope: str = "") -> str:
        names = " ".join([*classes(i), *more])
        attrs = scope + (f' class="{names}"' if names else "")
        return f"<{tag}{attrs}>{text}</{tag}>"

    lines = [
        style(cls, "\n".join(rules)),
        f'<div class="{cls}" role="region" tabindex="0" aria-label="{html.escape(label)}">',
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>",
        "".join(cell("th", i, html.escape(h), [], ' scope="col"') for i, h in enumerate(head)),
        "</tr></thead><tbody>",
    ]
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            text = html.escape(v) if v not in (None, "") else ("" if i in flags else DASH)
            more = ["flag"] if i in flags and text else []
            if i == row_header:
                cells.append(cell("th", i, text, more, ' scope="row"'))
            else:
                cells.append(cell("td", i, text, more))
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table></div>")
    return "\n".join(lines)
