"""Side-by-side comparison: gaps, bands, reconciled splits, and safety answers kept out."""

from __future__ import annotations

import pytest

from core.comparison import (
    BOTH_CONCERNED,
    BOTH_POSITIVE,
    DIFFERENT,
    SAME,
    SPLIT_VIEWS,
    UNSURE,
    compare,
    position,
)
from core.instruments import load


def row(comparison, item_id):
    """The comparison row for one item."""
    return next(r for r in comparison.rows if r.item_id == item_id)


def one(instrument_id, item_id, a, b, **kwargs):
    """Compare a single answer from each partner."""
    comparison = compare(load(instrument_id), {item_id: a}, {item_id: b}, **kwargs)
    return row(comparison, item_id)


# "My share" from each partner -> (A's share by A, A's share by B, gap 0..1, band)
SPLITS = [
    (70, 50, (70, 50), 0.20, DIFFERENT),  # A says 70% me; B says 50% me, so 50% A
    (70, 30, (70, 70), 0.0, SAME),  # both see A carrying 70%
    (50, 50, (50, 50), 0.0, SAME),
    (60, 45, (60, 55), 0.05, SAME),  # within one 5-point step
    (80, 40, (80, 60), 0.20, DIFFERENT),
    (0, 0, (0, 100), 1.0, DIFFERENT),  # each says the other does it all
    (100, 100, (100, 0), 1.0, DIFFERENT),  # each says they do it all
]


@pytest.mark.parametrize(("a", "b", "views", "gap", "band"), SPLITS)
def test_a_percentage_split_is_reconciled_to_one_persons_share_seen_from_both_sides(
    a, b, views, gap, band
):
    r = one("checkin", "household_share", a, b)
    assert r.views == views
    assert r.gap == pytest.approx(gap)
    assert r.band == band


def test_split_detail_says_whose_share_and_how_far_apart_in_points():
    r = one("checkin", "mental_load_share", 70, 50, names=("Sam", "Alex"))
    assert r.detail == "Sam's share: 70% by Sam's account, 50% by Alex's (20 points apart)."


def test_both_accounts_of_a_split_name_the_partners_in_the_same_order():
    """Each partner's own "Me 70% · My partner 30%" against "Me 10% · My partner 90%" put the
    two accounts in opposite orders: the counselor had to flip one to compare (walkthrough)."""
    r = one("intake", "household_share", 70, 90, names=("Maya", "Jonas"))
    assert (r.answer_a, r.answer_b) == ("Maya 70% · Jonas 30%", "Maya 10% · Jonas 90%")
    assert r.views == (70, 10) and r.band == DIFFERENT


def test_a_split_that_only_one_partner_gave_is_in_names_and_the_other_not_answered():
    r = one("intake", "care_share", None, 35, names=("Maya", "Jonas"))
    assert (r.answer_a, r.answer_b) == ("Not answered", "Maya 65% · Jonas 35%")
    assert r.gap is None and r.band is None


# Agreement scale 1-5, healthy = high: (A, B, gap, band)
AGREE = [
    (5, 4, 0.25, BOTH_POSITIVE),
    (4, 4, 0.0, BOTH_POSITIVE),
    (1, 2, 0.25, BOTH_CONCERNED),
    (5, 1, 1.0, SPLIT_VIEWS),
    (2, 4, 0.5, SPLIT_VIEWS),
    (3, 4, 0.25, UNSURE),
    (3, 3, 0.0, UNSURE),
]


@pytest.mark.parametrize(("a", "b", "gap", "band"), AGREE)
def test_scale_answers_get_a_gap_and_a_band_towards_the_healthy_end(a, b, gap, band):
    r = one("checkin", "ind_wins_shared", a, b)
    assert r.gap == pytest.approx(gap)
    assert r.band == band


# How-often scale 0-4 where healthy = low: (A, B, band)
OFTEN = [
    (0, 1, BOTH_POSITIVE),
    (4, 3, BOTH_CONCERNED),
    (0, 4, SPLIT_VIEWS),
    (2, 0, UNSURE),
]


@pytest.mark.parametrize(("a", "b", "band"), OFTEN)
def test_when_low_is_healthy_rarely_is_positive_and_often_is_concerned(a, b, band):
    assert one("intake", "pattern_decides_alone", a, b).band == band


# 0-10 sliders: (item, A, B, gap, band)
SLIDERS = [
    ("fairness_me", 8, 3, 0.5, SPLIT_VIEWS),
    ("fairness_me", 9, 7, 0.2, BOTH_POSITIVE),
    ("resentment", 1, 2, 0.1, BOTH_POSITIVE),  # low resentment is healthy
    ("resentment", 8, 9, 0.1, BOTH_CONCERNED),
    ("stress", 5, 5, 0.0, UNSURE),
]


@pytest.mark.parametrize(("item_id", "a", "b", "gap", "band"), SLIDERS)
def test_slider_gaps_are_normalised_to_their_range(item_id, a, b, gap, band):
    r = one("checkin", item_id, a, b)
    assert r.gap == pytest.approx(gap)
    assert r.band == band


def test_items_with_no_healthy_end_are_only_same_or_different():
    assert one("intake", "work_identity", 3, 3).band == SAME
    r = one("intake", "work_identity", 2, 9)
    assert (r.band, r.gap) == (DIFFERENT, pytest.approx(0.7))


def test_weekly_hours_gap_is_a_share_of_the_whole_week():
    r = one("checkin", "work_hours", 40, 50.5)
    assert r.gap == pytest.approx(10.5 / 168)
    assert r.band == DIFFERENT
    assert (r.answer_a, r.answer_b) == ("40 hours a week", "50.5 hours a week")


# Single choice, read from each side: (A, B, band, gap)
CHOICES = [
    ("mine", "my_partners", SAME, 0.0),  # both say A's career leads
    ("my_partners", "mine", SAME, 0.0),
    ("mine", "mine", DIFFERENT, 1.0),  # both claim the lead
    ("balanced", "balanced", SAME, 0.0),
    ("balanced", "neither", DIFFERENT, 1.0),
]


@pytest.mark.parametrize(("a", "b", "band", "gap"), CHOICES)
def test_single_choice_is_same_or_different_from_each_partners_side(a, b, band, gap):
    r = one("checkin", "career_lead", a, b)
    assert (r.band, r.gap) == (band, gap)


def test_a_mirrored_choice_says_it_is_the_same_answer_seen_from_each_side():
    r = one("checkin", "last_decision", "mostly_me", "mostly_partner")
    assert r.band == SAME
    assert r.detail == "The same answer, seen from each side."
    assert (r.answer_a, r.answer_b) == ("Mostly by me", "Mostly by my partner")


def test_multiple_choice_gap_is_the_share_of_choices_not_in_common():
    r = one("intake", "care_ahead", ["young_children", "older_relative"], ["older_relative"])
    assert r.gap == pytest.approx(0.5)
    assert r.band == DIFFERENT
    assert r.answer_a == "Young children; Caring for an older relative"


def test_yes_no_without_a_healthy_answer_is_same_or_different():
    assert one("intake", "demand_travel", True, True).band == SAME
    r = one("intake", "demand_travel", True, False)
    assert (r.band, r.gap, r.answer_a, r.answer_b) == (DIFFERENT, 1.0, "Yes", "No")


def test_text_answers_sit_side_by_side_without_a_gap():
    r = one("intake", "support_wished", "More evenings together", "Help with the move")
    assert (r.answer_a, r.answer_b) == ("More evenings together", "Help with the move")
    assert r.gap is None and r.band is None


def test_an_unanswered_item_shows_not_answered_and_has_no_gap():
    r = one("checkin", "fairness_me", 7, None)
    assert (r.answer_a, r.answer_b) == ("7 of 10", "Not answered")
    assert r.gap is None and r.band is None


@pytest.mark.parametrize("instrument_id", ["intake", "checkin"])
def test_safety_items_are_left_out_of_the_comparison_by_default(instrument_id):
    instrument = load(instrument_id)
    answers = {i.id: 0 for i in instrument.items if i.id == "safety_afraid"}
    comparison = compare(instrument, answers, {"safety_afraid": 4})
    assert all(not r.private for r in comparison.rows)
    assert "safety" not in {s.id for s in comparison.sections}
    assert "safety_afraid" not in {r.item_id for r in comparison.starters}
    private_ids = {i.id for i in instrument.items if i.is_private}
    assert private_ids and not private_ids & {r.item_id for r in comparison.rows}


def test_the_counselor_view_includes_safety_items_when_asked():
    comparison = compare(
        load("intake"),
        {"safety_afraid": 0, "safety_thinking_of_ending": False},
        {"safety_afraid": 3, "safety_thinking_of_ending": True},
        include_safety=True,
    )
    afraid = row(comparison, "safety_afraid")
    assert afraid.private and afraid.band == SPLIT_VIEWS
    assert (afraid.answer_a, afraid.answer_b) == ("Never", "Often")
    ending = row(comparison, "safety_thinking_of_ending")
    assert ending.band == SPLIT_VIEWS  # healthy = "no": one positive, one concerned
    assert comparison.starters[0].item_id in {"safety_afraid", "safety_thinking_of_ending"}


def test_conversation_starters_list_the_largest_gaps_first_and_skip_agreement():
    checkin = load("checkin")
    a = {"fairness_me": 9, "household_share": 70, "ind_wins_shared": 5, "career_lead": "mine"}
    b = {"fairness_me": 5, "household_share": 50, "ind_wins_shared": 5, "career_lead": "mine"}
    starters = compare(checkin, a, b).starters
    assert [(r.item_id, round(r.gap, 2)) for r in starters] == [
        ("career_lead", 1.0),
        ("fairness_me", 0.4),
        ("household_share", 0.2),
    ]


def test_equal_gaps_keep_form_order():
    checkin = load("checkin")
    a = {"stress": 2, "fairness_me": 2}
    b = {"stress": 4, "fairness_me": 4}
    assert [r.item_id for r in compare(checkin, a, b).starters] == ["fairness_me", "stress"]


def test_the_comparison_is_symmetric_in_its_gaps():
    checkin = load("checkin")
    a = {"household_share": 65, "fairness_me": 3, "career_lead": "mine", "ind_wins_shared": 2}
    b = {"household_share": 45, "fairness_me": 8, "career_lead": "my_partners"}
    ab = {r.item_id: r.gap for r in compare(checkin, a, b).rows}
    ba = {r.item_id: r.gap for r in compare(checkin, b, a).rows}
    assert ab == ba


def test_rows_follow_the_form_section_by_section():
    checkin = load("checkin")
    comparison = compare(checkin, {}, {})
    assert [s.id for s in comparison.sections] == ["relationship", "feelings", "week", "indicators"]
    assert [r.item_id for r in comparison.rows] == [i.id for i in checkin.items if not i.is_private]
    assert comparison.names == ("Partner A", "Partner B")


# Where an answer sits, 1 = healthy end: (instrument, item, value, position)
POSITIONS = [
    ("checkin", "ind_wins_shared", 5, 1.0),
    ("checkin", "ind_wins_shared", 1, 0.0),
    ("checkin", "resentment", 2, 0.8),
    ("intake", "safety_thinking_of_ending", False, 1.0),
    ("intake", "work_identity", 4, None),
]


@pytest.mark.parametrize(("instrument_id", "item_id", "value", "expected"), POSITIONS)
def test_position_runs_from_concerned_to_healthy(instrument_id, item_id, value, expected):
    got = position(load(instrument_id).item(item_id), value)
    assert got == (pytest.approx(expected) if expected is not None else None)
