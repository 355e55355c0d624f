"""The opportunity matrix and the money per option, checked against tables worked by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core import decisions, roadmap
from core.decisions import Matrix, money, partner_total, results

A, B = 101, 102  # partner ids
F_PAY, F_FAMILY, F_GROWTH = 1, 2, 3
STAY, MOVE = 11, 12


def matrix(weights, scores, factors=(F_PAY, F_FAMILY, F_GROWTH)) -> Matrix:
    return Matrix(
        decision_id=1,
        factors=tuple({"id": f, "label": f"factor {f}"} for f in factors),
        options=({"id": STAY, "label": "Stay"}, {"id": MOVE, "label": "Move"}),
        partners=({"id": A, "name": "Zoë"}, {"id": B, "name": "Łukasz"}),
        weights=weights,
        scores=scores,
    )


# Worked by hand:
#                 weights       Stay          Move
#   factor        A    B        A    B        A    B
#   pay           5    8        6    7        9    9
#   family        9    3        8    8        2    3
#   growth        7    6        4    5        8    9
#
#   A, Stay: 5*6 + 9*8 + 7*4 = 30 + 72 + 28 = 130; weights 21; 130/21 = 6.190…
#   A, Move: 5*9 + 9*2 + 7*8 = 45 + 18 + 56 = 119; 119/21 = 5.666…
#   B, Stay: 8*7 + 3*8 + 6*5 = 56 + 24 + 30 = 110; weights 17; 110/17 = 6.470…
#   B, Move: 8*9 + 3*3 + 6*9 = 72 + 9 + 54 = 135; 135/17 = 7.941…
#   Together, Stay: (6.190 + 6.470) / 2 = 6.330…; Move: (5.666 + 7.941) / 2 = 6.804…
WEIGHTS = {
    (F_PAY, A): 5, (F_FAMILY, A): 9, (F_GROWTH, A): 7,
    (F_PAY, B): 8, (F_FAMILY, B): 3, (F_GROWTH, B): 6,
}  # fmt: skip
SCORES = {
    (F_PAY, STAY, A): 6, (F_FAMILY, STAY, A): 8, (F_GROWTH, STAY, A): 4,
    (F_PAY, MOVE, A): 9, (F_FAMILY, MOVE, A): 2, (F_GROWTH, MOVE, A): 8,
    (F_PAY, STAY, B): 7, (F_FAMILY, STAY, B): 8, (F_GROWTH, STAY, B): 5,
    (F_PAY, MOVE, B): 9, (F_FAMILY, MOVE, B): 3, (F_GROWTH, MOVE, B): 9,
}  # fmt: skip


@pytest.mark.parametrize(
    ("option", "partner", "points", "weight_sum"),
    [(STAY, A, 130, 21), (MOVE, A, 119, 21), (STAY, B, 110, 17), (MOVE, B, 135, 17)],
)
def test_each_partners_points_match_the_hand_worked_table(option, partner, points, weight_sum):
    total = partner_total(matrix(WEIGHTS, SCORES), option, partner)
    assert (total.points, total.weight_sum, total.complete) == (points, weight_sum, True)
    assert total.mean == pytest.approx(points / weight_sum)


def test_together_is_the_mean_of_both_weighted_scores():
    by_option = {r.option_id: r for r in results(matrix(WEIGHTS, SCORES))}
    assert by_option[STAY].together == pytest.approx((130 / 21 + 110 / 17) / 2)
    assert by_option[MOVE].together == pytest.approx((119 / 21 + 135 / 17) / 2)
    assert by_option[MOVE].together > by_option[STAY].together
    assert all(r.complete for r in by_option.values())


def test_heavier_weights_do_not_give_a_partner_a_louder_voice():
    doubled = {k: v * 2 if k[1] == B else v for k, v in WEIGHTS.items()}
    before = {r.option_id: r.together for r in results(matrix(WEIGHTS, SCORES))}
    after = {r.option_id: r.together for r in results(matrix(doubled, SCORES))}
    assert after == pytest.approx(before)


def test_a_factor_a_partner_has_not_rated_is_left_out_and_marked_incomplete():
    weights = {k: v for k, v in WEIGHTS.items() if k != (F_GROWTH, A)}
    total = partner_total(matrix(weights, SCORES), STAY, A)
    # 5*6 + 9*8 = 102 over weights 14
    assert (total.points, total.weight_sum, total.complete) == (102, 14, False)
    assert total.mean == pytest.approx(102 / 14)


def test_nothing_rated_gives_no_score_and_no_together():
    (stay, _move) = results(matrix({}, {}))
    assert stay.by_partner[A].mean is None and stay.together is None and not stay.complete


def test_nothing_rated_gives_no_points_rather_than_zero_points():
    # The table showed "0" points beside an empty weighted score: both are "not rated yet".
    total = partner_total(matrix({}, {}), STAY, A)
    assert (total.points, total.weight_sum, total.mean) == (None, 0, None)


def test_scores_without_weights_count_for_nothing_until_a_weight_is_given():
    scores_only = partner_total(matrix({}, SCORES), STAY, B)
    assert (scores_only.points, scores_only.mean, scores_only.complete) == (None, None, False)
    one_weight = partner_total(matrix({(F_PAY, B): 8}, SCORES), STAY, B)
    assert (one_weight.points, one_weight.mean) == (56, 7.0)


def test_a_matrix_without_factors_is_not_complete():
    assert not partner_total(matrix({}, {}, factors=()), STAY, A).complete


@pytest.mark.parametrize("bad", [0, 11, 3.5, "x", True, -1])
def test_grades_outside_one_to_ten_are_refused(bad):
    with pytest.raises(decisions.ValidationError):
        decisions._grade(bad, "w_1")


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, None), ("", None), ("7", 7), (7.0, 7), (10, 10)]
)
def test_grades_accept_whole_numbers_and_blank(raw, expected):
    assert decisions._grade(raw, "w_1") == expected


# -- the chart is a pure builder ----------------------------------------------------------------
def test_matrix_chart_puts_options_on_x_and_partners_side_by_side():
    m = matrix(WEIGHTS, SCORES)
    frame = decisions.results_frame(m, results(m))
    assert len(frame) == 4 and set(frame["who"]) == {"Zoë", "Łukasz"}
    spec = decisions.matrix_chart(frame, ["Zoë", "Łukasz"], width=500).to_dict()
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    enc = bars["encoding"]
    assert enc["x"]["field"] == "option" and enc["xOffset"]["field"] == "who"
    assert enc["y"]["scale"]["domain"] == [0, 10]
    assert enc["color"]["scale"]["domain"] == ["Zoë", "Łukasz"]
    assert enc["color"]["scale"]["range"] == [
        "#0072B2",
        "#C27C00",
    ]  # Okabe-Ito blue, a darker orange


def test_partners_with_the_same_name_keep_two_colours():
    from core.palette import distinct_names, partner_colours

    names = distinct_names([{"name": "Alex"}, {"name": "Alex"}])
    assert names == ["Alex", "Alex (2)"] and len(set(partner_colours(names).values())) == 2


# -- money ------------------------------------------------------------------------------------
def test_monthly_net_is_both_incomes_less_costs_adjusted_for_cost_of_living():
    # 4,000 + 3,000 - 2,500 x 1.20 = 7,000 - 3,000 = 4,000; first year 12 x 4,000 - 6,000
    m = money(
        {"income_1": 4000, "income_2": 3000, "costs": 2500, "cost_of_living": 20, "one_off": 6000}
    )
    assert (m.income, m.costs, m.monthly_net, m.first_year, m.complete) == (
        7000, 3000, 4000, 42000, True
    )  # fmt: skip


def test_a_cheaper_place_lowers_costs():
    # 5,000 + 0 - 3,000 x 0.85 = 2,450
    m = money({"income_1": 5000, "income_2": 0, "costs": 3000, "cost_of_living": -15})
    assert m.monthly_net == pytest.approx(2450) and m.first_year == pytest.approx(29400)


def test_missing_amounts_count_as_zero_and_say_so():
    m = money({"income_1": 5000, "costs": 1000})
    assert (m.monthly_net, m.complete) == (4000, False)


def test_no_money_entered_gives_no_scenario():
    assert money({"label": "Stay"}) is None


# -- the roadmap frame and chart -------------------------------------------------------------
def test_roadmap_frame_marks_past_and_planned():
    today = date(2026, 6, 1)
    rows = [
        {"lane": "Zoë", "title": "A", "start": date(2020, 1, 1), "end": None, "category": "Career step", "from": "roadmap"},
        {"lane": "Zoë", "title": "B", "start": date(2020, 2, 1), "end": None, "category": "Career step", "from": "roadmap"},
        {"lane": "Zoë", "title": "C", "start": date(2030, 1, 1), "end": date(2031, 1, 1), "category": "Study or training", "from": "roadmap"},
    ]  # fmt: skip
    frame = roadmap.frame(rows, today)
    assert list(frame["when"]) == ["Past", "Past", "Planned"]
    # A review date that has come is no happening (walkthrough: drawn filled, "has happened").
    review = {**rows[0], "title": "Review: Turns", "from": "agreement_review", "lane": "Together"}
    later = {**review, "start": date(2027, 1, 1)}
    assert list(roadmap.frame([review, later], today)["when"]) == ["Date passed", "Planned"]
    # Where labels go is tests/core/test_roadmap_chart.py's matter.


def roadmap_data(event: dict) -> dict:
    """A roadmap's data as roadmap.timeline() gives it: one event and one season of Zoë's."""
    today = date(2026, 6, 1)
    return {
        "frame": roadmap.frame([{"from": "roadmap", **event}], today),
        "seasons": pd.DataFrame(
            [{"lead": "Zoë", "title": "Zoë's turn", "start": date(2025, 1, 1), "end": date(2026, 1, 1)}]
        ),
        "lanes": ["Zoë", "Łukasz", "Together"],
        "names": ["Zoë", "Łukasz"],
        "today": today,
    }  # fmt: skip


def test_roadmap_chart_has_lanes_for_both_partners_and_together_and_a_today_line():
    data = roadmap_data(
        {"lane": "Together", "title": "Visa ends", "start": date(2027, 1, 1), "end": None,
         "category": "Family transition"}
    )  # fmt: skip
    spec = roadmap.timeline_chart(data, width=600).to_dict()
    layers = spec["layer"]
    marks = [layer["mark"]["type"] for layer in layers]
    assert marks[0] == "rect"  # seasons behind everything
    assert "point" in marks and "text" in marks and marks.count("rule") >= 1
    # The lanes, top down: their names are a text layer's rows, each at its lane's middle.
    named = next(
        layer for layer in layers if layer["encoding"].get("text", {}).get("field") == "lane"
    )
    rows = spec["datasets"][named["data"]["name"]]
    assert [r["lane"] for r in sorted(rows, key=lambda r: r["y"])] == ["Zoë", "Łukasz", "Together"]


def test_charts_built_in_core_never_pass_rows_through_altairs_global_data_transformer():
    """st.altair_chart swaps Altair's process-wide data transformer for its own while it converts
    a page's chart. A chart built in core and converted in another thread meanwhile (a PDF's)
    must not hand its rows to it: they would join that page's datasets, sent to its browser."""
    import altair as alt

    from core.charts import as_altair

    handed = []

    def spy(data, **_):
        handed.append(data)
        return alt.to_values(data)

    alt.data_transformers.register("tandem-spy", spy)
    data = roadmap_data(
        {"lane": "Zoë", "title": "Course", "start": date(2025, 1, 1), "end": date(2027, 1, 1),
         "category": "Study or training"}
    )  # fmt: skip
    m = matrix(WEIGHTS, SCORES)
    charts = [
        roadmap.timeline_chart(data, width=600),
        decisions.matrix_chart(decisions.results_frame(m, results(m)), ["Zoë", "Łukasz"]),
        as_altair({"layer": [{"mark": "point", "data": {"values": [{"x": 1}]}}]}),
    ]
    with alt.data_transformers.enable("tandem-spy"):
        specs = [c.to_dict(validate=False) for c in charts]
    assert handed == []
    # The rows are in the specs themselves.
    assert any("Course" in str(rows) for rows in specs[0]["datasets"].values())
    assert any("Zoë" in str(rows) for rows in specs[1]["datasets"].values())
