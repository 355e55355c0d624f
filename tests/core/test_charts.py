"""Chart builders, checked through their Vega-Lite spec: layers, encodings, the cut-off rule,
the partners' colours, no more rows than the aggregate needs, and the same spec for the page
(a plain dict) as for the PDF (Altair, checked against the schema)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core import charts

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("Rachel", "Marcus")
START, END = date(2025, 1, 1), date(2025, 12, 31)


def walk(spec):
    """Every dict inside a spec."""
    if isinstance(spec, dict):
        yield spec
        for v in spec.values():
            yield from walk(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from walk(v)


def marks(spec) -> list[str]:
    """Every mark type in a spec (layers and concatenations included)."""
    found = []
    for d in walk(spec):
        mark = d.get("mark")
        if mark is not None:
            found.append(mark if isinstance(mark, str) else mark["type"])
    return found


def dataset_rows(spec) -> dict[str, int]:
    """Rows per embedded dataset."""
    return {name: len(rows) for name, rows in spec.get("datasets", {}).items()}


def text(spec) -> str:
    return str(spec)


def balance_frame(weeks: int = 10) -> pd.DataFrame:
    days = pd.date_range("2025-01-05", periods=weeks, freq="W-SUN")
    return pd.DataFrame(
        {
            "day": days,
            "raw": range(weeks),
            "balance": [10.0 * i - 40 for i in range(weeks)],
            "season": 0.0,
            "ledger": 0.0,
            "load": 0.0,
        }
    )


SEASONS = pd.DataFrame(
    {
        "start": [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-01")],
        "end": [pd.Timestamp("2025-06-01"), pd.Timestamp("2026-01-01")],
        "lead": ["Marcus", "Balanced"],
        "title": ["Marcus goes for partner", "Both steady"],
        "span": ["1 Jan 2025 – 31 May 2025", "1 Jun 2025 – still going"],
    }
)
EVENTS = pd.DataFrame(
    {
        "day": [pd.Timestamp("2025-03-01")],
        "giver": ["Rachel"],
        "what": ["Declined an offer"],
        "size": ["Large"],
        "acknowledged": [False],
        "repaid": ["Not yet"],
    }
)
FAIRNESS = pd.DataFrame(
    {
        "day": pd.to_datetime(["2025-01-06", "2025-01-06", "2025-01-13"]),
        "partner": ["Rachel", "Marcus", "Rachel"],
        "fairness_me": [4.0, 8.0, 5.0],
        "checkins": [1, 1, 2],
    }
)


def contrast_on_white(colour: str) -> float:
    """WCAG's contrast ratio of a #RRGGBB colour against white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 1.05 / (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] + 0.05)


def test_each_partner_keeps_a_colour_by_display_order_that_can_be_seen():
    """Okabe-Ito blue and a darker orange: its own (2.3:1 on white) was too faint for a line
    (an accessibility audit wants 3:1)."""
    assert charts.partner_colours(["Zoë", "Łukasz"]) == {"Zoë": "#0072B2", "Łukasz": "#C27C00"}
    assert list(charts.partner_colours(["A", "B"]).values()) == list(
        charts.partner_colours(["C", "D"]).values()
    )
    assert charts.PARTNER_COLOURS[0] == charts.OKABE_ITO["blue"]
    assert all(contrast_on_white(c) >= 3 for c in charts.PARTNER_COLOURS)


@pytest.fixture(scope="module")
def equity_spec():
    """One equity chart spec through Altair, schema-checked (~1 s); the checks share it."""
    balance = balance_frame(30)
    return balance, charts.equity_chart(
        balance, SEASONS, EVENTS, FAIRNESS, NAMES, START, END
    ).to_dict()


def test_the_equity_chart_has_zero_seasons_events_and_felt_fairness_on_one_time_axis(equity_spec):
    _, spec = equity_spec
    assert len(spec["vconcat"]) == 2
    assert spec["resolve"]["scale"]["x"] == "shared"
    top, bottom = spec["vconcat"]
    top_marks = marks(top)
    assert top_marks.count("area") == 2  # one side of zero per partner
    assert "rect" in top_marks and "line" in top_marks and "point" in top_marks
    # Zero is marked: a rule drawn from a one-row dataset at zero, on the balance's scale.
    assert "rule" in top_marks and [{"zero": 0}] in spec["datasets"].values()
    # Ledger events: diamonds, hollow unless acknowledged, with who gave and whether repaid.
    diamonds = [
        d
        for d in walk(top)
        if isinstance(d.get("mark"), dict) and d["mark"].get("shape") == "diamond"
    ]
    assert len(diamonds) == 1
    tooltip_titles = {t["title"] for t in diamonds[0]["encoding"]["tooltip"]}
    assert {"Who gave", "Acknowledged?", "Repaid?"} <= tooltip_titles
    # Felt fairness: each partner's own answer on 0-10, coloured by partner.
    assert "line" in marks(bottom)
    colour = next(d["encoding"]["color"] for d in walk(bottom) if "color" in d.get("encoding", {}))
    assert colour["scale"] == {"domain": list(NAMES), "range": ["#0072B2", "#C27C00"]}
    assert "Rachel gave more" in text(spec) and "Marcus gave more" in text(spec)


def test_long_names_keep_the_balance_axis_arrows_by_dropping_its_words():
    """Cut at its limit, "▼ Nguyễn Văn An gave more · Zoë-Ann gave …" lost the side's arrow;
    the names alone fit, and the chart's subtitle says which side is whose."""
    assert charts._balance_axis_title("Rachel", "Marcus") == (
        "▼ Marcus gave more  ·  Rachel gave more ▲"
    )
    short = charts._balance_axis_title("Zoë-Ann", "Nguyễn Văn An")
    assert short == "▼ Nguyễn Văn An  ·  Zoë-Ann ▲"
    assert len(short) * charts.AXIS_TITLE_CHAR_PX <= charts.AXIS_TITLE_ROOM


def test_the_equity_chart_ships_only_the_aggregated_rows(equity_spec):
    balance, spec = equity_spec
    rows = sorted(dataset_rows(spec).values())
    assert sum(rows) <= len(balance) + 2 * len(SEASONS) + len(EVENTS) + len(FAIRNESS) + 1 + 2
    assert len(balance) in rows


def test_without_fairness_the_equity_chart_is_one_panel():
    spec = charts.equity_chart(
        balance_frame(), SEASONS.iloc[:0], EVENTS.iloc[:0], None, NAMES, START, END
    ).to_dict()
    assert "vconcat" not in spec and "rect" not in marks(spec)


def buckets(rows) -> pd.DataFrame:
    """Bucketed check-ins as core.trends returns them (measures default to 5)."""
    defaults = dict.fromkeys(
        ("csi_total", "fairness_me", "heard", "resentment", "stress", "load_share"), 5.0
    )
    columns = ["partner", "bucket", "checkins", *defaults, "csi_change"]
    return pd.DataFrame([{**defaults, "csi_change": "", **r} for r in rows], columns=columns)


def test_trend_frame_has_one_row_per_partner_bucket_and_measure():
    frame = buckets(
        [
            {"partner": "Rachel", "bucket": pd.Timestamp("2025-01-06"), "checkins": 1},
            {"partner": "Marcus", "bucket": pd.Timestamp("2025-01-06"), "checkins": 2},
        ]
    )
    long = charts.trend_frame(frame, "week")
    assert len(long) == 2 * len(charts.TREND_PANELS)
    assert set(long["measure"]) == {panel[0] for panel in charts.TREND_PANELS}


def test_a_gap_of_several_buckets_breaks_the_line_with_one_empty_row():
    frame = buckets(
        [
            {"partner": "Rachel", "bucket": pd.Timestamp("2025-01-06"), "checkins": 1},
            {"partner": "Rachel", "bucket": pd.Timestamp("2025-01-13"), "checkins": 1},
            {"partner": "Rachel", "bucket": pd.Timestamp("2025-03-03"), "checkins": 1},
        ]
    )
    long = charts.trend_frame(frame, "week")
    assert len(long) == 4 * len(charts.TREND_PANELS)
    empty = long[long["value"].isna()]
    assert len(empty) == len(charts.TREND_PANELS)
    assert (empty["day"] == pd.Timestamp("2025-01-20")).all()


def build_trends(rc=None):
    frame = buckets(
        [
            {
                "partner": p,
                "bucket": pd.Timestamp(d),
                "checkins": 1,
                "csi_total": v,
                "csi_change": c,
            }
            for p, d, v, c in (
                ("Rachel", "2025-01-06", 16, ""),
                ("Rachel", "2025-01-13", 10, "reliably lower"),
                ("Marcus", "2025-01-06", 17, ""),
            )
        ]
    )
    long = charts.trend_frame(frame, "week")
    chart = charts.trends_chart(
        long, NAMES, START, END, 13.5, rc or {"Rachel": 4.1, "Marcus": None}
    )
    return long, chart.to_dict()


@pytest.fixture(scope="module")
def trends_spec():
    """One trends chart spec, shared by the checks below."""
    return build_trends()


def test_the_satisfaction_panel_marks_the_published_cut_off_and_says_reliable_change_is_computed(
    trends_spec,
):
    _, spec = trends_spec
    first = spec["vconcat"][0]
    rules = [
        d
        for d in walk(first)
        if isinstance(d.get("mark"), dict) and d["mark"].get("type") == "rule"
    ]
    assert rules and rules[0]["mark"]["strokeDash"] == [6, 4]
    cutoffs = [rows for rows in spec["datasets"].values() if rows == [{"cutoff": 13.5}]]
    assert cutoffs
    subtitle = " ".join(first["title"]["subtitle"])
    assert "cut-off 13.5" in subtitle and "Funk & Rogge" in subtitle
    assert "not a published figure" in subtitle and "Rachel ±4.1" in subtitle
    rings = [
        d
        for d in walk(first)
        if isinstance(d.get("mark"), dict) and d["mark"].get("size") == charts.RING_SIZE
    ]
    assert rings and rings[0]["mark"]["filled"] is False


def test_the_trends_chart_has_six_panels_on_a_shared_time_axis_in_partner_colours(trends_spec):
    long, spec = trends_spec
    titles = [
        d["title"]["text"]
        for d in walk(spec)
        if isinstance(d.get("title"), dict) and "text" in d["title"]
    ]
    assert [panel[1] for panel in charts.TREND_PANELS] == [
        t for t in titles if t in {panel[1] for panel in charts.TREND_PANELS}
    ]
    assert spec["resolve"]["scale"]["x"] == "shared"
    colours = [
        d["encoding"]["color"]["scale"]
        for d in walk(spec)
        if "color" in d.get("encoding", {}) and "scale" in d["encoding"]["color"]
    ]
    assert colours and all(c["range"] == ["#0072B2", "#C27C00"] for c in colours)
    # The long frame is shipped once, not once per panel; no more rows than the aggregate.
    assert max(dataset_rows(spec).values()) == len(long)
    assert sum(n for n in dataset_rows(spec).values() if n > 2) == len(long)


def test_without_enough_check_ins_the_chart_says_so_instead_of_a_threshold():
    _, spec = build_trends({"Rachel": None, "Marcus": None})
    assert "not enough check-ins yet" in " ".join(spec["vconcat"][0]["title"]["subtitle"])


@pytest.mark.parametrize("rows", [0, 1])
def test_empty_and_single_check_in_frames_build(rows):
    frame = buckets(
        [{"partner": "Rachel", "bucket": pd.Timestamp("2025-01-06"), "checkins": 1}][:rows]
    )
    long = charts.trend_frame(frame, "week")
    assert charts.trends_chart(long, NAMES, START, END, 13.5, {}).to_dict(validate=False)


# -- the spec the page draws is the one Altair hands to the PDF ----------------------------------
def without_theme(spec: dict) -> dict:
    """A spec as the page gets it: Altair's default theme adds a view size only to_dict() sees
    (Streamlit turns that theme off)."""
    view = {k: v for k, v in spec["config"]["view"].items() if not k.startswith("continuous")}
    return {**spec, "config": {**spec["config"], "view": view}}


@pytest.mark.parametrize(
    ("seasons", "events", "fairness"),
    [(SEASONS, EVENTS, FAIRNESS), (SEASONS.iloc[:0], EVENTS.iloc[:0], None)],
)
def test_the_equity_spec_is_the_altair_charts_spec_checked_against_the_schema(
    seasons, events, fairness
):
    args = (balance_frame(12), seasons, events, fairness, NAMES, START, END)
    altair_spec = charts.equity_chart(*args).to_dict()  # validates against Vega-Lite's schema
    assert without_theme(altair_spec) == charts.equity_spec(*args)


def test_the_trends_spec_is_the_altair_charts_spec_checked_against_the_schema(trends_spec):
    long, spec = trends_spec
    args = (long, NAMES, START, END, 13.5, {"Rachel": 4.1, "Marcus": None})
    assert without_theme(spec) == charts.trends_spec(*args)


def test_specs_name_the_vega_lite_version_altair_writes():
    import altair as alt

    assert charts.SCHEMA_URL == alt.SCHEMA_URL


# Frames with every kind of column the charts get, and some they might: each must come out as
# Altair's own conversion (alt.to_values) writes it.
ROW_FRAMES = {
    "dates, numbers, text": pd.DataFrame(
        {
            "day": pd.to_datetime(["2025-01-05", None, "2025-02-01 12:30:01.25"], format="mixed"),
            "value": [1.5, float("nan"), float("inf")],
            "checkins": [1, 2, 3],
            "acknowledged": [True, False, True],
            "partner": ["Zoë", None, "Łukasz"],
            "change": pd.Series(["", float("nan"), None], dtype=object),
        }
    ),
    "whole-second dates": pd.DataFrame({"day": pd.date_range("2020-01-01", periods=3, unit="s")}),
    "time zones": pd.DataFrame({"day": pd.to_datetime(["2025-01-05", None]).tz_localize("UTC")}),
    "nullable kinds": pd.DataFrame(
        {
            "n": pd.array([1, None], dtype="Int64"),
            "b": pd.array([True, None], dtype="boolean"),
            "c": pd.Categorical(["a", None]),
        }
    ),
    "text with pd.NA": pd.DataFrame({"t": pd.array(["Zoë", None], dtype="string")}),
    "lists": pd.DataFrame({"a": [[1, 2], None]}),
    "no rows": pd.DataFrame(columns=["day", "value"]),
}


@pytest.mark.parametrize("frame", ROW_FRAMES.values(), ids=ROW_FRAMES.keys())
def test_json_rows_are_the_rows_altair_writes(frame):
    import altair as alt

    expected = alt.to_values(frame)["values"]
    rows = charts.json_rows(frame)
    assert rows == expected
    assert json.dumps(rows) == json.dumps(expected)  # the same types too (1 is not 1.0)


def test_drawing_a_chart_on_a_page_does_not_import_altair():
    """Nor does importing any of core (Altair takes ~0.25 s and ~26 MB to load)."""
    probe = (
        "import sys, pkgutil, importlib, core; from tests.core import test_charts as t; "
        "from tests.core import test_roadmap_chart as r; from core import charts, decisions, "
        "roadmap; [importlib.import_module('core.' + m.name) for m in "
        "pkgutil.iter_modules(core.__path__)]; "
        "charts.equity_spec(t.balance_frame(5), t.SEASONS, t.EVENTS, t.FAIRNESS, t.NAMES, "
        "t.START, t.END); roadmap.timeline_spec(r.demo()); "
        "import pandas as pd; decisions.matrix_spec(pd.DataFrame({'option': ['A'], "
        "'who': ['Zoë'], 'score': [5.0], 'points': [10]}), ['Zoë', 'Łukasz']); "
        "print('altair' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_season_band_names_who_leads_once():
    """An unnamed season is called after its lead (core.seasons.name): not "Zoë leads (Zoë
    leads)" on its band."""
    from core.charts import BALANCED, _season_label

    assert _season_label("Zoë leads", "Zoë") == "Zoë leads"
    assert _season_label("Balanced season", BALANCED) == "Balanced season"
    assert _season_label("Lisbon year", "Zoë") == "Lisbon year (Zoë leads)"
    assert _season_label("Steady", BALANCED) == "Steady (balanced)"


def test_the_equity_charts_subtitle_fits_its_width_and_its_side_title_its_height():
    names = ("Amélie-Josephine O'Brien-Castellanos", "Ahmed Abdelrahman Al-Rashid")
    spec = charts.equity_chart(
        balance_frame(), SEASONS.iloc[:0], EVENTS.iloc[:0], None, names, START, END, width=560
    ).to_dict()
    lines = spec["title"]["subtitle"]
    assert len(lines) > 1 and all(len(line) <= 560 / 6.8 for line in lines)
    assert "O'Brien-Castellanos has given more" in " ".join(lines)
    side = next(
        d["y"]["axis"] for d in walk(spec) if "axis" in d.get("y", {}) and d["y"].get("title")
    )
    assert side["titleLimit"] == spec["height"] + 70


def test_a_season_label_stays_inside_its_band():
    """Short seasons side by side wrote their labels over each other (a fixed 260 px limit)."""
    spec = charts.equity_spec(balance_frame(), SEASONS, EVENTS, None, NAMES, START, END)
    label = next(
        d["mark"]
        for d in walk(spec)
        if isinstance(d.get("mark"), dict)
        and d["mark"].get("type") == "text"
        and "limit" in d["mark"]
    )
    assert label["limit"] == {"expr": charts.SEASON_LABEL_ROOM}
    assert "datum.day_end" in charts.SEASON_LABEL_ROOM


def test_every_mark_says_its_own_tooltip_or_none(equity_spec, trends_spec):
    """Streamlit's theme gives a mark without a tooltip one of its own, with its raw fields: the
    equity chart's area showed the balance unrounded ("56.6145052229"). Each mark with data
    either lists its tooltip's lines (formatted) or has none."""
    checked = 0
    for _, spec in (equity_spec, trends_spec):
        for part in walk(spec):
            mark = part.get("mark")
            if mark is None:
                continue
            mark = mark if isinstance(mark, dict) else {"type": mark}
            has_lines = "tooltip" in part.get("encoding", {})
            assert has_lines or ("tooltip" in mark and mark["tooltip"] is None), mark
            checked += 1
    assert checked > 10


def test_a_ledger_events_diamond_is_drawn_at_its_own_sizes_area(equity_spec):
    """Small, medium and large at 70, 160 and 320 px², as the spec says: Vega-Lite's default
    scale for a discrete size (a point scale) drew them at 70, 115 and 160, large no larger
    than medium was meant to be."""
    import vl_convert

    _, spec = equity_spec
    vega = vl_convert.vegalite_to_vega(spec)
    sizes = [s for s in walk(vega) if isinstance(s, dict) and s.get("name", "").endswith("size")]
    sizes = [s for s in sizes if "range" in s and "domain" in s]
    assert sizes, "no size scale in the compiled chart"
    for scale in sizes:
        assert scale["type"] == "ordinal"
        assert scale["range"] == list(charts.EVENT_SIZES.values())
        assert scale["domain"] == list(charts.EVENT_SIZES)


def test_a_season_names_halo_is_wide_enough_to_close_the_gaps_between_its_words(equity_spec):
    """The balance line often runs along the top of the chart, where the season's name is: a
    3 px halo hid the letters' outlines but showed the line in every space."""
    _, spec = equity_spec
    halos = [
        d["mark"]
        for d in walk(spec)
        if isinstance(d.get("mark"), dict)
        and d["mark"].get("type") == "text"
        and d["mark"].get("stroke") == "white"
    ]
    assert halos and all(h["strokeWidth"] >= 6 and h["opacity"] == 1 for h in halos)


def test_on_a_phone_the_charts_fit_the_screen_one_panel_under_another(trends_spec):
    """At their page widths the equity and trend charts were a sideways scroll on a 390 px phone
    that hid the newest weeks, and the trends' right-hand panels (a walkthrough)."""
    from ui.charts import PHONE_WIDTH

    long, _ = trends_spec
    phone = charts.trends_spec(long, NAMES, START, END, 13.5, {}, "week", PHONE_WIDTH, 1)
    charts.as_altair(phone).to_dict()  # valid against Vega-Lite's schema
    assert [p["width"] for p in phone["vconcat"]] == [PHONE_WIDTH] * len(charts.TREND_PANELS)
    assert not [d for d in walk(phone) if "hconcat" in d]
    equity = charts.equity_spec(
        balance_frame(12), SEASONS, EVENTS, FAIRNESS, NAMES, START, END, PHONE_WIDTH
    )
    charts.as_altair(equity).to_dict()
    assert {p["width"] for p in equity["vconcat"]} == {PHONE_WIDTH}


def test_a_short_window_names_days_on_its_time_axis():
    """A new couple's eight weeks read "Oct 2026" four times along the axis (a walkthrough)."""
    from datetime import timedelta

    assert charts._x(END - timedelta(days=56), END)["axis"]["format"] == "%-d %b"
    assert charts._x(END - timedelta(days=183), END)["axis"]["format"] == "%b %Y"
