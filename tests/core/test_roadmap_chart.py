"""The roadmap chart's layout: labels in a lane never overlap, stay inside the plot, and a date
far from today does not squeeze the others (core.roadmap)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from core import roadmap

TODAY = date(2026, 11, 22)
WIDTH = 640
# The demo's Together lane of Rachel & Marcus, as the reviewer's PDF drew it (labels on top of
# each other, "Hoping to start a family" past the plot's edge).
TOGETHER = [
    ("Marcus's mother moves nearby", date(2024, 11, 1)),
    ("Review: How we decide on urgent offers", date(2026, 11, 15)),
    ("Deadline: Rachel's offer in Seattle", date(2026, 12, 16)),
    ("Follow-up: Rachel's offer in Seattle", date(2027, 1, 1)),
    ("Season review: Rachel's turn: Seattle", date(2027, 1, 21)),
    ("Review: Vetoes are for core needs only", date(2027, 11, 22)),
    ("Hoping to start a family", date(2029, 5, 23)),
]
RACHEL = [
    ("Product manager, logistics firm", date(2017, 11, 1)),
    ("Product lead", date(2023, 11, 1)),
]


def data(events: list[tuple[str, str, date]], today: date = TODAY) -> dict:
    """A roadmap's data as roadmap.timeline() gives it, for (lane, title, date) events."""
    rows = [
        {"lane": lane, "title": title, "start": when, "end": None, "category": "Career step",
         "from": "roadmap"}
        for lane, title, when in events
    ]  # fmt: skip
    return {
        "frame": roadmap.frame(rows, today),
        "seasons": pd.DataFrame(columns=["lead", "title", "start", "end"]),
        "lanes": ["Rachel", "Marcus", "Together"],
        "names": ["Rachel", "Marcus"],
        "today": today,
    }


def demo() -> dict:
    return data([("Together", t, d) for t, d in TOGETHER] + [("Rachel", t, d) for t, d in RACHEL])


def extents(placed: pd.DataFrame, span, plot_px: float) -> list[tuple[str, int, float, float]]:
    """Each label's (lane, row, left, right) in plot pixels, dot included, as estimated."""
    lo, hi = span
    out = []
    for r in placed.itertuples():
        x = (r.start - lo).days / (hi - lo).days * plot_px
        width = roadmap.text_px(r.label) + roadmap.LABEL_DX if r.label else 0
        left, right = (x - width, x) if r.side == "left" else (x, x + width)
        out.append(
            (r.lane, r.row, min(left, x - roadmap.DOT_RADIUS), max(right, x + roadmap.DOT_RADIUS))
        )
    return out


def placed_for(d: dict, plot_px: float = WIDTH) -> tuple[pd.DataFrame, tuple]:
    span = roadmap.window(d)
    return roadmap.place_labels(
        d["frame"].drop(index=roadmap.outside(d).index), span, plot_px
    ), span


def assert_no_overlap_and_inside(placed, span, plot_px):
    boxes = extents(placed, span, plot_px)
    for i, (lane, row, a, b) in enumerate(boxes):
        assert a >= 0 and b <= plot_px, (placed.iloc[i].title, a, b)
        for lane2, row2, a2, b2 in boxes[i + 1 :]:
            if (lane, row) == (lane2, row2):
                assert b <= a2 or b2 <= a, (lane, row, (a, b), (a2, b2))


@pytest.mark.parametrize("plot_px", [400, 640, 900])
def test_no_two_labels_in_a_lane_row_overlap_and_all_stay_inside_the_plot(plot_px):
    placed, span = placed_for(demo(), plot_px)
    assert_no_overlap_and_inside(placed, span, plot_px)
    together = placed[placed["lane"] == "Together"]
    assert together["row"].nunique() > 1  # the close Together labels were spread over rows


def test_the_reviewers_overlapping_pair_is_on_different_rows():
    placed, _ = placed_for(demo())
    row = dict(zip(placed["title"], placed["row"], strict=True))
    assert row["Marcus's mother moves nearby"] != row["Season review: Rachel's turn: Seattle"]
    # A label near the right edge is drawn to the left of its dot, whole.
    last = placed[placed["title"] == "Hoping to start a family"].iloc[0]
    assert (last.side, last.label) == ("left", "Hoping to start a family")


def test_many_events_in_a_few_months_never_overlap():
    crowded = [("Together", f"Something planned for the family, number {i}", date(2027, 1, 1) + timedelta(days=9 * i)) for i in range(7)]  # fmt: skip
    placed, span = placed_for(data(crowded))
    assert_no_overlap_and_inside(placed, span, WIDTH)


def test_a_title_too_long_for_the_chart_is_shortened_with_an_ellipsis_and_kept_whole_in_the_data():
    title = "A very long title about a plan the family has for the years after the children leave"
    placed, _ = placed_for(data([("Together", title, date(2026, 1, 1))]))
    (label,) = placed["label"]
    assert label.endswith("…") and title.startswith(label[:-1])
    assert roadmap.text_px(label) <= roadmap.LABEL_MAX_PX
    spec = roadmap.timeline_chart(
        data([("Together", title, date(2026, 1, 1))]), width=WIDTH
    ).to_dict()
    rows = [r for values in spec["datasets"].values() for r in values if r.get("label") == label]
    assert rows and rows[0]["title"] == title  # the tooltip's "What" is the whole title


def test_a_date_in_1900_or_2150_does_not_set_the_time_axis_and_is_named_instead():
    d = data([
        ("Rachel", "Product lead", date(2023, 11, 1)),
        ("Together", "Grandfather's first job", date(1900, 1, 1)),
        ("Together", "Retirement far future", date(2150, 6, 1)),
        ("Marcus", "Eligible to transfer offices", date(2028, 11, 21)),
    ])  # fmt: skip
    lo, hi = roadmap.window(d)
    assert pd.Timestamp(2023, 1, 1) < lo < pd.Timestamp(2023, 11, 1)
    assert pd.Timestamp(2028, 11, 21) < hi < pd.Timestamp(2030, 1, 1)
    assert list(roadmap.outside(d)["title"]) == ["Grandfather's first job", "Retirement far future"]
    spec = roadmap.timeline_chart(d, width=WIDTH).to_dict()
    drawn = {r.get("title") for values in spec["datasets"].values() for r in values}
    assert "Product lead" in drawn and "Retirement far future" not in drawn
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Grandfather's first job (1 Jan 1900)" in subtitle
    assert "Retirement far future (1 Jun 2150)" in subtitle
    domains = [
        layer["encoding"]["x"]["scale"]["domain"]
        for layer in spec["layer"]
        if "scale" in layer.get("encoding", {}).get("x", {})
    ]
    assert domains and all(
        dom[0]["year"] == lo.year and dom[1]["year"] == hi.year for dom in domains
    )


def test_events_within_a_working_life_of_today_are_all_drawn():
    d = data([
        ("Rachel", "First job", TODAY - timedelta(days=39 * 365)),
        ("Marcus", "Retires", TODAY + timedelta(days=39 * 365)),
    ])  # fmt: skip
    assert roadmap.outside(d).empty
    assert not roadmap.timeline_chart(d, width=WIDTH).to_dict()["title"].get("subtitle")
    drawn = {r["title"] for r in placed_for(d)[0].to_dict("records")}
    assert drawn == {"First job", "Retires"}


def test_an_open_season_stops_at_the_windows_edge_not_at_an_outlier():
    d = data([("Together", "Retirement far future", date(2150, 6, 1))])
    d["seasons"] = pd.DataFrame(
        [{"lead": "Rachel", "title": "Rachel's turn", "start": date(2025, 1, 1), "end": date(2150, 6, 1)}]
    )  # fmt: skip
    lo, hi = roadmap.window(d)
    assert hi < pd.Timestamp(2030, 1, 1)
    spec = roadmap.timeline_chart(d, width=WIDTH).to_dict()
    season = next(
        r for values in spec["datasets"].values() for r in values if r.get("lead") == "Rachel"
    )
    assert season["end"] <= hi.isoformat()


def test_label_width_estimates_count_wide_letters_double():
    assert roadmap.text_px("王芳") > roadmap.text_px("ab")
    assert roadmap.shortened("Short", 200) == "Short"
    assert roadmap.shortened("A long title indeed", 10) == ""


def test_a_season_far_from_today_is_named_not_drawn():
    d = data([("Rachel", "Product lead", date(2023, 11, 1))])
    d["seasons"] = pd.DataFrame(
        [{"lead": "Rachel", "title": "Rachel leads", "start": date(2099, 6, 1), "end": date(2100, 6, 1)}]
    )  # fmt: skip
    assert roadmap.window(d)[1] < pd.Timestamp(2028, 1, 1)
    assert "Rachel leads (season from 1 Jun 2099)" in roadmap.outside_note(d)


def test_each_lane_is_as_tall_as_its_own_rows_of_labels():
    d = demo()
    placed, _ = placed_for(d)
    tops, middles, height = roadmap.lane_layout(d["lanes"], placed)
    bottoms = [*(tops[lane] for lane in d["lanes"][1:]), height]
    tall = {lane: b - tops[lane] for lane, b in zip(d["lanes"], bottoms, strict=True)}
    rows = placed.groupby("lane")["row"].max() + 1
    pad = roadmap.LANE_PAD_PX
    assert tall["Rachel"] == rows["Rachel"] * roadmap.ROW_PX + pad
    assert tall["Marcus"] == roadmap.ROW_PX + pad  # no events: one row
    assert tall["Together"] == rows["Together"] * roadmap.ROW_PX + pad > 2 * tall["Rachel"]
    assert all(tops[lane] < middles[lane] < tops[lane] + tall[lane] for lane in d["lanes"])


def test_the_page_chart_keeps_its_plot_height_and_names_lanes_as_data():
    d = demo()
    d["lanes"][0] = d["names"][0] = "Ra\"chel\\ ' }"  # a name is data, never an expression
    d["frame"]["lane"] = d["frame"]["lane"].replace("Rachel", d["lanes"][0])
    page = roadmap.timeline_chart(d).to_dict()
    printed = roadmap.timeline_chart(d, width=WIDTH).to_dict()
    # On the page only the width is fitted (Streamlit's "fit" squeezed the lanes to make room
    # for the title and legend); the PDF's chart keeps Vega-Lite's default.
    assert page["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert "autosize" not in printed
    assert (
        page["height"] == printed["height"] == roadmap.lane_layout(d["lanes"], placed_for(d)[0])[2]
    )
    assert d["lanes"][0] not in str([layer.get("transform") for layer in page["layer"]])
    lane_names = {row.get("lane") for rows in page["datasets"].values() for row in rows}
    assert set(d["lanes"]) <= lane_names


def test_every_mark_says_its_own_tooltip_or_none():
    """Streamlit's theme gives a mark without a tooltip one of its raw fields (a lane's name,
    today's date and time): each mark either lists its tooltip's lines or has none."""
    from tests.core.test_charts import walk

    d = data([("Rachel", "Product lead", date(2026, 1, 1)), ("Together", "Move", date(2027, 1, 1))])
    for part in walk(roadmap.timeline_chart(d, width=WIDTH).to_dict()):
        mark = part.get("mark")
        if isinstance(mark, dict | str):
            mark = mark if isinstance(mark, dict) else {"type": mark}
            has_lines = "tooltip" in part.get("encoding", {})
            assert has_lines or ("tooltip" in mark and mark["tooltip"] is None), mark
