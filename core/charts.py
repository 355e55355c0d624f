"""Chart builders: DataFrame -> Altair chart, pure (data is aggregated in SQL first).

One palette for the whole app: each partner keeps one colour on every chart, taken from the
Okabe-Ito set, which stays distinct for the common kinds of colour blindness (Okabe & Ito,
2008, "Color Universal Design"). The first partner in display order is blue, the second
orange; neither colour means "first" or "main". Legends always carry the names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from core.audit import audited

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
PARTNER_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["orange"])
NEUTRAL = "#555555"  # balanced seasons, zero lines, cut-offs: reads as neither partner
BALANCED = "Balanced"
# Sized for a laptop screen shared with the couple: the main column is ~1000 px wide, and the
# equity chart shares it with its explanation.
WIDTH = 580
PANEL_WIDTH = 400
FONT_SIZE = 13
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
    colours = {**partner_colours(names), **(extra or {})}
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def _style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Tandem's fonts and frame, set on the freshly built chart in place: each of Altair's
    configure_* calls deep-copies the whole chart, data included (~0.4 s a page; issue 6)."""
    chart.config = alt.Config(
        axis=alt.AxisConfig(labelFontSize=FONT_SIZE - 1, titleFontSize=FONT_SIZE),
        legend=alt.LegendConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="top"),
        title=alt.TitleConfig(
            fontSize=FONT_SIZE + 3, subtitleFontSize=FONT_SIZE - 1, anchor="start"
        ),
        view=alt.ViewConfig(strokeWidth=0),
    )
    return chart


def _x(start: date, end: date, title: str | None = None) -> alt.X:
    return alt.X(
        "day:T",
        title=title,
        scale=alt.Scale(domain=[pd.Timestamp(start).isoformat(), pd.Timestamp(end).isoformat()]),
        axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=8, grid=False),
    )


# -- equity over time ---------------------------------------------------------------------------
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
    """The balance (zero marked, coloured towards whoever gave more), seasons as bands, ledger
    events as markers, and, below on the same time axis, each partner's felt fairness.

    balance: day, balance (-100..100), raw, season, ledger, load
    seasons: start, end, lead (a name or 'Balanced'), title, span
    events: day, giver (a name), what, size ('Small'…), acknowledged (bool), repaid (text)
    fairness: day, partner (a name), fairness_me (0-10), checkins — or None to leave it out
    """
    a, b = names
    colours = partner_colours(names)
    x = _x(start, end)
    height = 250
    frame = balance.assign(
        above=balance["balance"].clip(lower=0), below=balance["balance"].clip(upper=0)
    )
    y_scale = alt.Scale(domain=[-100, 100])
    base = alt.Chart(frame).encode(x=x)
    layers: list[alt.Chart] = []
    if not seasons.empty:
        # Seasons are neutral bands (alternating shades) with a label in the lead's colour:
        # a partner's colour on the area already means "has given more", so a band in it
        # would read the wrong way round.
        band = seasons.reset_index(drop=True).assign(
            day=seasons["start"].to_numpy(),
            day_end=seasons["end"].to_numpy(),
            shade=[i % 2 for i in range(len(seasons))],
            label=[
                f"{t} ({'balanced' if lead == BALANCED else lead + ' leads'})"
                for t, lead in zip(seasons["title"], seasons["lead"], strict=True)
            ],
            y=[100] * len(seasons),
        )
        season_tooltip = [
            alt.Tooltip("title:N", title="Season"),
            alt.Tooltip("lead:N", title="Whose career leads"),
            alt.Tooltip("span:N", title="When"),
        ]
        layers += [
            alt.Chart(band)
            .mark_rect(color=NEUTRAL)
            .encode(
                x=x,
                x2="day_end:T",
                opacity=alt.Opacity(
                    "shade:O", scale=alt.Scale(domain=[0, 1], range=[0.06, 0.13]), legend=None
                ),
                tooltip=season_tooltip,
            ),
            alt.Chart(band)
            .mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=FONT_SIZE - 2, limit=260)
            .encode(
                x=x,
                y=alt.Y("y:Q", scale=y_scale),
                text="label:N",
                color=alt.Color(
                    "lead:N", scale=partner_scale(names, {BALANCED: NEUTRAL}), legend=None
                ),
                tooltip=season_tooltip,
            ),
        ]
    layers += [
        base.mark_area(color=colours[a], opacity=AREA_OPACITY, interpolate="monotone").encode(
            # Read bottom to top, the rotated title matches the two sides of zero.
            y=alt.Y(
                "above:Q",
                scale=y_scale,
                title=f"▼ {b} has given more  ·  {a} has given more ▲",
                axis=alt.Axis(titleFontWeight="bold", titleColor="#333333"),
            ),
            y2=alt.datum(0),
        ),
        base.mark_area(color=colours[b], opacity=AREA_OPACITY, interpolate="monotone").encode(
            y="below:Q", y2=alt.datum(0)
        ),
        alt.Chart(pd.DataFrame({"zero": [0]}))
        .mark_rule(color=NEUTRAL, strokeWidth=1.5)
        .encode(y=alt.Y("zero:Q", scale=y_scale)),
        base.mark_line(color="#222222", strokeWidth=2.5, interpolate="monotone").encode(
            y=alt.Y("balance:Q", scale=y_scale),
            tooltip=[
                alt.Tooltip("day:T", title="Week ending", format="%d %b %Y"),
                alt.Tooltip("balance:Q", title="Balance (of ±100)", format="+.0f"),
                alt.Tooltip("season:Q", title="…from seasons (weeks' worth)", format="+.1f"),
                alt.Tooltip("ledger:Q", title="…from the ledger (weeks' worth)", format="+.1f"),
                alt.Tooltip("load:Q", title="…from the home load (weeks' worth)", format="+.1f"),
            ],
        ),
    ]
    if not events.empty:
        marks = events.assign(
            y=[EVENT_Y if g == a else -EVENT_Y for g in events["giver"]],
            filled=events["acknowledged"].map({True: "Acknowledged", False: "Not acknowledged"}),
        ).drop(columns=["acknowledged"])
        layers.append(
            alt.Chart(marks)
            .mark_point(shape="diamond", strokeWidth=2)
            .encode(
                x=x,
                y=alt.Y("y:Q", scale=y_scale),
                color=alt.Color("giver:N", scale=partner_scale(names), legend=None),
                fill=alt.condition(
                    alt.datum.filled == "Acknowledged",
                    alt.Color("giver:N", scale=partner_scale(names), legend=None),
                    alt.value("white"),
                ),
                size=alt.Size(
                    "size:N",
                    scale=alt.Scale(domain=list(EVENT_SIZES), range=list(EVENT_SIZES.values())),
                    legend=None,
                ),
                tooltip=[
                    alt.Tooltip("day:T", title="Date", format="%d %b %Y"),
                    alt.Tooltip("giver:N", title="Who gave"),
                    alt.Tooltip("what:N", title="What"),
                    alt.Tooltip("size:N", title="How much"),
                    alt.Tooltip("filled:N", title="Acknowledged?"),
                    alt.Tooltip("repaid:N", title="Repaid?"),
                ],
            )
        )
    top = (
        alt.layer(*layers)
        .properties(
            width=width,
            height=height,
            title=alt.Title(
                "Equity over time",
                subtitle=[
                    f"Zero is even. Above zero {a} has given more, below it {b}. Grey bands are "
                    "seasons; diamonds are ledger events (filled = acknowledged).",
                ],
            ),
        )
        .resolve_scale(color="independent", size="independent")
    )
    if fairness is None:
        return _style(top)
    bottom = fairness_panel(fairness, names, start, end, width)
    return _style(
        alt.vconcat(top, bottom, spacing=18).resolve_scale(x="shared", color="independent")
    )


def fairness_panel(
    fairness: pd.DataFrame, names: Sequence[str], start: date, end: date, width: int = WIDTH
) -> alt.LayerChart:
    """Each partner's own 'how fair does it feel to me' (0-10), on the equity chart's time axis."""
    colour = alt.Color("partner:N", scale=partner_scale(names), legend=alt.Legend(title=None))
    base = alt.Chart(fairness).encode(
        x=_x(start, end),
        y=alt.Y("fairness_me:Q", scale=alt.Scale(domain=[0, 10]), title="Feels fair (0–10)"),
        color=colour,
        tooltip=[
            alt.Tooltip("partner:N", title="Partner"),
            alt.Tooltip("day:T", title="From", format="%d %b %Y"),
            alt.Tooltip("fairness_me:Q", title="Feels fair to me", format=".1f"),
            alt.Tooltip("checkins:Q", title="Check-ins"),
        ],
    )
    return alt.layer(
        base.mark_line(strokeWidth=2.2, interpolate="monotone"),
        base.mark_point(filled=True, size=30),
    ).properties(
        width=width,
        height=150,
        title=alt.Title(
            "How fair it feels, in their own words",
            subtitle="Each partner's own check-in answer. Compare it with the balance above.",
            fontSize=FONT_SIZE + 1,
        ),
    )


# -- check-in trends ------------------------------------------------------------------------------
TREND_PANELS = (
    ("csi_total", "Satisfaction (CSI-4)", (0, 21)),
    ("fairness_me", "Feels fair to me", (0, 10)),
    ("heard", "Feels heard", (0, 10)),
    ("resentment", "Resentment", (0, 10)),
    ("stress", "Stress", (0, 10)),
    ("load_share", "My share of the home load (%)", (0, 100)),
)


def trend_frame(buckets: pd.DataFrame, bucket: str) -> pd.DataFrame:
    """Bucketed check-ins as long rows (day, partner, measure, value, checkins, change), with one
    empty row where a partner skipped more than one bucket, so the line breaks there."""
    columns = ["day", "partner", "measure", "value", "checkins", "change"]
    if buckets.empty:
        return pd.DataFrame(columns=columns)
    step = pd.Timedelta(days=7) if bucket == "week" else pd.Timedelta(days=31)
    rows = []
    for partner, mine in buckets.sort_values("bucket").groupby("partner", sort=False):
        days = pd.to_datetime(mine["bucket"]).tolist()
        for i, (_, r) in enumerate(mine.iterrows()):
            if i and days[i] - days[i - 1] > 2 * step:
                gap = days[i - 1] + step
                rows += [
                    {"day": gap, "partner": partner, "measure": m, "value": None}
                    for m, _, _ in TREND_PANELS
                ]
            for m, _, _ in TREND_PANELS:
                value = r.get(m)
                rows.append(
                    {
                        "day": days[i],
                        "partner": partner,
                        "measure": m,
                        "value": None if pd.isna(value) else float(value),
                        "checkins": int(r["checkins"]),
                        "change": r.get("csi_change", "") if m == "csi_total" else "",
                    }
                )
    return pd.DataFrame(rows, columns=columns)


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
    """Six small panels on one time axis, both partners in their colours: satisfaction with
    its published cut-off and reliable-change rings, fairness, heard, resentment, stress, load.

    long: trend_frame(...). rc: partner name -> reliable-change threshold (None: too few).
    """
    colour = alt.Color("partner:N", scale=partner_scale(names), legend=alt.Legend(title=None))
    per = "week" if bucket == "week" else "month"
    panels = []
    for measure, title, domain in TREND_PANELS:
        base = (
            alt.Chart(long)
            .transform_filter(alt.datum.measure == measure)
            .encode(
                x=_x(start, end),
                y=alt.Y("value:Q", scale=alt.Scale(domain=list(domain)), title=None),
                color=colour,
                tooltip=[
                    alt.Tooltip("partner:N", title="Partner"),
                    alt.Tooltip("day:T", title=f"{per.title()} from", format="%d %b %Y"),
                    alt.Tooltip("value:Q", title=title, format=".1f"),
                    alt.Tooltip("checkins:Q", title="Check-ins averaged"),
                ],
            )
        )
        layers = [
            base.mark_line(strokeWidth=2, interpolate="monotone"),
            base.mark_point(filled=True, size=28),
        ]
        subtitle = None
        if measure == "csi_total":
            layers.insert(
                0,
                alt.Chart(pd.DataFrame({"cutoff": [cutoff]}))
                .mark_rule(color=NEUTRAL, strokeDash=[6, 4], strokeWidth=1.5)
                .encode(y="cutoff:Q"),
            )
            layers.append(
                alt.Chart(pd.DataFrame({"cutoff": [cutoff], "label": [f"cut-off {cutoff:g}"]}))
                .mark_text(align="right", dy=-7, fontSize=FONT_SIZE - 2, color=NEUTRAL)
                .encode(x=alt.value(width - 4), y="cutoff:Q", text="label:N")
            )
            layers.append(
                alt.Chart(long)
                .transform_filter((alt.datum.measure == measure) & (alt.datum.change != ""))
                .mark_point(shape="circle", size=RING_SIZE, strokeWidth=1.6, filled=False)
                .encode(
                    x=_x(start, end),
                    y=alt.Y("value:Q", scale=alt.Scale(domain=list(domain))),
                    color=colour,
                    tooltip=[
                        alt.Tooltip("partner:N", title="Partner"),
                        alt.Tooltip("day:T", title="When", format="%d %b %Y"),
                        alt.Tooltip("value:Q", title="Satisfaction", format=".1f"),
                        alt.Tooltip("change:N", title="Compared with the first point"),
                    ],
                )
            )
            known = [f"{n} ±{v:.1f}" for n, v in rc.items() if v is not None]
            subtitle = [
                f"Dashed: published cut-off {cutoff:g} (Funk & Rogge, 2007); below it, notable "
                "dissatisfaction.",
                "Rings: a reliable change since the first point — threshold computed by Tandem "
                "from each partner's own check-ins, not a published figure"
                + (f" ({', '.join(known)})." if known else " (not enough check-ins yet)."),
            ]
        if measure == "load_share":
            layers.insert(
                0,
                alt.Chart(pd.DataFrame({"half": [50]}))
                .mark_rule(color=NEUTRAL, strokeDash=[2, 3])
                .encode(y="half:Q"),
            )
        panel = alt.layer(*layers).properties(
            width=width,
            height=150,
            title=alt.Title(title, subtitle=subtitle, fontSize=FONT_SIZE + 1)
            if subtitle
            else alt.Title(title, fontSize=FONT_SIZE + 1),
        )
        panels.append(panel)
    first, *rest = panels
    grid = alt.vconcat(
        first.properties(width=2 * width + 40),
        alt.hconcat(*rest[0:2], spacing=40),
        alt.hconcat(*rest[2:4], spacing=40),
        alt.hconcat(rest[4], spacing=40),
        spacing=22,
    ).resolve_scale(x="shared")
    return _style(grid)


# -- for exported summaries ----------------------------------------------------------------------
@audited("view", "session summary charts")
def summary_charts(db: Any, actor: Any, couple_id: Any) -> list[tuple[str, alt.TopLevelMixin]]:
    """Charts a session summary can carry (core/exports.py picks this up): the equity balance
    over the last two years, without either partner's own answers (no felt-fairness panel,
    no check-in trends), since a summary may be handed to both partners."""
    from core import trends  # trends fetches through core; imported here to keep this pure

    win = trends.window(db, actor, couple_id, "2y")
    view = trends.equity_view(db, actor, couple_id, win)
    if view.balance.empty or not view.has_data:
        return []
    chart = equity_chart(
        view.balance, view.seasons, view.events, None, view.names, win.start, win.end, width=560
    )
    return [("Equity over time", chart)]
