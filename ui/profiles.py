"""Both partners' cards on a couple's overview (their details and where each one's newest link
per questionnaire stands), side by side where they fit, as one HTML element.

They were Streamlit's columns, two bordered containers and four elements in each: 13 of the
overview's ~35 elements, and the browser spends ~2 ms drawing each one a click brings (issue 6;
BENCHMARKS.md). The cards look as they did (the same border, heading, type and spacing).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from core import links

# Each partner's details, in this order; an empty one is left out.
PROFILE = (
    ("pronouns", "Pronouns"),
    ("occupation", "Occupation"),
    ("industry", "Industry"),
    ("career_stage", "Career stage"),
    ("weekly_hours", "Weekly work hours"),
    ("city", "City"),
    ("country", "Country"),
    ("languages", "Languages"),
    ("email", "E-mail"),
    ("phone", "Phone"),
)

# Streamlit's bordered container, subheader and caption, as they are drawn in the light theme
# (with READABLE_CSS's caption), so the cards look as they did. Two cards side by side while
# each gets 15rem (a laptop's window beside the sidebar included); narrower (a phone), one above
# the other. Each name is an h2 under the page's h1, at the size it had as an h3 (an h3 skipped
# a level: an accessibility audit).
CSS = """<style>
.tandem-profiles { display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr)); }
.tandem-profiles section { border: 1px solid rgb(220, 216, 212); border-radius: 0.5rem;
  padding: calc(1rem - 1px); min-width: 0; overflow-wrap: anywhere; }
.tandem-profiles h2 { font-size: 1.75rem; font-weight: 600; line-height: 1.2; margin: 0;
  padding: 0.75rem 0 1rem; }
.tandem-profiles p { margin: 0 0 1rem; }
.tandem-profiles b { font-weight: 600; }
.tandem-profiles p:last-child { margin-bottom: 0; }
.tandem-profiles .caption { font-size: 0.875rem; opacity: 0.8; }
</style>"""


def link_lines(
    rows: Sequence[Mapping[str, Any]],
    partner_id: Any,
    titles: Mapping[str, str],
    clock: Callable[[Any], Any],
) -> list[str]:
    """One partner's newest link per questionnaire, as HTML lines 'Title: <b>status</b> (day)'.
    `rows`: core.links.newest_for_couple's; `clock` puts a stored time on the reader's clock."""
    lines = []
    for r in rows:
        if r["partner_id"] != partner_id:
            continue
        last = clock(r["submitted_at"] or r["opened_at"] or r["created_at"])
        title = titles.get(r["instrument_id"]) or (
            f"Weighing up: {r['decision_title']}"  # a decision's opportunity matrix
            if r["decision_title"] is not None
            else "A form no longer offered"
        )
        status = links.STATUS_LABELS[r["status"]]
        lines.append(f"{html.escape(title)}: <b>{html.escape(status)}</b> ({last.day} {last:%b})")
    return lines


def card(partner: Mapping[str, Any], status: Sequence[str]) -> str:
    """One partner's card: their name, their details, then their questionnaires' lines."""
    details = [
        f"<b>{label}:</b> {html.escape(str(partner[field]))}"
        for field, label in PROFILE
        if partner.get(field) not in (None, "")
    ]
    return (
        f"<section><h2>{html.escape(partner['name'])}</h2>"
        f"<p>{'<br>'.join(details) or '<i>No details yet.</i>'}</p>"
        '<p class="caption">Questionnaires</p>'
        f"<p>{'<br>'.join(status) or '<i>None sent yet.</i>'}</p></section>"
    )


def cards_html(
    partners: Sequence[Mapping[str, Any]],
    rows: Sequence[Mapping[str, Any]],
    titles: Mapping[str, str],
    clock: Callable[[Any], Any],
) -> str:
    """Both partners' cards, the same layout for each, in one element."""
    cards = "".join(card(p, link_lines(rows, p["id"], titles, clock)) for p in partners)
    return f'{CSS}<div class="tandem-profiles">{cards}</div>'
