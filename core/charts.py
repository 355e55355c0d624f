"""Chart builders: DataFrame -> Vega-Lite spec, pure (data is aggregated in SQL first).

Each chart is written once, as the Vega-Lite dict Altair produced for it (`equity_spec`,
`trends_spec` here; core.roadmap.timeline_spec, core.decisions.matrix_spec): the page draws the
dict as it is, the session summary prints it (core/exports.py), and `equity_chart`,
`trends_chart`, `timeline_chart` and `matrix_chart` hand it to Altair, whose to_dict() checks it
against the Vega-Lite schema (the tests do). Built through Altair's classes, the
equity page's two charts cost ~0.3 s, and ~0.75 s more for st.altair_chart to turn them back
into a dict checked against the schema (every composition deep-copies its parts; issue 6); as
dicts they take a few milliseconds, and the server never imports Altair.

One palette for the whole app: each partner keeps one colour on every chart, taken from the
Okabe-Ito set, which stays distinct for the common kinds of colour blindness (Okabe & Ito,
2008, "Color Universal Design"). The first partner in display order is blue, the second
orange; neither colour means "first" or "main". Legends always carry the names.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from core.audit import audited

if TYPE_CHECKING:
    import altair as alt

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# The partners: Okabe-Ito blue, and its orange darkened to 3.4:1 on white (its own 2.3:1 was
# under the 3:1 a line or a point needs to be seen: an accessibility audit); still told apart
# with the common colour blindnesses, and by dash and shape as well (PARTNER_DASHES).
PARTNER_ORANGE = "#C27C00"
PARTNER_COLOURS = (OKABE_ITO["blue"], PARTNER_ORANGE)
NEUTRAL = "#555555"  # balanced seasons, zero lines, cut-offs: reads as neither partner
BALANCED = "Balanced"
# Sized for a laptop or tablet screen shared with the couple (the PDF passes its own widths).
WIDTH = 460  # the equity chart on its page: beside its explanation at 1280 px, whole at 1024
# A trend panel: two side by side, and the whole chart (~550 px), fit the page's column at
# 1024 px with the sidebar open (~564 px). At 340 it ran past the screen there.
AXIS_LABEL_COLOUR = "#555555"  # 7.5:1 on white
PANEL_WIDTH = 220
FONT_SIZE = 13
EQUITY_HEIGHT = 250  # the equity chart's plot, in pixels
# The equity line's fill on each side of zero is the partner's colour, lightly.
AREA_OPACITY = 0.28
SEASON_OPACITY = 0.10
# Ledger event markers by size (area in px²): small, medium, large; drawn on the giver's side
# of zero, below the season labels.
EVENT_SIZES = {"Small": 70, "Medium": 160, "Large": 320}
EVENT_Y = 80
# Reliable-change rings around a satisfaction point (area in px²): visible, not shouting.
RING_SIZE = 200


def partner_colours(names: Sequence[str]) -> dict[str, str]:
    """name -> colour for the two partners in display order (the same on every chart)."""
    return {name: PARTNER_COLOURS[i % len(PARTNER_COLOURS)] for i, name in enumerate(names)}


def partner_scale(names: Sequence[str], extra: dict[str, str] | None = None) -> alt.Scale:
    """A colour scale with the partners' colours (and any extra named colours)."""
    import altair as alt

    return alt.Scale(**_colour_scale(names, extra))


# -- the pieces of a spec ------------------------------------------------------------------------
Spec = dict[str, Any]
# The Vega-Lite version Altair writes specs for (alt.SCHEMA_URL; a test keeps them the same).
# Written out so that drawing a chart on a page never imports Altair (~0.5-0.9 s on first use).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


def _altair_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Altair's own conversion, for the kinds of column json_rows leaves to it."""
    from altair import to_values

    return to_values(frame)["values"]


def json_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as JSON rows, exactly as Altair writes them (`alt.to_values`): dates as local
    ISO strings, NaN, infinities and missing values as null. Column by column, which for these
    small frames is ~20x faster than Altair's copy-and-convert; any other kind of column is
    left to Altair."""
    columns = []
    for name, col in frame.items():
        plain = isinstance(col.dtype, np.dtype)  # numpy's, not one of pandas' nullable kinds
        kind = col.dtype.kind
        if not isinstance(name, str):
            return _altair_rows(frame)
        if kind == "M":
            stamps = col.to_numpy()
            if plain and (stamps == stamps.astype("datetime64[s]")).all():  # whole seconds
                values = np.datetime_as_string(stamps, unit="s").tolist()  # = isoformat()
            else:
                values = ["" if v is pd.NaT else v.isoformat() for v in col]
        elif plain and kind == "f":
            values = [None if v != v or v in (math.inf, -math.inf) else v for v in col.tolist()]
        elif plain and kind in "iub":
            values = col.tolist()
        elif col.dtype.name == "str":  # pandas' text columns, missing values as NaN
            values = [None if v != v else v for v in col.tolist()]
        elif col.dtype.name == "string":  # the same, missing values as pd.NA
            values = col.astype(object).where(col.notna(), None).tolist()
        else:  # mixed objects, categories, nullable numbers, durations: Altair's own rules
            return _altair_rows(frame)
        columns.append(values)
    if not columns:
        return _altair_rows(frame)
    names = list(frame.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


class Datasets:
    """The named datasets of one spec, named as Altair names them (a hash of the rows), so the
    same rows are shipped once however many layers draw them. Rows given this way never meet
    Altair's data transformer, which is global to the process: st.altair_chart switches it to
    one of its own while it converts a chart, and a chart converted in another thread at that
    moment (say for a PDF) would have had its rows sent to that page's browser."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, data: pd.DataFrame | list[dict[str, Any]]) -> Spec:
        """A reference ({"name": ...}) to these rows (a frame: its `json_rows`)."""
        rows = json_rows(data) if isinstance(data, pd.DataFrame) else data
        text = json.dumps(rows, sort_keys=True, default=str)
        name = "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]
        self.rows.setdefault(name, rows)
        return {"name": name}


def _top(spec: Spec, datasets: Datasets, description: str = "") -> Spec:
    """A finished top-level spec: fonts and frame, schema, datasets; `description` is what a
    screen reader says of the chart (the picture's name), in words."""
    said = {"description": description} if description else {}
    return {
        **said,
        "config": {
            "view": {"strokeWidth": 0},
            # Axis labels in dark grey: the default light grey was 3.7:1 on white. The axes
            # say nothing to a screen reader (the chart's description does): read out, the
            # picture's name was every tick, "Dec 2025 Jan 2026 … −100 −80 …" (an audit).
            "axis": {
                "labelFontSize": FONT_SIZE - 1,
                "titleFontSize": FONT_SIZE,
                "labelColor": AXIS_LABEL_COLOUR,
                "aria": False,
            },
            "legend": {"labelFontSize": FONT_SIZE, "orient": "top", "titleFontSize": FONT_SIZE},
            "title": {
                "anchor": "start",
                "fontSize": FONT_SIZE + 3,
                "subtitleFontSize": FONT_SIZE - 1,
            },
        },
        **spec,
        "$schema": SCHEMA_URL,
        "datasets": datasets.rows,
    }


def _colour_scale(names: Sequence[str], extra: dict[str, str] | None = None) -> Spec:
    colours = {**partner_colours(names), **(extra or {})}
    return {"domain": list(colours), "range": list(colours.values())}


SHORT_AXIS_DAYS = 120  # up to about four months, the time axis names days


def _x(start: date, end: date) -> Spec:
    """The shared time axis over exactly the chosen window: month and year labels, or day and
    month over a short one (a new couple's eight weeks read "Oct 2026" four times)."""
    short = (end - start).days <= SHORT_AXIS_DAYS
    return {
        "axis": {
            "format": "%-d %b" if short else "%b %Y",
            "grid": False,
            "labelAngle": 0,
            "tickCount": 8,
        },
        "field": "day",
        "scale": {"domain": [pd.Timestamp(start).isoformat(), pd.Timestamp(end).isoformat()]},
        "title": None,
        "type": "temporal",
    }


def _y(field: str, domain: Sequence[float] | None = None, **extra: Any) -> Spec:
    scale = {"scale": {"domain": list(domain)}} if domain is not None else {}
    return {"field": field, **scale, **extra, "type": "quantitative"}


def _field(field: str, kind: str, title: str, fmt: str | None = None) -> Spec:
    """One tooltip line."""
    return {"field": field, **({"format": fmt} if fmt else {}), "title": title, "type": kind}


def _colour(field: str, names: Sequence[str], legend: Spec | None) -> Spec:
    return {"field": field, "legend": legend, "scale": _colour_scale(names), "type": "nominal"}


# Each partner's line and points differ by more than colour (an accessibility audit: blue and
# orange alone, the orange 2.3:1 on white): the second partner's line is dashed and points
# square. Both join the colour legend (the same field and title: Vega-Lite merges them, and a
# legend left off one of them conflicted with the others').
PARTNER_DASHES = ([1, 0], [7, 3])
PARTNER_SHAPES = ("circle", "square")


def _dash(field: str, names: Sequence[str], legend: Spec | None) -> Spec:
    scale = {"domain": list(names), "range": [list(d) for d in PARTNER_DASHES[: len(names)]]}
    return {"field": field, "legend": legend, "scale": scale, "type": "nominal"}


def _shape(field: str, names: Sequence[str], legend: Spec | None) -> Spec:
    scale = {"domain": list(names), "range": list(PARTNER_SHAPES[: len(names)])}
    return {"field": field, "legend": legend, "scale": scale, "type": "nominal"}


def _title(text: str, subtitle: str | list[str] | None = None, **extra: Any) -> Spec:
    return {"text": text, **extra, **({"subtitle": subtitle} if subtitle else {})}


@functools.cache
def _finished(kind: str) -> type:
    """An Altair chart class (vconcat or layer) around a finished spec: its parts stay dicts."""
    import altair as alt

    def __init__(self: alt.TopLevelMixin, **spec: Any) -> None:
        alt.SchemaBase.__init__(self, **spec)  # not the class's own: it wants Altair parts

    base = alt.VConcatChart if kind == "vconcat" else alt.LayerChart
    return type(f"Finished{base.__name__}", (base,), {"__init__": __init__})


def as_altair(spec: Spec) -> alt.TopLevelMixin:
    """A finished spec as an Altair chart, for a check against the schema (the tests).

    The dict is wrapped as it is: `alt.Chart.from_dict` would rebuild every node through the
    schema (~0.5 s). `to_dict()` gives the spec back, checked against the schema, with Altair's
    theme defaults added as they always were.
    """
    return _finished("vconcat" if "vconcat" in spec else "layer")(**spec)


# -- equity over time ---------------------------------------------------------------------------


# A season label's room in pixels: its band's width on the chart, less the label's left offset
# and a gap. A band too narrow for one letter and "…" gets no label (Vega draws a limit of 0
# as no limit at all).
SEASON_LABEL_ROOM = "max(1, scale('x', datum.day_end) - max(0, scale('x', datum.day)) - 10)"


def _chars(px: float) -> int:
    """How many characters of a subtitle fit `px` pixels (~6.8 px each), for textwrap."""
    return max(40, int(px / 6.8))


def _season_label(title: str, lead: str) -> str:
    """A season's band label: its name and who leads, once ("Zoë leads", not "Zoë leads (Zoë
    leads)", for a season left unnamed, which core.seasons.name calls after its lead)."""
    who = "balanced" if lead == BALANCED else f"{lead} leads"
    if title.casefold() in (who.casefold(), f"{BALANCED} season".casefold()):
        return title
    return f"{title} ({who})"


def equity_spec(
    balance: pd.DataFrame,
    seasons: pd.DataFrame,
    events: pd.DataFrame,
    fairness: pd.DataFrame | None,
    names: Sequence[str],
    start: date,
    end: date,
    width: int = WIDTH,
) -> Spec:
    """The balance (zero marked, coloured towards whoever gave more), seasons as bands, ledger
    events as markers, and, below on the same time axis, each partner's felt fairness.

    balance: day, balance (-100..100), raw, season, ledger, load
    seasons: start, end, lead (a name or 'Balanced'), title, span
    events: day, giver (a name), what, size ('Small'…), acknowledged (bool), repaid (text)
    fairness: day, partner (a name), fairness_me (0-10), checkins — or None to leave it out
    """
    a, b = names
    colours = partner_colours(names)
    data = Datasets()
    x = _x(start, end)
    y_domain = (-100, 100)
    frame = data.add(
        balance.assign(
            above=balance["balance"].clip(lower=0), below=balance["balance"].clip(upper=0)
        )
    )
    layers: list[Spec] = []
    if not seasons.empty:
        # Seasons are neutral bands (alternating shades) with a label in the lead's colour:
        # a partner's colour on the area already means "has given more", so a band in it
        # would read the wrong way round.
        band = data.add(
            seasons.reset_index(drop=True).assign(
                day=seasons["start"].to_numpy(),
                day_end=seasons["end"].to_numpy(),
                shade=[i % 2 for i in range(len(seasons))],
                label=[
                    _season_label(t, lead)
                    for t, lead in zip(seasons["title"], seasons["lead"], strict=True)
                ],
                y=[100] * len(seasons),
            )
        )
        season_tooltip = [
            _field("title", "nominal", "Season"),
            _field("lead", "nominal", "Whose career leads"),
            _field("span", "nominal", "When"),
        ]
        layers += [
            {
                "data": band,
                "mark": {"type": "rect", "color": NEUTRAL},
                "encoding": {
                    "opacity": {
                        "field": "shade",
                        "legend": None,
                        "scale": {"domain": [0, 1], "range": [0.06, 0.13]},
                        "type": "ordinal",
                    },
                    "tooltip": season_tooltip,
                    # The window comes from the other layers. Given here too, Vega-Lite read
                    # it twice, as dates for x and as text for x2 (which has no type), and
                    # warned of a conflict in the browser's console on every chart.
                    "x": {k: v for k, v in x.items() if k != "scale"},
                    "x2": {"field": "day_end"},
                },
            },
        ]
        # Drawn last (below), over the areas and the line: drawn first, a season's name sat
        # under the balance line where the line ran high (the summary PDF's equity chart).
        season_labels = {
            "data": band,
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "top",
                "dx": 4,
                "dy": 4,
                "fontSize": FONT_SIZE - 2,
                # Each label stays inside its own band (cut short with …, the whole name in
                # the tooltip): short seasons side by side wrote over each other.
                "limit": {"expr": SEASON_LABEL_ROOM},
                "clip": True,  # a season starting near the right edge stays in the plot
            },
            "encoding": {
                "color": {
                    "field": "lead",
                    "legend": None,
                    "scale": _colour_scale(names, {BALANCED: NEUTRAL}),
                    "type": "nominal",
                },
                "text": {"field": "label", "type": "nominal"},
                "tooltip": season_tooltip,
                "x": x,
                "y": _y("y", y_domain),
            },
        }
    # No tooltip of their own on the areas, rules and labels (Streamlit's theme gives every mark
    # one by default: the area's showed the unrounded balance, "56.6145052229"); the line's and
    # the points' say it, formatted.
    area = {"type": "area", "interpolate": "monotone", "opacity": AREA_OPACITY, "tooltip": None}
    layers += [
        {
            "data": frame,
            "mark": {**area, "color": colours[a]},
            "encoding": {
                "x": x,
                # Read bottom to top, the rotated title matches the two sides of zero.
                "y": _y(
                    "above",
                    y_domain,
                    # Long names: shortened with "…" a little past the plot's height (into the
                    # axis labels' room), not drawn out of the picture.
                    axis={
                        "titleColor": "#333333",
                        "titleFontWeight": "bold",
                        "titleLimit": AXIS_TITLE_ROOM,
                    },
                    title=_balance_axis_title(a, b),
                ),
                "y2": {"datum": 0},
            },
        },
        {
            "data": frame,
            "mark": {**area, "color": colours[b]},
            "encoding": {"x": x, "y": _y("below"), "y2": {"datum": 0}},
        },
        {
            "data": data.add([{"zero": 0}]),
            "mark": {"type": "rule", "color": NEUTRAL, "strokeWidth": 1.5, "tooltip": None},
            "encoding": {"y": _y("zero", y_domain)},
        },
        {
            "data": frame,
            "mark": {
                "type": "line",
                "color": "#222222",
                "interpolate": "monotone",
                "strokeWidth": 2.5,
            },
            "encoding": {
                "tooltip": [
                    _field("day", "temporal", "Week ending", "%d %b %Y"),
                    _field("balance", "quantitative", "Balance (of ±100)", "+.0f"),
                    _field("season", "quantitative", "…from seasons (weeks' worth)", "+.1f"),
                    _field("ledger", "quantitative", "…from the ledger (weeks' worth)", "+.1f"),
                    _field("load", "quantitative", "…from the home load (weeks' worth)", "+.1f"),
                ],
                "x": x,
                "y": _y("balance", y_domain),
            },
        },
    ]
    if not events.empty:
        marks = events.assign(
            y=[EVENT_Y if g == a else -EVENT_Y for g in events["giver"]],
            filled=events["acknowledged"].map({True: "Acknowledged", False: "Not acknowledged"}),
        ).drop(columns=["acknowledged"])
        giver = _colour("giver", names, None)
        layers.append(
            {
                "data": data.add(marks),
                "mark": {"type": "point", "shape": "diamond", "strokeWidth": 2},
                "encoding": {
                    "color": giver,
                    "fill": {
                        "condition": {"test": "(datum.filled === 'Acknowledged')", **giver},
                        "value": "white",
                    },
                    "size": {
                        "field": "size",
                        "legend": None,
                        # An ordinal scale gives each size its own area. Vega-Lite's default
                        # for a discrete size is a point scale, which spread the three between
                        # the range's first two values (70, 115, 160 px²).
                        "scale": {
                            "domain": list(EVENT_SIZES),
                            "range": list(EVENT_SIZES.values()),
                            "type": "ordinal",
                        },
                        # Ordinal, not nominal: Vega-Lite warns of a size over an unsorted field.
                        "type": "ordinal",
                    },
                    "tooltip": [
                        _field("day", "temporal", "Date", "%d %b %Y"),
                        _field("giver", "nominal", "Who gave"),
                        _field("what", "nominal", "What"),
                        _field("size", "nominal", "How much"),
                        _field("filled", "nominal", "Acknowledged?"),
                        _field("repaid", "nominal", "Repaid?"),
                    ],
                    "x": x,
                    "y": _y("y", y_domain),
                },
            }
        )
    if not seasons.empty:
        # A white halo under each name keeps it readable where the line runs through it.
        halo = {
            **season_labels,
            "mark": {
                **season_labels["mark"],
                "fill": "white",
                "stroke": "white",
                # Wide enough to close the gaps between words too: at 3 px the line showed
                # through every space ("Marcus·goes·for·partner").
                "strokeWidth": 7,
                "strokeJoin": "round",
                "opacity": 1,
                "tooltip": None,  # the label above it has the season's
            },
            "encoding": {
                k: v for k, v in season_labels["encoding"].items() if k not in ("color", "tooltip")
            },
        }
        layers += [halo, season_labels]
    top = {
        "layer": layers,
        "height": EQUITY_HEIGHT,
        "resolve": {"scale": {"color": "independent", "size": "independent"}},
        "title": _title(
            "Equity over time",
            # In lines that fit the chart (with long names one line ran past it, over the
            # explanation beside it on the page and out of the picture in the PDF).
            textwrap.wrap(
                f"Zero is even. Above zero {a} has given more, below it {b}. Grey bands are "
                "seasons; diamonds are ledger events (filled = acknowledged).",
                width=_chars(width),
            ),
        ),
        "width": width,
    }
    said = _equity_words(balance, names, start, end, fairness is not None)
    if fairness is None:
        return _top(top, data, said)
    bottom = _fairness_panel(data, fairness, names, start, end, width)
    return _top(
        {
            "vconcat": [top, bottom],
            "resolve": {
                "scale": {
                    "color": "independent",
                    "shape": "independent",
                    "strokeDash": "independent",
                    "x": "shared",
                }
            },
            "spacing": 18,
        },
        data,
        said,
    )


def _span(start: date, end: date) -> str:
    return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"


def _equity_words(
    balance: pd.DataFrame, names: Sequence[str], start: date, end: date, fairness: bool
) -> str:
    """What a screen reader says of the equity chart: its window, how to read it and where the
    line ends (the page's caption and explanation say more)."""
    a, b = names
    now = ""
    if not balance.empty:
        value = float(balance["balance"].iloc[-1])
        leaning = a if value > 0 else b if value < 0 else ""
        now = f" It ends at {value:+.0f} of 100" + (
            f": {leaning} has given more." if leaning else ": even."
        )
    felt = (
        f" Below it, how fair it feels to each in their check-ins, {a} solid, {b} dashed."
        if fairness
        else ""
    )
    return (
        f"Equity over time, {_span(start, end)}: zero is even; above zero {a} has given more, "
        f"below it {b}.{now}{felt}"
    )


# The y axis's title, in bold at FONT_SIZE, gets ~7.6 px a character (DejaVu Sans Bold, which
# the PDF's charts use; the browser's face is narrower) within the room its limit gives it.
AXIS_TITLE_CHAR_PX = 7.6
AXIS_TITLE_ROOM = EQUITY_HEIGHT + 70


def _balance_axis_title(a: str, b: str) -> str:
    """'▼ Marcus gave more  ·  Rachel gave more ▲', or with the names alone where that would be
    cut short (the subtitle says which side is whose): "▼ Nguyễn Văn An gave more · Zoë-Ann
    gave …" lost its arrow and the second name's meaning (walkthrough)."""
    full = f"▼ {b} gave more  ·  {a} gave more ▲"
    if len(full) * AXIS_TITLE_CHAR_PX <= AXIS_TITLE_ROOM:
        return full
    return f"▼ {b}  ·  {a} ▲"


def equity_chart(
    balance: pd.DataFrame,
    seasons: pd.DataFrame,
    events: pd.DataFrame,
    fairness: pd.DataFrame | None,
    names: Sequence[str],
    start: date,
    end: date,
    width: int = WIDTH,
) -> alt.TopLevelMixin:
    """`equity_spec` as an Altair chart, whose to_dict() checks it against the schema (tests)."""
    return as_altair(equity_spec(balance, seasons, events, fairness, names, start, end, width))


def _fairness_panel(
    data: Datasets,
    fairness: pd.DataFrame,
    names: Sequence[str],
    start: date,
    end: date,
    width: int,
) -> Spec:
    encoding = {
        "color": _colour("partner", names, {"title": None}),
        "tooltip": [
            _field("partner", "nominal", "Partner"),
            _field("day", "temporal", "From", "%d %b %Y"),
            _field("fairness_me", "quantitative", "Feels fair to me", ".1f"),
            _field("checkins", "quantitative", "Check-ins"),
        ],
        "x": _x(start, end),
        "y": _y("fairness_me", (0, 10), title="Feels fair (0–10)"),
    }
    return {
        "layer": [
            {
                "mark": {"type": "line", "interpolate": "monotone", "strokeWidth": 2.2},
                "encoding": {**encoding, "strokeDash": _dash("partner", names, {"title": None})},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 30},
                "encoding": {**encoding, "shape": _shape("partner", names, {"title": None})},
            },
        ],
        "data": data.add(fairness),
        "height": 150,
        "title": _title(
            "How fair it feels, in their own words",
            textwrap.wrap(
                "Each partner's own check-in answer. Compare it with the balance above.",
                width=_chars(width),
            ),
            fontSize=FONT_SIZE + 1,
        ),
        "width": width,
    }


# -- check-in trends ------------------------------------------------------------------------------
# Each panel: the check-in measure, its title, its axis, and its latest figure in words
# (core.trends.latest_words, the line under the charts).
TREND_PANELS = (
    ("csi_total", "Satisfaction (CSI-4)", (0, 21), "satisfaction {} of 21"),
    ("fairness_me", "Feels fair to me", (0, 10), "feels fair {} of 10"),
    ("heard", "Feels heard", (0, 10), "feels heard {} of 10"),
    ("resentment", "Resentment", (0, 10), "resentment {} of 10"),
    ("stress", "Stress", (0, 10), "stress {} of 10"),
    ("load_share", "My share of the home load (%)", (0, 100), "share of the home load {}%"),
)


def trend_frame(buckets: pd.DataFrame, bucket: str) -> pd.DataFrame:
    """Bucketed check-ins as long rows (day, partner, measure, value, checkins, change), with one
    empty row where a partner skipped more than one bucket, so the line breaks there."""
    columns = ["day", "partner", "measure", "value", "checkins", "change"]
    if buckets.empty:
        return pd.DataFrame(columns=columns)
    step = pd.Timedelta(days=7) if bucket == "week" else pd.Timedelta(days=31)
    measures = [panel[0] for panel in TREND_PANELS]
    rows = []
    for partner, mine in buckets.sort_values("bucket").groupby("partner", sort=False):
        days = pd.to_datetime(mine["bucket"]).tolist()
        # Whole columns, not a pandas row per bucket (iterrows cost ~15 ms a chart).
        values = mine.reindex(columns=measures).to_numpy(dtype=float)
        checkins = [int(n) for n in mine["checkins"].tolist()]
        changes = mine["csi_change"].tolist() if "csi_change" in mine else [""] * len(mine)
        for i, day in enumerate(days):
            if i and day - days[i - 1] > 2 * step:
                gap = days[i - 1] + step
                rows += [
                    {"day": gap, "partner": partner, "measure": m, "value": None} for m in measures
                ]
            for m, value in zip(measures, values[i].tolist(), strict=True):
                rows.append(
                    {
                        "day": day,
                        "partner": partner,
                        "measure": m,
                        "value": None if math.isnan(value) else value,
                        "checkins": checkins[i],
                        "change": changes[i] if m == "csi_total" else "",
                    }
                )
    return pd.DataFrame(rows, columns=columns)


def trends_spec(
    long: pd.DataFrame,
    names: Sequence[str],
    start: date,
    end: date,
    cutoff: float,
    rc: dict[str, float | None],
    bucket: str = "week",
    width: int = PANEL_WIDTH,
    columns: int = 2,
) -> Spec:
    """Six small panels on one time axis, both partners in their colours: satisfaction with
    its published cut-off and reliable-change rings, fairness, heard, resentment, stress, load.

    long: trend_frame(...). rc: partner name -> reliable-change threshold (None: too few).
    columns: 2 (satisfaction across the top, the others in pairs), or 1 (one under another,
    each `width` wide: a phone).
    """
    data = Datasets()
    rows = data.add(long)
    colour = _colour("partner", names, {"title": None})
    per = "week" if bucket == "week" else "month"
    x = _x(start, end)
    gap = 40  # between the two columns of panels
    # Satisfaction spans both columns, to the right column's end (past its y-axis labels, ~30 px).
    wide = 2 * width + gap + 30 if columns == 2 else width
    panels = []
    for measure, title, domain, _words in TREND_PANELS:
        only = f"(datum.measure === '{measure}')"
        encoding = {
            "color": colour,
            "tooltip": [
                _field("partner", "nominal", "Partner"),
                _field("day", "temporal", f"{per.title()} from", "%d %b %Y"),
                _field("value", "quantitative", title, ".1f"),
                _field("checkins", "quantitative", "Check-ins averaged"),
            ],
            "x": x,
            "y": _y("value", domain, title=None),
        }
        layers: list[Spec] = [
            {
                "mark": {"type": "line", "interpolate": "monotone", "strokeWidth": 2},
                "encoding": {**encoding, "strokeDash": _dash("partner", names, {"title": None})},
                "transform": [{"filter": only}],
            },
            {
                "mark": {"type": "point", "filled": True, "size": 28},
                "encoding": {**encoding, "shape": _shape("partner", names, {"title": None})},
                "transform": [{"filter": only}],
            },
        ]
        subtitle = None
        rule = None
        if measure == "csi_total":
            rule = {
                "data": data.add([{"cutoff": cutoff}]),
                "mark": {
                    "type": "rule",
                    "color": NEUTRAL,
                    "strokeDash": [6, 4],
                    "strokeWidth": 1.5,
                    "tooltip": None,
                },
                "encoding": {"y": _y("cutoff")},
            }
            layers.append(
                {
                    "data": data.add([{"cutoff": cutoff, "label": f"cut-off {cutoff:g}"}]),
                    "mark": {
                        "type": "text",
                        "align": "right",
                        "color": NEUTRAL,
                        "dy": -7,
                        "fontSize": FONT_SIZE - 2,
                        "tooltip": None,
                    },
                    "encoding": {
                        "text": {"field": "label", "type": "nominal"},
                        "x": {"value": wide - 4},  # at the panel's right end
                        "y": _y("cutoff"),
                    },
                }
            )
            layers.append(
                {
                    "mark": {
                        "type": "point",
                        "filled": False,
                        "shape": "circle",
                        "size": RING_SIZE,
                        "strokeWidth": 1.6,
                    },
                    "encoding": {
                        "color": colour,
                        "tooltip": [
                            _field("partner", "nominal", "Partner"),
                            _field("day", "temporal", "When", "%d %b %Y"),
                            _field("value", "quantitative", "Satisfaction", ".1f"),
                            _field("change", "nominal", "Compared with their first check-in"),
                        ],
                        "x": x,
                        "y": _y("value", domain),
                    },
                    "transform": [{"filter": f"({only} && (datum.change !== ''))"}],
                }
            )
            known = [f"{n} ±{v:.1f}" for n, v in rc.items() if v is not None]
            # Wrapped to the panel's width, as the equity chart's subtitle is: it ran past it.
            subtitle = [
                line
                for text in (
                    f"Dashed: published cut-off {cutoff:g} (Funk & Rogge, 2007); below it, "
                    "notable dissatisfaction.",
                    "Rings: a reliable change since the partner's first check-in — threshold "
                    "computed by Tandem from each partner's own check-ins, not a published figure"
                    + (f" ({', '.join(known)})." if known else " (not enough check-ins yet)."),
                )
                for line in textwrap.wrap(text, width=_chars(wide))
            ]
        if measure == "load_share":
            rule = {
                "data": data.add([{"half": 50}]),
                "mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [2, 3], "tooltip": None},
                "encoding": {"y": _y("half")},
            }
        panel: Spec = {"layer": layers}
        if rule is None:
            panel["data"] = rows  # every layer draws the check-ins: named once, on the panel
        else:
            # Some layers bring their own rows (the cut-off, the 50% line): then every layer
            # names its data, as Altair writes it. The rule goes underneath.
            for layer in layers:
                layer.setdefault("data", rows)
            layers.insert(0, rule)
        panel.update(height=150, title=_title(title, subtitle, fontSize=FONT_SIZE + 1), width=width)
        panels.append(panel)
    first, *rest = panels
    first["width"] = wide
    said = (
        f"Check-in trends, {_span(start, end)}, one point per {per}: satisfaction, feels fair, "
        "feels heard, resentment, stress and share of the home load, "
        + " and ".join(f"{n} {'solid' if i == 0 else 'dashed'}" for i, n in enumerate(names))
        + ". The figures are in the line under the charts and on the Check-ins page."
    )
    if columns == 1:
        grid = {"vconcat": panels, "resolve": {"scale": {"x": "shared"}}, "spacing": 22}
        return _top(grid, data, said)

    def row(*row_panels: Spec) -> Spec:
        # Altair names the data once on a row whose panels all draw the check-ins.
        if all(p.get("data") == rows for p in row_panels):
            inner = [{k: v for k, v in p.items() if k != "data"} for p in row_panels]
            return {"hconcat": inner, "data": rows, "spacing": gap}
        return {"hconcat": list(row_panels), "spacing": gap}

    return _top(
        {
            "vconcat": [first, row(*rest[0:2]), row(*rest[2:4]), row(rest[4])],
            "resolve": {"scale": {"x": "shared"}},
            "spacing": 22,
        },
        data,
        said,
    )


def trends_chart(
    long: pd.DataFrame,
    names: Sequence[str],
    start: date,
    end: date,
    cutoff: float,
    rc: dict[str, float | None],
    bucket: str = "week",
    width: int = PANEL_WIDTH,
) -> alt.TopLevelMixin:
    """`trends_spec` as an Altair chart, whose to_dict() checks it against the schema (tests)."""
    return as_altair(trends_spec(long, names, start, end, cutoff, rc, bucket, width))


# -- for exported summaries ----------------------------------------------------------------------
# Under the equity chart in a session summary: on paper there is no "How this is computed"
# beside it, as on the Equity page (pages/6_Equity_and_trends.py), so it says it in short.
EQUITY_READING = (
    "Zero means even: the further the line is from it, the more one of you has been giving "
    "than the other lately, and the side it is on says which of you. Three things move it, "
    "counted the same way for both of you: the seasons (each week that one career leads counts "
    "as a week of giving by the partner who steadies it), the sacrifices written in the ledger "
    "(each once, by its size), and the share of the home load each of you gave in your "
    "check-ins, folded together into the one line (neither answer is shown on its own). Older "
    "giving fades: it counts half after a year and a quarter after two. It is a conversation "
    "aid, not a verdict: it only knows what has been recorded here."
)


@audited("view", "session summary charts")
def summary_charts(
    db: Any, actor: Any, couple_id: Any, zone: str | None = None
) -> list[tuple[str, Spec, str]]:
    """Charts a session summary can carry (core/exports.py), each as (title, spec, how to read
    it): the equity balance over the last two years up to today on the clock of `zone` (the
    counselor's; UTC without one). A summary may be handed to both partners, so nothing in it
    shows either partner's own answers (no felt-fairness panel, no check-in trends); the
    balance does count both partners' home-load shares, folded into its one line with the
    seasons and the ledger."""
    from core import trends  # trends fetches through core; imported here to keep this pure

    win = trends.window(db, actor, couple_id, "2y", zone=zone)
    view = trends.equity_view(db, actor, couple_id, win)
    if view.balance.empty or not view.has_data:
        return []
    chart = equity_spec(
        view.balance, view.seasons, view.events, None, view.names, win.start, win.end, width=560
    )
    return [("Equity over time", chart, EQUITY_READING)]
