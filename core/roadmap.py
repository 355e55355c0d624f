"""The shared roadmap: both careers and the family's transitions on one timeline (seeds 001, 003).

Past milestones are the career history map; planned ones are the plan. Seasons (who leads
when) come from the check-in work's seasons table when it exists: `SEASONS_QUERY` below is the
one query that brings them in (see `seasons`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd

from core import couples
from core.accounts import Actor
from core.audit import audited
from core.charts import inline_data
from core.clock import utcnow
from core.dates import clean_date
from core.db import Database, load_sql
from core.errors import NotFound, ValidationError
from core.palette import TOGETHER, distinct_names, partner_colours
from core.seasons import name as season_name
from core.validation import as_text, clean_text, record_id

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
# Seasons (issue 4's table) are read by this query when its file exists. It must return
# lead_partner_id (NULL = balanced), title, starts_on, ends_on, review_on for $couple_id.
SEASONS_QUERY = "roadmap/seasons"
# A season that is still going is drawn to the chart's right edge (today or the latest date on
# the roadmap), and at least this long, so one that starts at that edge is still seen.
OPEN_SEASON_MIN = timedelta(days=90)
# A label takes about this share of the chart's width; a later point on the same lane closer
# than that goes on the next row, so labels do not run into each other.
LABEL_SHARE = 0.26
LABEL_ROWS = 4
# Each lane is tall enough for its label rows at a readable size.
ROW_HEIGHT = 96
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
    db.all("roadmap/delete_event", event_id=record_id(event_id, "event"), couple_id=cid)


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
    right_edge = max(
        [today]
        + [r["start"] for r in rows]
        + [r["end"] for r in rows if r["end"]]
        + [s["starts_on"] for s in season_list]
        + [s["ends_on"] for s in season_list if s.get("ends_on")]
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
        "lanes": [*names, TOGETHER_LANE],
        "names": names,
        "today": today,
    }


def frame(rows: list[dict[str, Any]], today: date) -> pd.DataFrame:
    """Events as a table with 'when' (past/planned) and a label row per lane to avoid overlap."""
    columns = ["lane", "title", "start", "end", "category", "from", "when", "row"]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(rows).sort_values(["lane", "start", "title"], kind="stable")
    df["when"] = ["Past" if s <= today else "Planned" for s in df["start"]]
    span = max((max(df["start"]) - min(min(df["start"]), today)).days, 365)
    gap = timedelta(days=span * LABEL_SHARE)
    placed: list[int] = []
    last: dict[tuple[str, int], date] = {}
    for lane, start in zip(df["lane"], df["start"], strict=True):
        free = [
            r for r in range(LABEL_ROWS) if (lane, r) not in last or start - last[(lane, r)] >= gap
        ]
        # The first free row; if none is free, the row whose last label lies furthest back.
        row = free[0] if free else min(range(LABEL_ROWS), key=lambda r: last[(lane, r)])
        last[(lane, row)] = start
        placed.append(row)
    df["row"] = placed
    df["start"] = pd.to_datetime(df["start"])
    df["end"] = pd.to_datetime(df["end"])
    return df[columns].reset_index(drop=True)


def timeline_chart(data: dict[str, Any], width: int | str = "container") -> alt.LayerChart:
    """Both careers and the family on one timeline: filled dots are past, hollow ones planned,
    bars are spans, shaded bands are seasons, the dashed line is today."""
    names, lanes, today = data["names"], data["lanes"], data["today"]
    colours = {**partner_colours(names), TOGETHER_LANE: TOGETHER}
    events = data["frame"].copy()
    colour = alt.Color(
        "lane:N",
        title=None,
        scale=alt.Scale(domain=list(colours), range=list(colours.values())),
        legend=None,
    )
    y = alt.Y(
        "lane:N",
        title=None,
        sort=lanes,
        scale=alt.Scale(domain=lanes),
        axis=alt.Axis(labelFontSize=12, labelFontWeight="bold", labelLimit=160),
    )
    y_offset = alt.YOffset("row:O", scale=alt.Scale(domain=list(range(LABEL_ROWS))))
    tooltip = [
        alt.Tooltip("title:N", title="What"),
        alt.Tooltip("start:T", title="When", format="%b %Y"),
        alt.Tooltip("category:N", title="Kind"),
        alt.Tooltip("when:N", title=" "),
    ]
    layers = []
    seasons_df = data["seasons"]
    if not seasons_df.empty:
        season_colours = {**partner_colours(names), "Balanced": TOGETHER}
        layers.append(
            alt.Chart(
                inline_data(
                    seasons_df.assign(
                        start=pd.to_datetime(seasons_df["start"]),
                        end=pd.to_datetime(seasons_df["end"]),
                    )
                )
            )
            .mark_rect(opacity=0.12)
            .encode(
                x="start:T",
                x2="end:T",
                color=alt.Color(
                    "lead:N",
                    scale=alt.Scale(
                        domain=list(season_colours), range=list(season_colours.values())
                    ),
                    legend=alt.Legend(title="Season led by", orient="bottom"),
                ),
                tooltip=[
                    alt.Tooltip("title:N", title="Season"),
                    alt.Tooltip("lead:N", title="Led by"),
                ],
            )
        )
    spans = events.dropna(subset=["end"])
    if not spans.empty:
        layers.append(
            alt.Chart(inline_data(spans))
            .mark_rule(strokeWidth=7, opacity=0.35, strokeCap="round")
            .encode(x="start:T", x2="end:T", y=y, yOffset=y_offset, color=colour, tooltip=tooltip)
        )
    if not events.empty:
        base = alt.Chart(inline_data(events)).encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", grid=True)),
            y=y,
            yOffset=y_offset,
            tooltip=tooltip,
        )
        past = base.transform_filter(alt.datum.when == "Past")
        planned = base.transform_filter(alt.datum.when == "Planned")
        layers.append(past.mark_point(size=90, filled=True, opacity=1).encode(color=colour))
        layers.append(
            planned.mark_point(size=90, strokeWidth=2, fill="white", opacity=1).encode(color=colour)
        )
        layers.append(
            base.mark_text(align="left", dx=8, fontSize=10, limit=150, color="#222").encode(
                text="title:N"
            )
        )
    today_rows = inline_data(pd.DataFrame({"today": [pd.Timestamp(today)], "label": ["Today"]}))
    layers.append(
        alt.Chart(today_rows).mark_rule(strokeDash=[4, 4], color="#888").encode(x="today:T")
    )
    layers.append(
        alt.Chart(today_rows)
        .mark_text(align="left", dx=4, dy=-4, fontSize=10, color="#666", baseline="top")
        .encode(x="today:T", y=alt.value(0), text="label:N")
    )
    # Seasons keep a legend of their own (who led); the lanes already name the partners.
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(width=width, height=ROW_HEIGHT * len(lanes), title=TITLE)
    )
