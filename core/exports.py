"""Session summaries as PDF and Markdown, for the couple or for the record.

A summary is built once as a list of blocks, then written as Markdown or PDF, so both say the
same thing. What the couple receives is decided here, not on the page: a summary *for the
couple* never shows counselor notes, either partner's own questionnaire, check-in or exercise
answers, or any counselor-only (safety) item, whatever options are passed in. Its equity chart
does count both partners' check-in shares of the home load, folded into its one line with the
seasons and the ledger (core/charts.py, summary_charts; the README says what that means).

Bytes are made on demand for a signed-in counselor (core checks the couple is theirs) and never
written to disk: Streamlit's media URLs are not access-checked.
"""

from __future__ import annotations

import base64
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from core import agreements, couples, decisions, instruments, markdown, roadmap, sessions
from core.accounts import Actor
from core.audit import audited
from core.dates import local_or_utc, shown, today_in
from core.db import Database
from core.palette import distinct_names
from core.render_chart import ChartsNotDrawn, Renderer

LOG = logging.getLogger(__name__)

COUPLE = "couple"
RECORD = "record"
AUDIENCES = {COUPLE: "For the couple", RECORD: "For the record"}
# Chart images: drawn this wide (px) and at 2x for print sharpness.
CHART_WIDTH_PX = 640
CHART_SCALE = 2
# Planned roadmap items listed under the chart: the next few, not the whole future.
UPCOMING_ITEMS = 8


@dataclass(frozen=True)
class Options:
    """What the counselor chose to include. Record-only fields are ignored for the couple."""

    audience: str = COUPLE
    all_agreements: bool = False  # every live agreement, not only those discussed
    roadmap: bool = True
    matrix: bool = True
    other_charts: bool = True
    notes: bool = True  # record only
    exercise_answers: bool = True  # record only
    agreement_history: bool = False  # record only

    def effective(self) -> Options:
        """The options as enforced: the couple's summary never carries private material."""
        if self.audience != RECORD:
            return replace(
                self, audience=COUPLE, notes=False, exercise_answers=False, agreement_history=False
            )
        return self


def fact_label(label: str) -> str:
    """A fact's label as every format writes it: "Kind:", but a question takes no colon
    ("Recognised?", not "Recognised?:")."""
    return label if label.rstrip().endswith(("?", ":")) else f"{label}:"


@dataclass
class Summary:
    """A summary as blocks: (kind, payload). Kinds: h2, h3, p, muted, facts, bullets, table,
    chart, note (a chart's "how to read this": label and text, kept with the chart above).
    Payload text is the people's own text, escaped only when written out."""

    title: str
    lines: list[str]
    document: str
    practice: str
    dated: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def add(self, kind: str, payload: Any) -> None:
        self.blocks.append((kind, payload))

    def text(self) -> str:
        """Every piece of text in the summary (for checks and search)."""
        parts = [self.title, *self.lines]
        for kind, payload in self.blocks:
            if kind in ("h2", "h3", "p", "muted"):
                parts.append(payload)
            elif kind == "facts":
                parts.extend(f"{fact_label(k)} {v}" for k, v in payload)
            elif kind in ("note", "bullets"):  # a note's label and text; each bullet
                parts.extend(payload)
            elif kind == "table":
                parts.extend(payload[0])
                parts.extend(c for row in payload[1] for c in row)
            elif kind == "chart":
                parts.append(payload[0])
        return "\n".join(parts)


# -- charts as pictures ----------------------------------------------------------------------
# vl-convert draws them in a short-lived child process (core/render_chart.py): loaded in the
# server, its engine stayed there for good (+115 MB after the first summary; issue 6).
# The view size Altair's default theme added to every chart it converted: the summary's charts
# went through Altair until issue 6, and now go as the specs the pages draw, with this added so
# that a printed chart is drawn as it was. The server no longer loads Altair (~26 MB, ~0.25 s).
ALTAIR_THEME_VIEW = {"continuousWidth": 300, "continuousHeight": 300}


def chart_png(spec: dict[str, Any]) -> bytes:
    """A chart's Vega-Lite spec drawn as PNG in a child process (no browser); raises
    ChartsNotDrawn."""
    with Renderer(CHART_SCALE) as renderer:
        return renderer.pngs([_spec(spec)])[0]


def _spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart's spec as it is printed: Altair's view size, and texts the PDF's fonts can draw.
    Charts are built by our own tested code, so the schema check (~0.1-0.3 s a chart) is
    skipped."""
    from core import pdf  # fpdf2 is imported when an export is made, not with this module

    config = spec.get("config", {})
    spec = {**spec, "config": {**config, "view": {**ALTAIR_THEME_VIEW, **config.get("view", {})}}}
    try:
        return pdf.printable_spec(spec)
    except pdf.FontsMissing:  # the PDF says so itself; a Markdown file's charts go as they are
        return spec


@contextlib.contextmanager
def _child(needed: bool, given: Renderer | None = None) -> Iterator[Renderer | None]:
    """`given` if there is one; else, when `needed`, a chart child started now (it warms up
    while the caller works, and ends on leaving the block, needed after all or not); else None."""
    if given is not None or not needed:
        yield given
        return
    with Renderer(CHART_SCALE) as renderer:
        yield renderer


def _brings_charts(options: Options) -> bool:
    opts = options.effective()
    return bool(opts.roadmap or opts.matrix or opts.other_charts)


def _has_charts(summary: Summary) -> bool:
    return any(kind == "chart" for kind, _ in summary.blocks)


def _send(summary: Summary, renderer: Renderer | None) -> list[int]:
    """Hand every chart of the summary to the child at once; returns their block indexes."""
    charts = [i for i, (kind, _) in enumerate(summary.blocks) if kind == "chart"]
    if charts and renderer is not None:
        renderer.submit([_spec(summary.blocks[i][1][1]) for i in charts])
    return charts


def _received(charts: list[int], renderer: Renderer | None) -> dict[int, bytes | None]:
    """Block index -> PNG of each chart sent; None for each when drawing failed (the file then
    says so where the chart would be, and the server log says why)."""
    if not charts or renderer is None:
        return {}
    try:
        return dict(zip(charts, renderer.collect(), strict=True))
    except ChartsNotDrawn as e:
        LOG.warning("Summary charts not drawn: %s", e.detail)
        return dict.fromkeys(charts)


# What a file says where a chart could not be drawn (the server log has the reason).
NOT_DRAWN = "This chart could not be drawn just now. Download the summary again to include it."


# -- building the summary ---------------------------------------------------------------------
# What an agreement's version holds (sql/agreements/versions.sql): a summary shows the version
# that stood on the session's day.
SNAPSHOT = ("title", "body", "kind", "status", "exit_plan", "review_on", "confirmed_on")


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@audited("view", "session summary")
def build(
    db: Database,
    actor: Actor,
    couple_id: Any,
    session_id: Any,
    options: Options,
    practice: str,
    zone: str | None = None,
) -> Summary:
    """The summary of one session, checked against the actor and built from the options.
    `zone` is the counselor's time zone: "today" and stored times (UTC) are dated on their
    clock."""
    opts = options.effective()
    today = today_in(zone)

    def on_the_clock(value: datetime) -> date:
        return local_or_utc(value, zone).date()

    couple = couples.get(db, actor, couple_id)
    session = sessions.get(db, actor, couple["id"], session_id)
    partners = couple["partners"]
    names = distinct_names(partners)
    name_of = dict(zip((p["id"] for p in partners), names, strict=True))
    for_couple = opts.audience == COUPLE
    document = "Session summary" + ("" if for_couple else " (for the record)")
    summary = Summary(
        title=f"Session summary: {couple['label']}",
        lines=[
            f"Session on {shown(session['held_on'])} · {AUDIENCES[opts.audience]}",
            f"Prepared by {actor.display_name}, {practice}, on {shown(today)}",
        ],
        document=document,
        practice=practice,
        dated=shown(session["held_on"]),
    )
    add = summary.add

    add("h2", "What we focused on")
    add("p", session["focus"] or "No focus was noted for this session.")
    if session["takeaways"]:
        add("h2", "What we take away")
        add("p", session["takeaways"])
    if opts.notes and session["notes"]:
        add("h2", "Counselor's notes")
        add("muted", "For the counselor's record; not shared with the couple.")
        add("p", session["notes"])

    # Agreements
    every = agreements.for_couple(db, actor, couple["id"])
    chosen = [
        a
        for a in every
        if a["id"] in session["agreement_ids"]
        or (opts.all_agreements and a["status"] in agreements.LIVE_STATUSES)
    ]
    if chosen:
        add("h2", "Agreements")
        every_version = agreements.histories(db, actor, couple["id"])  # one read for them all
        for current in chosen:
            # Each as it stood at the end of the session's day, not as it reads today.
            versions = every_version[current["id"]]
            then = [v for v in versions if on_the_clock(v["edited_at"]) <= session["held_on"]]
            standing = then[-1] if then else versions[0]
            a = {**current, **{k: standing[k] for k in SNAPSHOT}}
            add("h3", a["title"])
            if not then:
                add("muted", "Written after this session; shown as first written.")
            elif len(then) < len(versions):
                add(
                    "muted",
                    f"As it stood on {shown(session['held_on'])} (version {len(then)} of "
                    f"{len(versions)}); it has changed since.",
                )
            facts = [
                ("Kind", agreements.KINDS.get(a["kind"], a["kind"])),
                ("Status", agreements.STATUSES.get(a["status"], a["status"])),
            ]
            # Right under the status: "Active" with no word of it read as agreed by both, when
            # a changed text waits to be confirmed again (walkthrough; the app says so too).
            if a["confirmed_on"]:
                facts.append(("Confirmed by both on", shown(a["confirmed_on"])))
            else:
                so_far = then or versions[:1]  # as first written: version 1 alone
                facts.append(("Confirmed by both", _unconfirmed(a, so_far, for_couple)))
            if a["review_on"]:
                facts.append(("Review on", shown(a["review_on"])))
            add("facts", facts)
            add("p", a["body"])
            if a["exit_plan"]:
                add("facts", [("Exit plan", a["exit_plan"])])
            if opts.agreement_history:
                add(
                    "bullets",
                    [
                        f"Version {v['version']}, {shown(on_the_clock(v['edited_at']))}"
                        + (f" by {v['edited_by_name']}" if v["edited_by_name"] else "")
                        + (f": {v['change_note']}" if v["change_note"] else "")
                        for v in versions
                    ],
                )

    # Decisions
    discussed = [
        d
        for d in decisions.for_couple(db, actor, couple["id"])
        if d["id"] in session["decision_ids"]
    ]
    if discussed:
        add("h2", "Decisions")
    for d in discussed:
        _decision_blocks(db, actor, couple, d, names, name_of, opts, summary)

    # Roadmap
    if opts.roadmap:
        data = roadmap.timeline(db, actor, couple["id"], today)
        if not data["frame"].empty:
            add("h2", "Our roadmap" if for_couple else "Roadmap")
            if today != session["held_on"]:  # the roadmap has no versions: today's is shown
                add("muted", f"As it stands on {shown(today)}.")
            add(
                "chart",
                (
                    f"Roadmap. {roadmap.LEGEND} Bars are spans of time; the dashed line is today.",
                    roadmap.timeline_spec(data, width=CHART_WIDTH_PX),
                ),
            )
            planned = data["frame"][data["frame"]["when"] == roadmap.PLANNED].sort_values("start")
            if not planned.empty:
                add(
                    "bullets",
                    [
                        f"{shown(r.start.date())}: {r.title} ({r.lane})"
                        for r in planned.head(UPCOMING_ITEMS).itertuples()
                    ],
                )

    # Homework
    if session["homework"]:
        add("h2", "Homework")
        add(
            "muted",
            "Each of you has your own private link for these. What you write stays between you "
            "and your counselor unless you choose to share it."
            if for_couple
            else "Each partner has a private link per exercise; their answers are below when "
            "included.",
        )
        links_by_exercise: dict[str, list[dict]] = {}
        if not for_couple:
            for r in sessions.homework_links(db, actor, couple["id"], session["id"]):
                links_by_exercise.setdefault(r["instrument_id"], []).append(r)
        answers = (
            sessions.homework_answers(db, actor, couple["id"], session["id"])
            if opts.exercise_answers
            else {}
        )
        for iid in session["homework"]:
            exercise = instruments.load(iid)
            add("h3", exercise.title)
            add("p", f"About {exercise.minutes} minutes. {exercise.intro.split('. ')[0].strip()}.")
            if not for_couple:
                states = {}
                for r in links_by_exercise.get(iid, []):
                    states.setdefault(name_of[r["partner_id"]], r["status"])
                if states:
                    add("facts", [(who, state.replace("_", " ")) for who, state in states.items()])
            for pid, given in answers.get(iid, {}).items():
                add(
                    "h3", f"{name_of[pid]}'s answers ({shown(on_the_clock(given['submitted_at']))})"
                )
                add(
                    "facts",
                    [
                        (item.prompt, instruments.answer_label(item, given["answers"][item.id]))
                        for item in exercise.items
                        if not item.is_private and item.id in given["answers"]
                    ],
                )

    if opts.other_charts:
        from core.charts import summary_charts

        # The charts they looked at, on the counselor's days.
        extra = summary_charts(db, actor, couple["id"], zone)
        if extra:
            add("h2", "Charts we looked at")
            for title, chart, reading in extra:
                add("chart", (title, chart))
                # The page explains the chart beside it; on paper it needs its own words.
                add("note", ("How to read this chart", reading))
    return summary


def _unconfirmed(version: dict[str, Any], up_to: list[dict[str, Any]], for_couple: bool) -> str:
    """What the summary says of a version both partners have not confirmed; `up_to` is the
    agreement's versions up to and including it, oldest first, for the last confirmed one."""
    both = "both of you" if for_couple else "both partners"
    if version["status"] == "retired":
        said = f"No: this version was not confirmed by {both} before it was retired."
    else:
        said = f"Not yet. This version still waits for {both} to confirm it."
    earlier = [v for v in up_to[:-1] if v["confirmed_on"]]
    if earlier:
        last = earlier[-1]
        said += (
            f" It is version {up_to[-1]['version']}; the last version {both} confirmed is "
            f"version {last['version']}, on {shown(last['confirmed_on'])}."
        )
    return said


def _decision_blocks(db, actor, couple, d, names, name_of, opts: Options, summary: Summary):
    add = summary.add
    add("h3", d["title"])
    opts_rows = decisions.options(db, actor, couple["id"], d["id"])
    chosen = next((o for o in opts_rows if o["id"] == d["chosen_option_id"]), None)
    facts = [
        ("Kind", decisions.KINDS.get(d["kind"], d["kind"])),
        ("Status", decisions.STATUSES.get(d["status"], d["status"])),
    ]
    # What was decided sits under the status, before the options and the matrix: at the end,
    # after the chart, a page break carried it away from its decision (walkthrough).
    if chosen is not None:
        facts.append(("Chosen", chosen["label"]))
    if d["outcome"] or chosen is not None:
        if d["decided_on"]:
            facts.append(("Decided on", shown(d["decided_on"])))
        if d["outcome"]:
            facts.append(("Outcome", d["outcome"]))
    if d["deadline_on"]:
        facts.append(("Deadline", shown(d["deadline_on"])))
    facts.append(("Urgency", decisions.URGENCY.get(d["urgency"], d["urgency"])))
    if d["follow_up_on"]:
        facts.append(("Follow-up on", shown(d["follow_up_on"])))
    add("facts", facts)
    if d["facts"]:
        add("p", d["facts"])
    n1, n2 = names
    bare: list[str] = []
    headed = 0
    for o in opts_rows:
        lines = []
        for label, key in (
            ("A week in this option", "week"),
            (f"For {n1}'s career", "impact_1"),
            (f"For {n2}'s career", "impact_2"),
            ("In one year", "view_1y"),
            ("In five years", "view_5y"),
            ("In ten years", "view_10y"),
        ):
            if o[key]:
                lines.append((label, o[key]))
        for n, who in ((1, n1), (2, n2)):
            if o[f"veto_{n}"]:
                lines.append((f"{who}'s veto", f"protects {o[f'veto_need_{n}']}"))
        if lines:
            headed += 1
            add("h3", f"Option: {o['label']}" + (" (chosen)" if o is chosen else ""))
            add("facts", lines)
        elif o is not chosen:  # the chosen one is named above, never as merely weighed
            bare.append(o["label"])
    if bare:
        # Options with nothing written about them yet: named on one line, not as headings with
        # nothing under them.
        if headed:
            label = "Also weighed"
        else:
            label = "Other options weighed" if chosen is not None else "Options weighed"
        add("facts", [(label, "; ".join(bare))])
    money_rows = []
    for o in opts_rows:
        m = decisions.money(o)
        if m is not None:
            money_rows.append(
                [
                    o["label"],
                    _money(m.income),
                    _money(m.costs),
                    _money(m.monthly_net),
                    _money(m.first_year),
                ]
            )
        else:  # listed, as on the Money tab: left out, it looked as if it had been forgotten
            money_rows.append([o["label"], "no amounts", "", "", ""])
    if any(decisions.money(o) is not None for o in opts_rows):
        # Its own heading: under the last option's, the table read as that option's alone.
        add("h3", "Money, option by option")
        add(
            "table",
            (
                ["Option", "Income / month", "Costs / month", "Left / month", "First year"],
                money_rows,
            ),
        )
        add(
            "muted",
            "Money: both take-home incomes less household costs, adjusted for the cost of living "
            "in each option; the first year also takes off one-off costs. In your own currency.",
        )
    if opts.matrix:
        m = decisions.matrix(db, actor, couple["id"], d["id"])
        res = decisions.results(m)
        if any(t.mean is not None for r in res for t in r.by_partner.values()):
            # Its own heading, like the money table's: else it read as part of the last option.
            add("h3", "Opportunity matrix")
            gaps = _empty_cells(m, name_of)
            if gaps:
                add("p", gaps)
            add(
                "table",
                (
                    ["Option", *names, "Together"],
                    [
                        [
                            r.label,
                            *(_score(r.by_partner[p["id"]].mean) for p in m.partners),
                            _score(r.together),
                        ]
                        for r in res
                    ],
                ),
            )
            add(
                "muted",
                "Opportunity matrix: each of you weighed the factors (1–10) and scored each "
                "option (1–10). A score here is the average of your scores, weighted by what "
                "matters to you; “together” is the mean of the two. A conversation aid, not a "
                "verdict.",
            )
            add(
                "chart",
                (
                    f"Opportunity matrix{' (incomplete)' if gaps else ''}: {d['title']}",
                    decisions.matrix_spec(
                        decisions.results_frame(m, res), names, width=CHART_WIDTH_PX - 80
                    ),
                ),
            )


def _empty_cells(m: decisions.Matrix, name_of: dict[int, str]) -> str | None:
    """What the summary says above totals from a matrix with empty cells (None when every cell
    is filled), in the decisions page's words: who has filled how many, and what that means."""
    counts = [(name_of[p["id"]], *decisions.filled_cells(m, p["id"])) for p in m.partners]
    short = [(who, filled, cells) for who, filled, cells in counts if filled < cells]
    if not short:
        return None
    who = " and ".join(
        f"{name} has filled {filled} of {cells} cells" if i == 0 else f"{name} {filled} of {cells}"
        for i, (name, filled, cells) in enumerate(short)
    )
    return (
        f"Some cells are still empty, so these totals are incomplete: {who} (a cell is a weight "
        "and a score for one factor and one option). Totals use only the factors a partner has "
        "given both a weight and a score; a dash means that partner has no such factor yet for "
        "that option (and “together” waits for both)."
    )


# -- writing it out ---------------------------------------------------------------------------
def to_markdown(summary: Summary, renderer: Renderer | None = None) -> str:
    """The summary as Markdown; people's text escaped, charts embedded as PNG data (drawn by
    `renderer` when one was started for it)."""
    with _child(_has_charts(summary), renderer) as drawer:
        pngs = _received(_send(summary, drawer), drawer)
    esc = markdown.escape_file

    def inline(text: object) -> str:  # not at a line's start: a heading's, a cell's, a label's
        return markdown.escape_file(text, line_start=False)

    out = [f"# {inline(summary.title)}", ""]
    out += [f"{esc(line)}  " for line in summary.lines] + [""]
    for i, (kind, payload) in enumerate(summary.blocks):
        if kind == "h2":
            out += [f"## {inline(payload)}", ""]
        elif kind == "h3":
            out += [f"### {inline(payload)}", ""]
        elif kind == "p":
            out += [esc(payload), ""]
        elif kind == "muted":
            out += [f"*{inline(payload)}*", ""]
        elif kind == "facts":
            out += [f"- **{inline(fact_label(k))}** {inline(v)}" for k, v in payload] + [""]
        elif kind == "note":
            label, text = payload
            out += [f"**{inline(fact_label(label))}** {inline(text)}", ""]
        elif kind == "bullets":
            out += [f"- {esc(b)}" for b in payload] + [""]
        elif kind == "table":
            headers, rows = payload
            out.append("| " + " | ".join(inline(h) for h in headers) + " |")
            out.append("|" + "---|" * len(headers))
            out += ["| " + " | ".join(inline(c) for c in row) + " |" for row in rows]
            out.append("")
        elif kind == "chart":
            caption = payload[0]
            if pngs[i] is None:
                out += [f"*{esc(caption)}*", "", f"*{esc(NOT_DRAWN)}*", ""]
                continue
            data = base64.b64encode(pngs[i]).decode("ascii")
            out += [f"![{esc(caption)}](data:image/png;base64,{data})", "", f"*{esc(caption)}*", ""]
    out += ["---", f"*{esc(summary.practice)} · {esc(summary.dated)}*", ""]
    return "\n".join(out)


def to_pdf(summary: Summary, renderer: Renderer | None = None) -> bytes:
    """The summary as an A4 PDF with the practice name and date on every page (charts drawn by
    `renderer` when one was started for it)."""
    from core.pdf import Document, Page

    with _child(_has_charts(summary), renderer) as drawer:
        charts = _send(summary, drawer)
        # The fonts load and the title is set while the child draws.
        doc = Document(Page(summary.practice, summary.document, summary.dated), text=summary.text())
        doc.title_block(summary.title, summary.lines)
        pngs = _received(charts, drawer)

    def note_below(i: int) -> float:
        """The height of the note that follows block i, if one does (0 if not)."""
        after = summary.blocks[i + 1] if i + 1 < len(summary.blocks) else None
        return doc.note_height(*after[1]) if after and after[0] == "note" else 0.0

    for i, (kind, payload) in enumerate(summary.blocks):
        if kind in ("h2", "h3") and pngs.get(i + 1):
            # A heading right above a chart moves to the next page with it (and its note).
            doc.keep(doc.picture_size(pngs[i + 1])[1] + 24 + note_below(i + 1))
        if kind == "h2":
            doc.heading(payload, 2)
        elif kind == "h3":
            doc.heading(payload, 3)
        elif kind == "p":
            doc.paragraph(payload)
        elif kind == "muted":
            doc.paragraph(payload, muted=True, italic=True)
        elif kind == "facts":
            doc.facts([(fact_label(k), v) for k, v in payload])
        elif kind == "bullets":
            doc.bullets(payload)
        elif kind == "table":
            doc.grid(*payload)
        elif kind == "chart" and pngs[i] is None:
            doc.paragraph(f"{payload[0]} {NOT_DRAWN}", muted=True, italic=True)
        elif kind == "chart":
            doc.picture(pngs[i], payload[0], then=note_below(i))
        elif kind == "note":
            doc.note(*payload)
    return doc.finished()


def file_name(summary_kind: str, audience: str, held_on: date, extension: str) -> str:
    """A download name without the couple's names (files get forwarded)."""
    who = "for-the-record" if audience == RECORD else "for-the-couple"
    return f"session-{held_on:%Y-%m-%d}-{summary_kind}-{who}.{extension}"


@audited("export", "session summary PDF")
def summary_pdf(db, actor, couple_id, session_id, options: Options, practice: str, zone=None):
    """Build and write a summary as PDF in one call (for a deferred download button); `zone`
    as for `build`."""
    return _written(to_pdf, db, actor, couple_id, session_id, options, practice, zone)


@audited("export", "session summary Markdown")
def summary_markdown(db, actor, couple_id, session_id, options: Options, practice: str, zone=None):
    """Build and write a summary as Markdown (UTF-8) in one call."""
    return _written(_markdown_bytes, db, actor, couple_id, session_id, options, practice, zone)


def _markdown_bytes(summary: Summary, renderer: Renderer | None) -> bytes:
    return to_markdown(summary, renderer).encode("utf-8")


def _written(write, db, actor, couple_id, session_id, options, practice, zone) -> bytes:
    """A summary built and written by `write(summary, renderer)`, its charts drawn in a child
    process only if the options bring any."""
    with _child(_brings_charts(options)) as renderer:
        return write(build(db, actor, couple_id, session_id, options, practice, zone), renderer)
