"""The shared roadmap: both careers and the family's transitions on one timeline (seeds 001, 003).

Past milestones are the career history map; planned ones are the plan. Seasons (who leads
when) come from the check-in work's seasons table when it exists: `SEASONS_QUERY` below is the
one query that brings them in (see `seasons`).
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from core import couples
from core.accounts import Actor
from core.audit import audited
from core.charts import SCHEMA_URL, Datasets, Spec, as_altair
from core.clock import utcnow
from core.dates import clean_date, shown
from core.db import Database, load_sql
from core.errors import NotFound, ValidationError
from core.palette import TOGETHER, distinct_names, partner_colours
from core.seasons import name as season_name
from core.validation import as_text, clean_text, record_id

if TYPE_CHECKING:
    import altair as alt

CATEGORIES = {
    "career": "Career step",
    "education": "Study or training",
    "family": "Family transition",
    "other": "Something else",
}
TITLE_MAX_CHARS = 120
NOTE_MAX_CHARS = 2_000
# The lane for the two of them and the household (a child's school, a parent's care, a visa).
TOGETHER_LANE = "Together"
# Dates the couple already set elsewhere in Tandem, shown as planned points on the Together lane.
DATED_SOURCES = {
    "agreement_review": "Review: {title}",
    "decision_deadline": "Deadline: {title}",
    "decision_follow_up": "Follow-up: {title}",
    "season_review": "Season review: {title}",
}
# A roadmap entry's 'when': drawn filled (past) or hollow (planned, or a date that has come).
PAST, PLANNED, DATE_PASSED = "Past", "Planned", "Date passed"
LEGEND = (
    "Filled dots have happened; hollow ones are planned, or are a review, deadline or follow-up "
    "whose date has come."
)
# Seasons (issue 4's table) are read by this query when its file exists. It must return
# lead_partner_id (NULL = balanced), title, starts_on, ends_on, review_on for $couple_id.
SEASONS_QUERY = "roadmap/seasons"
# A season that is still going is drawn to the chart's right edge (today or the latest date on
# the roadmap), and at least this long, so one that starts at that edge is still seen.
OPEN_SEASON_MIN = timedelta(days=90)
# The chart shows the years within about one working life (some 40 years) of today, each way:
# a first job and retirement plans fit, a date in 1900 or 2150 (a slip, or family history) does
# not squeeze every real event into a sliver. Such events stay on the roadmap; the chart names
# them under its title instead of drawing them.
REACH = timedelta(days=round(40 * 365.25))
# Label layout, in pixels of the plot. Text is drawn at LABEL_FONT px; a Latin letter takes
# about 0.55 of that (0.50 measured for "Marcus's mother moves nearby" in the rendered chart,
# rounded up so estimates err wide), a CJK one a full em. A label starts LABEL_DX after its dot
# and keeps LABEL_GAP clear of the next one.
LABEL_FONT = 10
CHAR_EM = 0.55
LABEL_DX = 8
DOT_RADIUS = 6
LABEL_GAP = 8
# A label is at most this wide (longer titles end in "…"; the tooltip has them whole), and no
# shorter than a few letters, or it is left out and the dot keeps only its tooltip.
LABEL_MAX_PX = 250
LABEL_MIN_PX = 36
# Labels that would collide go on the next row of their lane, up to LABEL_ROWS rows.
LABEL_ROWS = 8
ROW_PX = 22
SPAN_BELOW_PX = 8  # a span's bar this far below its row's middle: under the label, in the row
LANE_PAD_PX = 12
# The page's chart stretches to its column, whose width the server cannot know: labels are laid
# out for a narrow column (a laptop's), so a wider one only leaves more room between them.
CONTAINER_PX = 640
# Events named under the title when some fall outside the window: the first few, then a count,
# in lines of SUBTITLE_FONT px text wrapped to the plot's width (a title does not wrap itself).
OUTSIDE_NAMED = 3
SUBTITLE_FONT = 11
TITLE = "Roadmap: both careers and the family"


def clean(db: Database, couple_id: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned event fields; ValidationError naming every problem."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values["title"] = clean_text(raw.get("title"), TITLE_MAX_CHARS)
        if not values["title"]:
            errors["title"] = "Say what happened or is planned, e.g. “Starts residency”."
    except ValueError as e:
        errors["title"] = f"Title {e}."
    try:
        values["note"] = clean_text(raw.get("note"), NOTE_MAX_CHARS, multiline=True)
    except ValueError as e:
        errors["note"] = f"Note {e}."
    for name, label in (("starts_on", "Date"), ("ends_on", "End date")):
        try:
            values[name] = clean_date(raw.get(name))
        except ValueError as e:
            errors[name] = f"{label} {e}."
    if values.get("starts_on") is None and "starts_on" not in errors:
        errors["starts_on"] = "Give a date (an approximate one is fine)."
    start, end = values.get("starts_on"), values.get("ends_on")
    if start and end and end < start:
        errors["ends_on"] = "The end date comes before the start."
    category = raw.get("category") or "career"
    if not isinstance(category, str) or category not in CATEGORIES:
        errors["category"] = "Choose one of the listed kinds."
    values["category"] = category
    partner = raw.get("partner_id")
    if partner in (None, "", TOGETHER_LANE):
        values["partner_id"] = None
    else:
        ids = {str(p["id"]): p["id"] for p in db.all("couples/partners", couple_id=couple_id)}
        if as_text(partner) not in ids:
            errors["partner_id"] = "Choose one of the partners, or the two of them."
        values["partner_id"] = ids.get(as_text(partner))
    if errors:
        raise ValidationError(errors)
    return values


@audited("view", "roadmap")
def events(db: Database, actor: Actor, couple_id: Any) -> list[dict[str, Any]]:
    """Every event of the couple's roadmap, by date."""
    return db.all("roadmap/events", couple_id=couples.check_access(db, actor, couple_id))


@audited("create", "roadmap event")
def add(db: Database, actor: Actor, couple_id: Any, raw: Mapping[str, Any]) -> int:
    """Add a milestone or a family transition; returns its id."""
    cid = couples.check_access(db, actor, couple_id)
    values = clean(db, cid, raw)
    return db.scalar("roadmap/insert_event", couple_id=cid, now=utcnow(), **values)


@audited("update", "roadmap event")
def update(
    db: Database, actor: Actor, couple_id: Any, event_id: Any, raw: Mapping[str, Any]
) -> None:
    """Replace one event of the couple's roadmap."""
    cid = couples.check_access(db, actor, couple_id)
    eid = record_id(event_id, "event")
    if not any(e["id"] == eid for e in db.all("roadmap/events", couple_id=cid)):
        raise NotFound("event")
    values = clean(db, cid, raw)
    db.all("roadmap/update_event", event_id=eid, couple_id=cid, now=utcnow(), **values)


@audited("delete", "roadmap event")
def remove(db: Database, actor: Actor, couple_id: Any, event_id: Any) -> None:
    """Remove one event of the couple's roadmap."""
    cid = couples.check_access(db, actor, couple_id)
    if not db.all("roadmap/delete_event", event_id=record_id(event_id, "event"), couple_id=cid):
        raise NotFound("event")  # not the couple's: the trail says "refused"


def seasons(db: Database, couple_id: int) -> list[dict[str, Any]]:
    """The couple's seasons, once the seasons table and `SEASONS_QUERY` exist; else none."""
    try:
        load_sql(SEASONS_QUERY)
    except KeyError:
        return []
    if "seasons" not in db.tables():
        return []
    return db.all(SEASONS_QUERY, couple_id=couple_id)


@audited("view", "roadmap")
def timeline(
    db: Database, actor: Actor, couple_id: Any, today: date | None = None
) -> dict[str, Any]:
    """Everything the timeline chart needs: events per lane, seasons, lanes in order, today."""
    couple = couples.get(db, actor, couple_id)
    today = today or utcnow().date()
    partners = couple["partners"]
    names = distinct_names(partners)
    lane_of = {p["id"]: n for p, n in zip(partners, names, strict=True)}
    rows = []
    for e in db.all("roadmap/events", couple_id=couple["id"]):
        rows.append(
            {
                "lane": lane_of.get(e["partner_id"], TOGETHER_LANE),
                "title": e["title"],
                "start": e["starts_on"],
                "end": e["ends_on"],
                "category": CATEGORIES[e["category"]],
                "from": "roadmap",
            }
        )
    for d in db.all("roadmap/dated_items", couple_id=couple["id"]):
        rows.append(
            {
                "lane": TOGETHER_LANE,
                "title": DATED_SOURCES[d["source"]].format(title=d["title"]),
                "start": d["starts_on"],
                "end": None,
                "category": "Agreed date",
                "from": d["source"],
            }
        )
    season_list = seasons(db, couple["id"])
    names_by_id = {p["id"]: p["name"] for p in partners}
    for s in season_list:
        # A review still ahead of the couple, or due in a season that is still going.
        if s.get("review_on") and (s.get("ends_on") is None or s["ends_on"] >= today):
            rows.append(
                {
                    "lane": TOGETHER_LANE,
                    "title": DATED_SOURCES["season_review"].format(
                        title=season_name(s, names_by_id)
                    ),
                    "start": s["review_on"],
                    "end": None,
                    "category": "Agreed date",
                    "from": "season_review",
                }
            )
    # The latest date the chart draws: dates beyond its window do not stretch an open season.
    right_edge = max(
        d
        for d in (
            [today]
            + [r["start"] for r in rows]
            + [r["end"] for r in rows if r["end"]]
            + [s["starts_on"] for s in season_list]
            + [s["ends_on"] for s in season_list if s.get("ends_on")]
        )
        if d <= today + REACH
    )
    season_rows = [
        {
            "lead": lane_of.get(s.get("lead_partner_id"), "Balanced"),
            "title": season_name(s, names_by_id),
            "start": s["starts_on"],
            "end": s.get("ends_on") or max(right_edge, s["starts_on"] + OPEN_SEASON_MIN),
        }
        for s in season_list
    ]
    return {
        "frame": frame(rows, today),
        "seasons": pd.DataFrame(season_rows, columns=["lead", "title", "start", "end"]),
        # Which seasons are still going (their band runs to the chart's right edge): the table
        # of its dates (core.chart_tables) says so instead of that edge's date.
        "seasons_open": [not s.get("ends_on") for s in season_list],
        "lanes": [*names, TOGETHER_LANE],
        "names": names,
        "today": today,
    }


def frame(rows: list[dict[str, Any]], today: date) -> pd.DataFrame:
    """Events as a table, by lane and date, each marked 'when': past, planned, or for a date set
    elsewhere (a review, a deadline, a follow-up) one that has come: it was drawn as a filled
    dot, which the legend calls "happened", though nobody knows if the review took place."""
    columns = ["lane", "title", "start", "end", "category", "from", "when"]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(rows).sort_values(["lane", "start", "title"], kind="stable")
    df["when"] = [
        PLANNED if s > today else DATE_PASSED if source in DATED_SOURCES else PAST
        for s, source in zip(df["start"], df["from"], strict=True)
    ]
    df["start"] = pd.to_datetime(df["start"])
    df["end"] = pd.to_datetime(df["end"])
    return df[columns].reset_index(drop=True)


def window(data: dict[str, Any]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates the chart spans: today and everything within REACH of it, with a margin."""
    today = pd.Timestamp(data["today"])
    lo, hi = today - REACH, today + REACH
    events, seasons_df = data["frame"], data["seasons"]
    dates = [today]
    for column in ("start", "end"):
        dates += [d for d in pd.to_datetime(events[column]).dropna() if lo <= d <= hi]
        dates += [d for d in pd.to_datetime(seasons_df[column]).dropna() if lo <= d <= hi]
    first, last = min(dates), max(dates)
    # A margin of 3% each side (at least a month), so no dot sits on the frame.
    margin = max((last - first) * 0.03, pd.Timedelta(days=30))
    return first - margin, last + margin


def outside(data: dict[str, Any]) -> pd.DataFrame:
    """The events the chart leaves out: dated beyond REACH from today, either way."""
    events, today = data["frame"], pd.Timestamp(data["today"])
    far = (events["start"] < today - REACH) | (events["start"] > today + REACH)
    return events[far].sort_values("start")


def text_px(text: str) -> float:
    """About how wide `text` is drawn at LABEL_FONT (an estimate that errs wide)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else CHAR_EM for c in text)
    return ems * LABEL_FONT


def shortened(text: str, px: float) -> str:
    """`text` cut to fit `px`, ending in "…" when cut; "" when not even a few letters fit."""
    if text_px(text) <= px:
        return text
    if px < LABEL_MIN_PX:
        return ""
    cut = text
    while cut and text_px(cut.rstrip() + "…") > px:
        cut = cut[:-1]
    return cut.rstrip() + "…" if cut.strip() else ""


def place_labels(
    events: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp], plot_px: float
) -> pd.DataFrame:
    """Where each event's label goes: `row` within its lane, `side` of its dot (right, or left
    near the right edge), and the `label` text, shortened to fit (the tooltip keeps the title).

    Lane by lane in date order, each label takes the first row where its estimated extent (dot
    and text) keeps LABEL_GAP clear of every label already there. If no row has room, it goes
    where the most room is and is shortened to fit it; with no room at all it keeps its dot only.
    """
    lo, hi = span
    days = max((hi - lo).days, 1)

    def x_of(when: pd.Timestamp) -> float:
        return (when - lo).days / days * plot_px

    placed: list[tuple[int, str, str]] = []
    taken: dict[tuple[str, int], list[tuple[float, float]]] = {}
    longest = min(LABEL_MAX_PX, plot_px * 0.45)
    for lane, start, title in zip(events["lane"], events["start"], events["title"], strict=True):
        x = x_of(start)
        text = shortened(title, longest)
        dot = (x - DOT_RADIUS, x + DOT_RADIUS)

        def room(row: int, side: str, x: float = x, dot: tuple = dot, lane: str = lane) -> float:
            """The widest label that fits on `side` of the dot in `row` (-1: the dot does not)."""
            spans = taken.get((lane, row), [])
            if any(a - LABEL_GAP < dot[1] and dot[0] < b + LABEL_GAP for a, b in spans):
                return -1
            if side == "right":
                edge = min([a for a, _ in spans if a >= x] + [plot_px + LABEL_GAP])
                return edge - LABEL_GAP - (x + LABEL_DX)
            edge = max([b for _, b in spans if b <= x] + [-LABEL_GAP])
            return (x - LABEL_DX) - (edge + LABEL_GAP)

        need = text_px(text)
        # Right of the dot unless that runs past the plot's edge and the left has room.
        sides = ["right", "left"] if x + LABEL_DX + need <= plot_px else ["left", "right"]
        choice = next(
            ((r, side) for r in range(LABEL_ROWS) for side in sides if room(r, side) >= need),
            None,
        )
        if choice is None:  # no row has room for the whole label: the most room, shortened
            choice = max(
                ((r, side) for r in range(LABEL_ROWS) for side in sides),
                key=lambda rs: room(*rs),
            )
            text = shortened(title, room(*choice)) if room(*choice) >= 0 else ""
        row, side = choice
        width = text_px(text) if text else 0
        if side == "right":
            extent = (dot[0], x + LABEL_DX + width if text else dot[1])
        else:
            extent = (x - LABEL_DX - width if text else dot[0], dot[1])
        taken.setdefault((lane, row), []).append(extent)
        placed.append((row, side, text))
    rows, sides, labels = zip(*placed, strict=True) if placed else ((), (), ())
    return events.assign(row=list(rows), side=list(sides), label=list(labels))


def lane_layout(
    lanes: list[str], events: pd.DataFrame
) -> tuple[dict[str, float], dict[str, float], float]:
    """Each lane's top and middle in pixels, and the plot's height: a lane is as tall as its
    rows of labels (`row` from place_labels), one row at least."""
    rows = {lane: 1 for lane in lanes}
    for lane, row in zip(events["lane"], events["row"], strict=True):
        rows[lane] = max(rows.get(lane, 1), int(row) + 1)
    tops, middles, top = {}, {}, 0.0
    for lane in lanes:
        tall = rows[lane] * ROW_PX + LANE_PAD_PX
        tops[lane], middles[lane] = top, top + tall / 2
        top += tall
    return tops, middles, top


def _date(when: pd.Timestamp) -> dict[str, int]:
    """A day as Vega-Lite's DateTime object (what alt.DateTime wrote)."""
    return {"date": when.day, "month": when.month, "year": when.year}


def _year_step(span: tuple[pd.Timestamp, pd.Timestamp]) -> int:
    """Years between axis ticks: every year on a short roadmap, fewer on a long one."""
    years = (span[1] - span[0]).days / 365.25
    return next((step for limit, step in ((12, 1), (25, 2), (60, 5)) if years <= limit), 10)


def outside_seasons(data: dict[str, Any]) -> pd.DataFrame:
    """The seasons the chart leaves out: wholly more than REACH from today."""
    seasons_df, today = data["seasons"], pd.Timestamp(data["today"])
    starts, ends = pd.to_datetime(seasons_df["start"]), pd.to_datetime(seasons_df["end"])
    return seasons_df[(starts > today + REACH) | (ends < today - REACH)]


def outside_note(data: dict[str, Any]) -> str | None:
    """One line naming the events (and seasons) the chart leaves out, or None."""
    far, far_seasons = outside(data), outside_seasons(data)
    if far.empty and far_seasons.empty:
        return None
    named = [f"{t} ({shown(s.date())})" for t, s in zip(far["title"], far["start"], strict=True)]
    named += [
        f"{t} (season from {shown(pd.Timestamp(s).date())})"
        for t, s in zip(far_seasons["title"], far_seasons["start"], strict=True)
    ]
    more = len(named) - OUTSIDE_NAMED
    listed = ", ".join(named[:OUTSIDE_NAMED]) + (f" and {more} more" if more > 0 else "")
    years = round(REACH.days / 365.25)
    return f"Not drawn, dated more than {years} years from {shown(data['today'])}: {listed}."


def timeline_chart(data: dict[str, Any], width: int | str = "container") -> alt.LayerChart:
    """`timeline_spec` as an Altair chart, whose to_dict() checks it against the schema (tests)."""
    return as_altair(timeline_spec(data, width))


def timeline_spec(data: dict[str, Any], width: int | str = "container") -> Spec:
    """Both careers and the family on one timeline: filled dots are past, hollow ones planned (or
    a date set elsewhere that has come),
    bars are spans, shaded bands are seasons, the dashed line is today. Events dated beyond
    REACH from today are named under the title, not drawn.

    A Vega-Lite dict, the one Altair's classes made of this chart until issue 6: built through
    them and checked against the schema, it took ~0.3 s, on every first view of a roadmap."""
    names, lanes, today = data["names"], data["lanes"], data["today"]
    colours = {**partner_colours(names), TOGETHER_LANE: TOGETHER}
    span = window(data)
    lo, hi = span
    far = outside(data)
    events = data["frame"].drop(index=far.index)
    plot_px = width if isinstance(width, int | float) else CONTAINER_PX
    events = place_labels(events, span, plot_px)
    # Each lane as tall as its own rows of labels (a partner's two milestones no longer get the
    # height of the family's seven): y is in pixels from the top, lane after lane.
    tops, middles, height = lane_layout(lanes, events)
    events["y"] = [
        tops[lane] + LANE_PAD_PX / 2 + (row + 0.5) * ROW_PX
        for lane, row in zip(events["lane"], events["row"], strict=True)
    ]
    # Spans and seasons are drawn within the window: one reaching beyond it stops at its edge.
    events["end"] = events["end"].clip(upper=hi)
    rows = Datasets()
    x_scale = {"domain": [_date(lo), _date(hi)]}
    colour = {
        "field": "lane",
        "legend": None,
        "scale": {"domain": list(colours), "range": list(colours.values())},
        "title": None,
        "type": "nominal",
    }
    # Top down over the plot's height (which the page's layout may trim to fit the legend).
    y = {
        "axis": None,
        "field": "y",
        "scale": {"domain": [0, height], "reverse": True},
        "title": None,
        "type": "quantitative",
    }
    tooltip = [
        {"field": "title", "title": "What", "type": "nominal"},
        {"field": "start", "format": "%b %Y", "title": "When", "type": "temporal"},
        {"field": "category", "title": "Kind", "type": "nominal"},
        {"field": "when", "title": " ", "type": "nominal"},
    ]
    # A layer with x2 leaves the window to the others: given there too, Vega-Lite read it as
    # dates for x and as text for x2 (which has no type) and warned of a conflict in the console.
    x_span = {"field": "start", "type": "temporal"}
    layers: list[Spec] = []
    seasons_df = data["seasons"]
    seasons_df = seasons_df.assign(
        start=pd.to_datetime(seasons_df["start"]).clip(lower=lo, upper=hi),
        end=pd.to_datetime(seasons_df["end"]).clip(lower=lo, upper=hi),
    )
    seasons_df = seasons_df[seasons_df["start"] < seasons_df["end"]]
    if not seasons_df.empty:
        season_colours = {**partner_colours(names), "Balanced": TOGETHER}
        layers.append(
            {
                "data": rows.add(seasons_df),
                "mark": {"type": "rect", "opacity": 0.12},
                "encoding": {
                    "color": {
                        "field": "lead",
                        "legend": {"orient": "bottom", "title": "Season led by"},
                        "scale": {
                            "domain": list(season_colours),
                            "range": list(season_colours.values()),
                        },
                        "type": "nominal",
                    },
                    "tooltip": [
                        {"field": "title", "title": "Season", "type": "nominal"},
                        {"field": "lead", "title": "Led by", "type": "nominal"},
                    ],
                    "x": x_span,
                    "x2": {"field": "end"},
                },
            }
        )
    spans = events.dropna(subset=["end"])
    if not spans.empty:
        layers.append(
            {
                "data": rows.add(spans),
                # Under its label, as an underline from the dot to the span's end: at the dot's
                # height the bar ran through the label's words (a walkthrough).
                "mark": {
                    "type": "rule",
                    "opacity": 0.4,
                    "strokeCap": "round",
                    "strokeWidth": 4,
                    "yOffset": SPAN_BELOW_PX,
                },
                "encoding": {
                    "color": colour,
                    "tooltip": tooltip,
                    "x": x_span,
                    "x2": {"field": "end"},
                    "y": y,
                },
            }
        )
    step = _year_step(span)
    axis = {
        "format": "%Y",
        "grid": True,
        "labelFlush": True,
        "tickCount": {"interval": "year", "step": step},
    }
    x_axis = {"axis": axis, "field": "start", "scale": x_scale, "title": None, "type": "temporal"}
    if not events.empty:
        dots = rows.add(events)
        base = {"tooltip": tooltip, "x": x_axis, "y": y}

        def layer(mark: Spec, test: str, **encoding: Spec) -> Spec:
            return {
                "data": dots,
                "mark": mark,
                "encoding": {**base, **encoding},
                "transform": [{"filter": test}],
            }

        point = {"type": "point", "opacity": 1, "size": 90}
        layers.append(layer({**point, "filled": True}, f"(datum.when === '{PAST}')", color=colour))
        layers.append(
            layer(
                {**point, "fill": "white", "strokeWidth": 2},
                f"(datum.when !== '{PAST}')",
                color=colour,
            )
        )
        for side, align, dx in (("right", "left", LABEL_DX), ("left", "right", -LABEL_DX)):
            text = {
                "type": "text",
                "align": align,
                "color": "#222",
                "dx": dx,
                "fontSize": LABEL_FONT,
            }
            label = {"field": "label", "type": "nominal"}
            layers.append(layer(text, f"(datum.side === '{side}')", text=label))
    # The lanes' names left of the plot (text marks: a name never goes into an expression), and
    # a faint line between lanes. These, and the line of today, have no tooltip: Streamlit's
    # theme gives a mark without one a tooltip of its raw fields.
    lane_rows = pd.DataFrame({"lane": lanes, "y": [middles[lane] for lane in lanes]})
    layers.append(
        {
            "data": rows.add(lane_rows),
            "mark": {
                "type": "text",
                "align": "right",
                "color": "#444",
                "dx": -10,
                "fontSize": 12,
                "fontWeight": "bold",
                "tooltip": None,
            },
            "encoding": {"text": {"field": "lane", "type": "nominal"}, "x": {"value": 0}, "y": y},
        }
    )
    borders = pd.DataFrame({"y": [tops[lane] for lane in lanes[1:]]})
    if not borders.empty:
        layers.append(
            {
                "data": rows.add(borders),
                "mark": {"type": "rule", "color": "#e4e4e4", "tooltip": None},
                "encoding": {"y": y},
            }
        )
    today_rows = rows.add(pd.DataFrame({"today": [pd.Timestamp(today)], "label": ["Today"]}))
    today_x = {"field": "today", "scale": x_scale, "type": "temporal"}
    layers.append(
        {
            "data": today_rows,
            "mark": {"type": "rule", "color": "#888", "strokeDash": [4, 4], "tooltip": None},
            "encoding": {"x": {**today_x, "axis": axis, "title": None}},
        }
    )
    # "Today" to the right of its line, or to its left when the line is near the right edge.
    near_edge = (pd.Timestamp(today) - lo) / (hi - lo) * plot_px > plot_px - 40
    layers.append(
        {
            "data": today_rows,
            "mark": {
                "type": "text",
                "align": "right" if near_edge else "left",
                "baseline": "top",
                "color": "#666",
                "dx": -4 if near_edge else 4,
                "dy": -4,
                "fontSize": 10,
                "tooltip": None,
            },
            "encoding": {
                "text": {"field": "label", "type": "nominal"},
                "x": today_x,
                "y": {"value": 0},
            },
        }
    )
    note = outside_note(data)
    subtitle = textwrap.wrap(note, int(plot_px / (CHAR_EM * SUBTITLE_FONT))) if note else ""
    # Seasons keep a legend of their own (who led); the lanes already name the partners.
    spec: Spec = {
        "layer": layers,
        "height": height,
        "resolve": {"scale": {"color": "independent"}},
        "title": {"text": TITLE, "subtitle": subtitle, "subtitleFontSize": SUBTITLE_FONT},
        "width": width,
    }
    if width == "container":
        # The page fits the width only: `height` stays the plot's, as in the PDF (Streamlit's
        # own choice, "fit", would squeeze the lanes to make room for the title and legend).
        spec["autosize"] = {"contains": "padding", "type": "fit-x"}
    return {**spec, "$schema": SCHEMA_URL, "datasets": rows.rows}
