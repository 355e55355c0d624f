"""The equity balance: zero when there is nothing, mirrored exactly when partners swap,
each signal worked by hand, and bounded and fast over a long random history."""

from __future__ import annotations

import time
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import equity
from core.equity import DECAY, inputs, series

A, B = 11, 22  # partner ids in display order
MONDAY = date(2024, 1, 1)


def value_on(frame, day: date, column: str = "raw") -> float:
    """The series' value on one day (it must be one of the returned days)."""
    row = frame[frame["day"] == np.datetime64(day)]
    assert len(row) == 1, f"{day} is not in the series"
    return float(row[column].iloc[0])


def test_no_data_gives_zero_everywhere():
    frame = series(inputs([A, B]), date(2025, 6, 30), start=date(2025, 1, 1))
    assert len(frame) > 20
    assert (frame["raw"] == 0).all() and (frame["balance"] == 0).all()


def test_a_balanced_season_adds_nothing():
    data = inputs([A, B], seasons=[{"lead_partner_id": None, "starts_on": MONDAY, "ends_on": None}])
    assert (series(data, date(2025, 1, 1))["raw"] == 0).all()


def test_one_week_of_the_others_lead_season_is_one_weeks_worth_of_giving():
    # B's career leads Mon 1 – Sun 7 Jan: A steadies, A gives 1/7 a day, each day faded since.
    data = inputs(
        [A, B], seasons=[{"lead_partner_id": B, "starts_on": MONDAY, "ends_on": date(2024, 1, 7)}]
    )
    frame = series(data, date(2024, 1, 14))
    by_hand = sum((1 / 7) * DECAY**k for k in range(7))
    assert value_on(frame, date(2024, 1, 7)) == pytest.approx(by_hand, rel=1e-12)
    assert 0.99 < by_hand < 1.0  # a week's worth, barely faded
    assert value_on(frame, date(2024, 1, 14)) == pytest.approx(by_hand * DECAY**7, rel=1e-12)


def test_a_year_of_steadying_the_others_career_reads_minus_fifty_for_the_second_partner():
    data = inputs([A, B], seasons=[{"lead_partner_id": A, "starts_on": MONDAY, "ends_on": None}])
    frame = series(data, MONDAY + timedelta(days=364))
    assert value_on(frame, MONDAY + timedelta(days=364), "balance") == pytest.approx(-50, abs=0.01)


def test_a_large_sacrifice_counts_26_weeks_and_halves_in_a_year():
    data = inputs([A, B], events=[{"occurred_on": MONDAY, "giver_partner_id": B, "size": 3}])
    frame = series(data, date(2024, 12, 31))  # 365 days later (2024 is a leap year)
    assert value_on(frame, MONDAY + timedelta(days=6)) == pytest.approx(-26 * DECAY**6)
    assert value_on(frame, date(2024, 12, 31)) == pytest.approx(-13.0, rel=1e-12)


def test_each_ledger_size_has_its_weight():
    for size, weeks in ((1, 2.0), (2, 8.0), (3, 26.0)):
        data = inputs(
            [A, B], events=[{"occurred_on": date(2024, 1, 7), "giver_partner_id": A, "size": size}]
        )
        assert value_on(series(data, date(2024, 1, 7)), date(2024, 1, 7)) == weeks


def test_home_load_counts_each_partners_own_account_as_half():
    # A says "I carry 70%"; B says "I carry 40%". A's share is 60-70%: the signal is
    # (70-50)/50/2 + (50-40)/50/2 = 0.3 weeks' worth per week, i.e. 0.3/7 a day.
    loads = [
        {"partner_id": A, "day": MONDAY, "load_share": 70},
        {"partner_id": B, "day": MONDAY, "load_share": 40},
    ]
    frame = series(inputs([A, B], loads=loads), date(2024, 4, 7))
    per_day = 0.3 / 7
    assert value_on(frame, date(2024, 1, 7)) == pytest.approx(
        sum(per_day * DECAY**k for k in range(7)), rel=1e-12
    )
    # A report stands for at most 56 days (to 25 Feb): from then on the balance only fades.
    at_55 = sum(per_day * DECAY**k for k in range(56))
    assert value_on(frame, date(2024, 3, 3)) == pytest.approx(at_55 * DECAY**7, rel=1e-12)


def test_a_newer_load_report_replaces_the_older_one():
    loads = [
        {"partner_id": A, "day": MONDAY, "load_share": 100},
        {"partner_id": A, "day": MONDAY + timedelta(days=7), "load_share": 50},
    ]
    frame = series(inputs([A, B], loads=loads), date(2024, 1, 21))
    week_one = value_on(frame, date(2024, 1, 7))
    assert value_on(frame, date(2024, 1, 14)) == pytest.approx(week_one * DECAY**7)


def test_history_before_the_window_still_counts():
    data = inputs(
        [A, B], events=[{"occurred_on": date(2023, 6, 1), "giver_partner_id": A, "size": 2}]
    )
    frame = series(data, date(2024, 3, 31), start=date(2024, 1, 1))
    assert frame["day"].min() >= np.datetime64(date(2024, 1, 1))
    assert frame["raw"].iloc[0] == pytest.approx(
        8 * DECAY ** (date(2024, 1, 7) - date(2023, 6, 1)).days
    )


def test_series_rows_are_sundays_and_the_last_day():
    frame = series(inputs([A, B]), date(2024, 2, 14), start=MONDAY)  # a Wednesday
    days = frame["day"].dt.date.tolist()
    assert days[-1] == date(2024, 2, 14)
    assert all(d.weekday() == 6 for d in days[:-1])


# -- properties over random histories -----------------------------------------------------------
DAY0 = date(2000, 1, 3)
days = st.integers(min_value=0, max_value=20 * 365)
season = st.tuples(st.sampled_from([A, B, None]), days, st.integers(1, 4 * 365))
event = st.tuples(days, st.sampled_from([A, B]), st.sampled_from([1, 2, 3]))
load = st.tuples(st.sampled_from([A, B]), days, st.integers(0, 20).map(lambda x: x * 5))


def history(seasons, events, loads):
    """Inputs from generated tuples (seasons laid end to end so they never overlap)."""
    rows, cursor = [], 0
    for lead, gap, length in seasons:
        start = cursor + gap % 200
        rows.append(
            {
                "lead_partner_id": lead,
                "starts_on": DAY0 + timedelta(days=start),
                "ends_on": DAY0 + timedelta(days=start + length),
            }
        )
        cursor = start + length + 1
    return inputs(
        [A, B],
        rows,
        [
            {"occurred_on": DAY0 + timedelta(days=d), "giver_partner_id": g, "size": s}
            for d, g, s in events
        ],
        [{"partner_id": p, "day": DAY0 + timedelta(days=d), "load_share": v} for p, d, v in loads],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(season, max_size=8), st.lists(event, max_size=30), st.lists(load, max_size=60))
def test_swapping_the_partners_mirrors_the_balance_exactly(seasons, events, loads):
    data = history(seasons, events, loads)
    end = DAY0 + timedelta(days=21 * 365)
    one, other = series(data, end), series(data.swapped(), end)
    assert (one["day"] == other["day"]).all()
    assert (one["raw"].to_numpy() == -other["raw"].to_numpy()).all()
    assert (one["balance"].to_numpy() == -other["balance"].to_numpy()).all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(season, min_size=1, max_size=12),
    st.lists(event, max_size=400),
    st.lists(load, max_size=1200),
)
def test_twenty_years_of_random_history_stay_bounded_and_fast(seasons, events, loads):
    data = history(seasons, events, loads)
    began = time.perf_counter()
    frame = series(data, DAY0 + timedelta(days=22 * 365))
    assert time.perf_counter() - began < 2.0
    assert len(frame) > 52 * 21
    assert (frame["balance"].abs() <= 100).all()
    # Faded sums never exceed the biggest possible daily signal over (1 - DECAY).
    per_day = {}
    for e in data.events:
        per_day[e["occurred_on"]] = (
            per_day.get(e["occurred_on"], 0) + equity.LEDGER_WEEKS[e["size"]]
        )
    biggest = 1 / 7 + 2 / 14 + max(per_day.values(), default=0)
    assert (frame["raw"].abs() <= biggest / (1 - DECAY) + 1e-9).all()


def test_resample_keeps_the_last_week_of_each_month_for_long_ranges():
    data = inputs([A, B], seasons=[{"lead_partner_id": B, "starts_on": MONDAY, "ends_on": None}])
    weekly = series(data, date(2024, 12, 31))
    monthly = equity.resample(weekly, "month")
    assert len(monthly) == 12
    assert monthly["day"].iloc[-1] == weekly["day"].iloc[-1]
    assert equity.resample(weekly, "week") is weekly


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (2.0, "About even (+2)"),
        (-0.3, "About even (0)"),  # not "-0" (walkthrough)
        (34.4, "Ana has given more (+34 of 100)"),
        (-60, "Bo has given more (-60 of 100)"),
    ],
)
def test_the_balance_reads_in_words(value, words):
    assert equity.leaning(value, ("Ana", "Bo")) == words
