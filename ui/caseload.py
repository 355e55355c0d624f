"""The caseload's table: one HTML element, each couple's name a link that opens the couple.

It was Streamlit's data grid (st.dataframe with a button column). The grid's code (~60 files)
was fetched, compiled and drawn on a canvas after the caseload's run: ~170 ms of every full load
of the caseload, which kept it at ~2× the empty page (issue 6; BENCHMARKS.md). A canvas also
took no keyboard (its *Open* cells took no Enter, so the page needed a second picker of names)
and on a loaded machine it drew its rows a moment before it took clicks. A table of links is
read by screen readers as a table, is reached with Tab and opened with Enter, and is drawn at
once with the rest of the page.

A link carries a token, never the couple's id (the id stays off the URL, as before): the token
names the couple to this sign-in only (core.couples.link_token), in any of its tabs, so a link
opened in a new tab or after a reload works (where the remember-me cookie resumes the sign-in;
without it the sign-in form comes first, and then a new sign-in), and one copied to another
account, bookmarked past the sign-in's end or left in the browser's history opens nothing. The page script
(core/frontend.py, part 8) follows a link inside the app, as a sidebar link does, in ~0.3 s
(a plain link loads the whole app again, ~1 s: what a server without the page script, such as
`streamlit run app.py`, does). The guard (ui.auth.require_login) takes the token on the page it
leads to, before anything is drawn.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import streamlit as st

from core import alerts, couples
from core.accounts import Actor
from core.dates import shown
from ui import state
from ui.app import App
from ui.sidebar import COUPLE, page_path
from ui.tables import DASH, style

OPEN_PARAM = "open"  # the query parameter of a couple's link: /Couple?open=TOKEN
# The couple page's address relative to the app's root ("Couple").
COUPLE_PAGE_PATH = page_path(COUPLE)
# A link the page script follows inside the app (core/frontend.py, part 8).
IN_APP = "data-in-app"
UNKNOWN_LINK = (
    "That link to a couple opens nothing here: it belongs to another sign-in, or the couple is "
    "no longer on your caseload. Open the couple from the caseload."
)
# The badge of an alert by its severity (core.alerts.SEVERITY): safety, the validated measure,
# patterns, reminders. Text on its background reads at 4.5:1 or more.
BADGE_CLASS = {4: "sev4", 3: "sev3", 2: "sev2", 1: "sev1"}
# What a column heading means, on hover (as the grid's headings said).
HEADING_HELP = {
    "Alerts": "The worst first; Why has each one's reason.",
    "Satisfaction": "How satisfaction moved over the last 90 days, and whose: a trend, not a "
    "score (a dash until a partner has 4 check-ins there). A low score is an alert of its own.",
    "Next review": "The soonest review date, or one already passed: a season's, an agreement's "
    "or a decision's follow-up.",
}
CSS = style(
    "tandem-caseload",
    """
.tandem-caseload { margin-bottom: 0.5rem; }
.tandem-caseload table { border-collapse: separate; border-spacing: 0; width: 100%;
  min-width: 48rem; font-size: 0.9rem; line-height: 1.35; }
.tandem-caseload th, .tandem-caseload td { padding: 0.45rem 0.5rem; }
.tandem-caseload thead th { vertical-align: bottom; }
.tandem-caseload tbody th { font-weight: 600; position: sticky; left: 0; background: #fff;
  min-width: 9rem; max-width: 12rem; }
.tandem-caseload .about { font-weight: 400; font-size: 0.8rem; color: #5d6270;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tandem-caseload thead th:first-child { position: sticky; left: 0; z-index: 1; }
.tandem-caseload tbody tr:hover th, .tandem-caseload tbody tr:hover td { background: #f4f7fb; }
.tandem-caseload a { color: #0b57b8; text-decoration: none; }
.tandem-caseload a:hover { text-decoration: underline; }
.tandem-caseload .badge { display: inline-block; border-radius: 0.5rem; padding: 0 0.45rem;
  margin: 0 0.25rem 0.2rem 0; font-size: 0.82rem; white-space: nowrap; }
.tandem-caseload .sev4 { background: #ffe0e0; color: #9c1118; }
.tandem-caseload .sev3 { background: #ffe9d2; color: #854200; }
.tandem-caseload .sev2 { background: #eee6ff; color: #58309c; }
.tandem-caseload .sev1 { background: #dfecff; color: #0b4c94; }
.tandem-caseload .why { min-width: 11rem; color: #3d424d; }
.tandem-caseload .clamp { display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 2; overflow: hidden; }
.tandem-caseload .what .long { display: none; }
@media (hover: none) { .tandem-caseload .clamp { display: block; overflow: visible; }
  .tandem-caseload .about, .tandem-caseload .what { white-space: normal; }
  .tandem-caseload .what .short { display: none; }
  .tandem-caseload .what .long { display: inline; } }
.tandem-caseload .date { white-space: nowrap; }
/* What a review is for: as wide as its column's date (width 0, min-width 100%), never wider: at
   9rem it widened the column and the table scrolled sideways at 1280 px. */
.tandem-caseload .what { font-size: 0.8rem; color: #5d6270; overflow: hidden;
  text-overflow: ellipsis; width: 0; min-width: 100%; }
""",
)


def open_from_link(app: App, actor: Actor) -> None:
    """A couple's link from the caseload (?open=TOKEN): open that couple. The token stays in
    the address, so each entry of the browser's history names its couple (Back from one couple
    to the caseload and Forward again opens the same one, whatever was opened since), and a
    reload opens it again. A token this sign-in did not make (or whose couple it may no longer
    open) opens nothing, says so, leaves the address and closes the couple that was open, so
    that a stale name never shows another couple. Core checks the couple's owner again when
    the page reads it."""
    token = st.query_params.get(OPEN_PARAM)
    if token is None:
        return
    # A rerun of the page this link opened, in the same sign-in: nothing to look up again.
    if st.session_state.get(state.FOLLOWED) == (
        actor.session_id,
        token,
        st.session_state.get(state.COUPLE_ID),
    ):
        return
    couple_id = couples.from_link_token(app.db, actor, app.cookie_key, token)
    if couple_id is None:
        del st.query_params[OPEN_PARAM]
        # Not the couple open before: the counselor clicked another name and would read (and
        # write into) the wrong couple's page under a small notice.
        st.session_state.pop(state.COUPLE_ID, None)
        st.info(UNKNOWN_LINK)
        return
    st.session_state[state.COUPLE_ID] = couple_id
    st.session_state[state.FOLLOWED] = (actor.session_id, token, couple_id)


def _td(body: str, css: str = "", title: str = "") -> str:
    """A row's cell holding `body` (HTML) with an optional tooltip `title`, both escaped by the
    caller. Its role is said outright: a table whose rows a phone's CSS draws as cards is no
    table to some screen readers."""
    css_attr = f' class="{css}"' if css else ""
    title_attr = f' title="{title}"' if title else ""
    return f'<td role="cell"{css_attr}{title_attr}>{body}</td>'


def _cell(text: str, css: str = "") -> str:
    if not text:  # a dash; on a phone's card (narrow_css) an empty fact is left out
        css = f"{css} none".strip()
    return _td(html.escape(text) if text else DASH, css)


def _review_cell(review: alerts.Review | None) -> str:
    """The next review's date and, under it, what it reviews (a line at most: whole in its
    tooltip, on a touch screen and on a phone's card)."""
    if review is None:
        return _cell("", "date")
    what = html.escape(review.what[:1].upper() + review.what[1:])
    # Its kind under the date, the whole of it in the tooltip; on a touch screen and a phone's
    # card (no tooltip there) the whole of it. Cut to the date's width, "Season “Łu…" said
    # neither.
    kind = html.escape(review.kind or what)
    return _td(
        f'{html.escape(shown(review.review_on))}<div class="what" title="{what}">'
        f'<span class="short">{kind}</span><span class="long">{what}</span></div>',
        "date",
    )


# On a phone's card, the facts after the reasons are each said with their column's name.
CARD_LABELLED = frozenset({"Counselor", "Last check\u2011in", "Satisfaction", "Next review"})


@lru_cache(maxsize=4)  # one per table layout: the counselor's, the whole practice's
def narrow_css(head: tuple[str, ...]) -> str:
    """On a phone (under 40em) each couple is a card, not a row 48rem wide that scrolled the
    reasons and dates off the screen: the name, the badges, the reasons whole, then the other
    facts, each after its column's name (by position: `head` is the table's columns)."""
    labelled = "\n".join(
        f"  .tandem-caseload tbody td:nth-child({i + 1})::before"
        f' {{ content: "{h.replace(chr(0x2011), "-")}: "; color: #5d6270; }}'
        for i, h in enumerate(head)
        if h in CARD_LABELLED
    )
    return (
        "<style>\n@media (max-width: 40em) {\n"
        "  .tandem-caseload table { min-width: 0; }\n"
        "  .tandem-caseload thead { position: absolute; left: -10000px; }\n"
        "  .tandem-caseload tbody tr { display: block; padding: 0.35rem 0;"
        " border-bottom: 1px solid #e6e8ec; }\n"
        "  .tandem-caseload tbody th, .tandem-caseload tbody td { display: block;"
        " position: static; max-width: none; padding: 0.1rem 0.25rem; border: none; }\n"
        "  .tandem-caseload tbody td.none { display: none; }\n"
        "  .tandem-caseload .about, .tandem-caseload .what { white-space: normal;"
        " max-width: none; }\n"
        "  .tandem-caseload .clamp { display: block; overflow: visible; }\n"
        "  .tandem-caseload .what { width: auto; }\n"
        "  .tandem-caseload .what .short { display: none; }\n"
        "  .tandem-caseload .what .long { display: inline; }\n"
        f"{labelled}\n}}\n</style>"
    )


def table_html(
    rows: Sequence[Mapping[str, Any]],
    found: Mapping[int, alerts.Summary],
    *,
    whole_practice: bool,
    caption: str,
    token: Callable[[int], str],
) -> str:
    """The caseload's rows (one screen of them) as an HTML table, most important columns first:
    the couple (a link, their work and cities under it), the counselor (whole practice only),
    the alerts and their reasons, the last check-in, the satisfaction trend, the next review.
    `token` gives a couple's link token (core.couples.link_token)."""
    head = ["Couple", *(["Counselor"] if whole_practice else []), "Alerts", "Why"]
    # A non-breaking hyphen: a narrow column wraps "Last / check-in", never "check- / in".
    head += ["Last check\u2011in", "Satisfaction", "Next review"]
    lines = [
        CSS,
        narrow_css(tuple(head)),
        # The scrolling region (Tab reaches it, so the keyboard can scroll a narrow screen
        # sideways) has a name of its own: the table's caption says which page it is.
        '<div class="tandem-caseload" role="region" tabindex="0" aria-label="Caseload table">',
        # Roles said outright: on a phone the rows are cards (display: block, narrow_css), and a
        # browser drops a table's implicit roles from an element no longer drawn as a table; a
        # screen reader then read the cards as loose text, no column names, no row headers.
        f'<table role="table"><caption>{html.escape(caption)}</caption>'
        '<thead role="rowgroup"><tr role="row">',
        "".join(
            f'<th scope="col" role="columnheader" title="{HEADING_HELP[h]}">{h}</th>'
            if h in HEADING_HELP
            else f'<th scope="col" role="columnheader">{h}</th>'
            for h in head
        ),
        '</tr></thead><tbody role="rowgroup">',
    ]
    for row in rows:
        summary = found.get(row["id"])
        label = row["label"] + (" (archived)" if row["status"] == "archived" else "")
        href = f"{COUPLE_PAGE_PATH}?{OPEN_PARAM}={token(row['id'])}"
        # Work and cities under the name, a line at most: a column of their own pushed the
        # table past the width of a laptop's screen. Whole on a touch screen (no tooltip there).
        work = " / ".join(x for x in (row["occupation_1"], row["occupation_2"]) if x)
        cities = ", ".join(sorted({c for c in (row["city_1"], row["city_2"]) if c}))
        about = html.escape(" · ".join(x for x in (work, cities) if x))
        cells = [
            f'<th scope="row" role="rowheader"><a href="{html.escape(href)}" {IN_APP}>'
            f"{html.escape(label)}</a>"
            + (f'<div class="about" title="{about}">{about}</div>' if about else "")
            + "</th>"
        ]
        if whole_practice:
            # A counselor who left: their couples wait for an admin to move them (an owner's
            # walkthrough saw a deactivated counselor's couples listed as if still seen).
            gone = " (deactivated)" if row.get("counselor_active") is False else ""
            cells.append(_cell((row["counselor_name"] or "") + gone))
        found_alerts = summary.alerts if summary else ()
        badges = "".join(
            f'<span class="badge {BADGE_CLASS[a.severity]}">{html.escape(a.title)}</span>'
            for a in found_alerts
        )
        cells.append(_td(badges) if badges else _cell(""))
        # Two lines of reasons at most, so that a screen shows most of a page of couples: the
        # whole text is the cell's tooltip, read in full by screen readers, and on the couple's
        # page ("What stands out"). A touch screen has no tooltip: there the reasons are whole.
        reasons = " · ".join(a.reason for a in found_alerts)
        cells.append(
            _td(f'<div class="clamp">{html.escape(reasons)}</div>', "why", html.escape(reasons))
            if reasons
            else _cell("")
        )
        last = summary.last_checkin_on if summary else None
        cells.append(_cell(shown(last, "") if last else "", "date"))
        trend = summary.trend_label if summary else ""
        cells.append(_cell("" if trend == "—" else trend))
        cells.append(_review_cell(summary.next_review if summary else None))
        lines.append('<tr role="row">' + "".join(cells) + "</tr>")
    lines.append("</tbody></table></div>")
    return "\n".join(lines)
