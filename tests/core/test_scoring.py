"""Scoring: the CSI-4 exactly as published, reverse keys, means, and no guessing when unanswered."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.instruments import load, load_file
from core.scoring import item_points, score

CSI4_ITEMS = ("csi4_happiness", "csi4_warm", "csi4_rewarding", "csi4_satisfied")


def csi4_answers(*values: int) -> dict[str, int]:
    """The four CSI-4 answers in form order."""
    return dict(zip(CSI4_ITEMS, values, strict=True))


def by_label(instrument, labels: dict[str, str]) -> dict[str, int]:
    """Answers given as the printed labels, as a partner would pick them."""
    out = {}
    for item_id, label in labels.items():
        item = instrument.item(item_id)
        out[item_id] = next(o.value for o in item.options if o.label == label)
    return out


# Hand-worked CSI-4 totals: (answers in form order, total, below the 13.5 cut-off?)
CSI4_TOTALS = [
    ((0, 0, 0, 0), 0, True),  # the minimum
    ((6, 5, 5, 5), 21, False),  # the maximum: Perfect + three Completely
    ((3, 3, 3, 4), 13, True),  # the highest total below the cut-off
    ((3, 3, 4, 4), 14, False),  # the lowest total at or above it
    ((6, 0, 0, 0), 6, True),  # item 1 alone reaches 6, the others 5
    ((0, 5, 5, 3), 13, True),
]


@pytest.mark.parametrize(("values", "total", "below"), CSI4_TOTALS)
def test_csi4_total_is_the_plain_sum_flagged_below_13_5(values, total, below):
    result = score(load("csi4"), csi4_answers(*values)).get("csi4_total")
    assert result.value == total
    assert result.below_cutoff is below
    assert (result.min, result.max, result.cutoff) == (0, 21, 13.5)


def test_csi4_minimum_is_0_and_maximum_is_21():
    csi4 = load("csi4")
    assert score(csi4, csi4_answers(0, 0, 0, 0)).get("csi4_total").value == 0
    assert score(csi4, csi4_answers(6, 5, 5, 5)).get("csi4_total").value == 21


def test_csi4_total_below_cutoff_is_flagged():
    result = score(load("csi4"), csi4_answers(3, 3, 3, 4)).get("csi4_total")
    assert result.value == 13
    assert result.below_cutoff is True
    assert result.meaning.startswith("Below 13.5")


def test_csi4_total_at_14_is_not_below_cutoff():
    result = score(load("csi4"), csi4_answers(3, 3, 4, 4)).get("csi4_total")
    assert result.value == 14
    assert result.below_cutoff is False
    assert result.meaning.startswith("At or above 13.5")


# Hand-worked mixed examples, chosen by label as a partner would answer.
CSI4_BY_LABEL = [
    (
        {
            "csi4_happiness": "Very Happy",  # 4
            "csi4_warm": "Almost Completely TRUE",  # 4
            "csi4_rewarding": "Mostly",  # 3
            "csi4_satisfied": "Somewhat",  # 2
        },
        13,  # 4 + 4 + 3 + 2
        True,
    ),
    (
        {
            "csi4_happiness": "Extremely Happy",  # 5
            "csi4_warm": "Mostly TRUE",  # 3
            "csi4_rewarding": "Almost Completely",  # 4
            "csi4_satisfied": "Mostly",  # 3
        },
        15,  # 5 + 3 + 4 + 3
        False,
    ),
    (
        {
            "csi4_happiness": "A Little Unhappy",  # 2
            "csi4_warm": "A little TRUE",  # 1
            "csi4_rewarding": "Not at all",  # 0
            "csi4_satisfied": "A little",  # 1
        },
        4,  # 2 + 1 + 0 + 1
        True,
    ),
]


@pytest.mark.parametrize(("labels", "total", "below"), CSI4_BY_LABEL)
def test_csi4_mixed_answers_score_as_worked_by_hand(labels, total, below):
    csi4 = load("csi4")
    result = score(csi4, by_label(csi4, labels)).get("csi4_total")
    assert (result.value, result.below_cutoff) == (total, below)


def test_csi4_score_carries_its_citation():
    result = score(load("csi4"), csi4_answers(3, 3, 3, 3)).get("csi4_total")
    assert "Funk, J. L., & Rogge, R. D. (2007)" in result.citation


@pytest.mark.parametrize("unanswered", CSI4_ITEMS)
def test_a_score_is_none_when_any_of_its_items_is_unanswered(unanswered):
    answers = csi4_answers(6, 5, 5, 5)
    answers[unanswered] = None
    result = score(load("csi4"), answers).get("csi4_total")
    assert result.value is None
    assert result.below_cutoff is None
    assert result.missing == (unanswered,)
    assert result.meaning == "Not scored: 1 of 4 questions is unanswered."
    assert not result.complete


def test_no_answers_at_all_scores_nothing_and_says_how_many_are_missing():
    result = score(load("csi4"), {}).get("csi4_total")
    assert result.value is None
    assert result.missing == CSI4_ITEMS
    assert result.meaning == "Not scored: 4 of 4 questions are unanswered."


def test_the_checkin_scores_its_csi4_items_by_the_csi4_rules():
    answers = csi4_answers(4, 3, 3, 2)
    in_checkin = score(load("checkin"), answers).get("csi4_total")
    alone = score(load("csi4"), answers).get("csi4_total")
    assert in_checkin == alone
    assert (in_checkin.value, in_checkin.below_cutoff) == (12, True)


# Mean of the seven success indicators, 1-5: (answers, mean)
INDICATOR_MEANS = [
    ((5, 5, 5, 5, 5, 5, 5), 5.0),
    ((1, 1, 1, 1, 1, 1, 1), 1.0),
    ((1, 2, 3, 4, 5, 5, 5), 25 / 7),
    ((4, 4, 4, 4, 4, 4, 3), 27 / 7),
]


@pytest.mark.parametrize(("values", "mean"), INDICATOR_MEANS)
def test_checkin_success_indicators_are_the_mean_of_seven_answers(values, mean):
    checkin = load("checkin")
    ids = checkin.score("success_indicators").items
    result = score(checkin, dict(zip(ids, values, strict=True))).get("success_indicators")
    assert result.value == pytest.approx(mean)
    assert (result.min, result.max) == (1, 5)
    assert result.below_cutoff is None  # no published cut-off: none is invented
    assert "Not a validated measure" in result.meaning


def test_checkin_strain_is_the_mean_of_resentment_and_stress_and_lower_is_healthier():
    result = score(load("checkin"), {"resentment": 7, "stress": 4}).get("strain")
    assert result.value == pytest.approx(5.5)
    assert result.healthy == "low"


# Six warning patterns, each 0 (never) to 4 (almost always): (answers, sum)
RED_FLAG_SUMS = [((0, 0, 0, 0, 0, 0), 0), ((4, 4, 4, 4, 4, 4), 24), ((2, 0, 1, 0, 3, 1), 7)]


@pytest.mark.parametrize(("values", "total"), RED_FLAG_SUMS)
def test_intake_red_flag_patterns_add_up(values, total):
    intake = load("intake")
    ids = intake.score("red_flag_patterns").items
    result = score(intake, dict(zip(ids, values, strict=True))).get("red_flag_patterns")
    assert (result.value, result.min, result.max) == (total, 0, 24)


REVERSED = """
id = "reversed"
version = 1
title = "Reversed"
intro = "Saved as you go."
minutes = 1

[option_sets]
agree5 = [
  { value = 1, label = "1" }, { value = 2, label = "2" }, { value = 3, label = "3" },
  { value = 4, label = "4" }, { value = 5, label = "5" },
]

[[sections]]
id = "s"
title = "S"

  [[sections.items]]
  id = "plain"
  type = "scale"
  prompt = "We get on well."
  option_set = "agree5"

  [[sections.items]]
  id = "flipped"
  type = "scale"
  prompt = "We argue a lot."
  option_set = "agree5"
  reverse = true

  [[sections.items]]
  id = "ok"
  type = "yes_no"
  prompt = "Is it ok?"
  healthy = "yes"

[[scores]]
id = "sum"
label = "Sum"
items = ["plain", "flipped", "ok"]
meaning = "Higher is better."

[[scores]]
id = "mean"
label = "Mean"
items = ["plain", "flipped"]
method = "mean"
meaning = "Higher is better."
"""

# (plain, flipped, ok) -> (sum, mean); flipped counts 1 + 5 - value; yes counts 1.
REVERSE_TABLE = [
    ((5, 1, True), 11, 5.0),
    ((1, 5, False), 2, 1.0),
    ((4, 2, True), 9, 4.0),
    ((3, 3, False), 6, 3.0),
]


@pytest.mark.parametrize(("values", "total", "mean"), REVERSE_TABLE)
def test_reverse_keyed_items_count_min_plus_max_minus_the_answer(tmp_path, values, total, mean):
    path = tmp_path / "reversed.toml"
    path.write_text(REVERSED, encoding="utf-8")
    instrument = load_file(path)
    report = score(instrument, dict(zip(("plain", "flipped", "ok"), values, strict=True)))
    assert report.get("sum").value == total
    assert report.get("mean").value == pytest.approx(mean)
    assert (report.get("sum").min, report.get("sum").max) == (2, 11)
    assert report.get("sum").below_cutoff is None
    assert report.get("sum").meaning == "Higher is better."
    assert instrument.item("flipped").healthy == "low"  # a reversed item's healthy end is low


def test_item_points_reverses_only_reverse_keyed_items(tmp_path):
    path = tmp_path / "reversed.toml"
    path.write_text(REVERSED, encoding="utf-8")
    instrument = load_file(path)
    assert item_points(instrument.item("plain"), 2) == 2
    assert item_points(instrument.item("flipped"), 2) == 4
    assert item_points(instrument.item("ok"), True) == 1


def test_an_out_of_range_answer_is_refused_rather_than_scored():
    with pytest.raises(ValidationError) as caught:
        score(load("csi4"), csi4_answers(7, 5, 5, 5))
    assert set(caught.value.fields) == {"csi4_happiness"}


def test_the_report_names_the_instrument_and_version():
    report = score(load("csi4"), {})
    assert (report.instrument_id, report.instrument_version) == ("csi4", 1)
    with pytest.raises(KeyError):
        report.get("nope")
