"""The equity view and trend buckets are kept between writes (core.trends._kept_read): read
again after a write to the couple, not after one to another couple, and never handed to a
counselor the couple is not theirs."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from core import couples, seasons, trends
from core.errors import NotFound
from tests.conftest import make_counselor, make_couple, rows
from tests.sql.test_trend_baselines import add_checkins

TODAY = date(2025, 6, 1)


@pytest.fixture
def reads(monkeypatch):
    """How many times each kept read was really made."""
    made = {"equity": 0, "buckets": 0}
    equity_view, buckets = trends._equity_view, trends._buckets

    def counted_equity(*args):
        made["equity"] += 1
        return equity_view(*args)

    def counted_buckets(*args):
        made["buckets"] += 1
        return buckets(*args)

    monkeypatch.setattr(trends, "_equity_view", counted_equity)
    monkeypatch.setattr(trends, "_buckets", counted_buckets)
    return made


def partner_ids(db, cid):
    return [p["id"] for p in db.all("couples/partners", couple_id=cid)]


def look(db, actor, cid):
    win = trends.window(db, actor, cid, "all", today=TODAY)
    return trends.equity_view(db, actor, cid, win), trends.buckets(db, actor, cid, win)


def test_a_second_look_reads_nothing_again(db, counselor, couple_id, reads):
    seasons.create(db, counselor, couple_id, {"lead": partner_ids(db, couple_id)[0],
                                               "starts_on": date(2024, 1, 1)})  # fmt: skip
    first, _ = look(db, counselor, couple_id)
    second, _ = look(db, counselor, couple_id)
    assert reads == {"equity": 1, "buckets": 1}
    assert list(second.seasons["title"]) == list(first.seasons["title"]) == ["Rachel leads"]
    second.seasons.loc[0, "title"] = "changed by a caller"  # the caller's own copy
    assert list(look(db, counselor, couple_id)[0].seasons["title"]) == ["Rachel leads"]


def test_a_write_to_the_couple_reads_it_again_and_one_to_another_does_not(
    db, counselor, couple_id, reads
):
    other = make_couple(db, counselor, "Ana", "Bo")
    look(db, counselor, couple_id)
    seasons.create(db, counselor, other, {"lead": "balanced", "starts_on": date(2024, 1, 1)})
    look(db, counselor, couple_id)
    assert reads == {"equity": 1, "buckets": 1}
    seasons.create(db, counselor, couple_id, {"lead": partner_ids(db, couple_id)[1],
                                               "starts_on": date(2024, 2, 1)})  # fmt: skip
    view, _ = look(db, counselor, couple_id)
    assert reads == {"equity": 2, "buckets": 2}
    assert list(view.seasons["title"]) == ["Marcus leads"]
    # A partner renamed: the legends and the season's title follow.
    couple = couples.get(db, counselor, couple_id)
    p1, p2 = (
        {k: v for k, v in p.items() if k not in ("id", "position")} for p in couple["partners"]
    )
    couples.update(db, counselor, couple_id, p1, {**p2, "name": "Marc"}, couple["notes"])
    view, frame = look(db, counselor, couple_id)
    assert list(view.seasons["title"]) == ["Marc leads"] and view.names[1] == "Marc"


def test_another_counselor_is_refused_before_anything_kept_is_used(db, admin, counselor, couple_id):
    look(db, counselor, couple_id)
    stranger = make_counselor(db, admin, "stranger")
    win = trends.window(db, counselor, couple_id, "all", today=TODAY)
    with pytest.raises(NotFound):
        trends.equity_view(db, stranger, couple_id, win)
    with pytest.raises(NotFound):
        trends.buckets(db, stranger, couple_id, win)


def test_the_page_checks_the_couple_once_and_gives_what_the_separate_calls_give(
    db, counselor, couple_id, monkeypatch
):
    first, second = partner_ids(db, couple_id)
    add_checkins(db, couple_id, first, [9.0, 12.0, 17.0, 16.5, 17.5, 17.0, 16.0])
    add_checkins(db, couple_id, second, [14.0, 15.0, 13.0])
    seasons.create(db, counselor, couple_id, {"lead": first, "starts_on": date(2025, 1, 1)})
    checks = []
    owned = couples._owned
    monkeypatch.setattr(couples, "_owned", lambda *a: checks.append(a) or owned(*a))

    shown = trends.page(db, counselor, couple_id, "all", today=TODAY)
    assert len(checks) == 1

    win = trends.window(db, counselor, couple_id, "all", today=TODAY)
    rc = trends.reliable_change(db, counselor, couple_id)
    assert shown.window == win and shown.reliable_change == rc and rc[first] is not None
    view = trends.equity_view(db, counselor, couple_id, win)
    pd.testing.assert_frame_equal(shown.equity.balance, view.balance)
    pd.testing.assert_frame_equal(shown.equity.seasons, view.seasons)
    assert shown.equity.names == view.names
    expected = trends.flag_changes(
        trends.buckets(db, counselor, couple_id, win),
        rc,
        trends.csi_baselines(db, counselor, couple_id),
    )
    pd.testing.assert_frame_equal(shown.buckets, expected)
    assert trends.UP in set(shown.buckets["csi_change"])  # 9 then 16-17: a reliable rise


def test_the_page_refuses_another_counselor_and_records_the_refusal(
    db, admin, counselor, couple_id
):
    trends.page(db, counselor, couple_id, "all", today=TODAY)  # something kept to refuse
    stranger = make_counselor(db, admin, "stranger")
    with pytest.raises(NotFound):
        trends.page(db, stranger, couple_id, "all", today=TODAY)
    refused = rows(
        db,
        "SELECT object FROM audit_log WHERE action = 'refused' AND actor_label = 'stranger'",
    )
    assert refused == [("trends",)]


def test_reliable_change_and_baselines_are_read_again_after_a_write_to_the_couple(
    db, counselor, couple_id
):
    first, _ = partner_ids(db, couple_id)
    add_checkins(db, couple_id, first, [15.0, 15.0])  # too few steps for a threshold
    assert (
        trends.page(db, counselor, couple_id, "all", today=TODAY).reliable_change.get(first) is None
    )
    add_checkins(db, couple_id, first, [9.0, 17.0, 16.0, 17.0], first_week=2)
    # Raw inserts leave Database's count of writes as it is: still what was kept.
    assert (
        trends.page(db, counselor, couple_id, "all", today=TODAY).reliable_change.get(first) is None
    )
    # A real submit is a write to the couple; so is this one.
    seasons.create(db, counselor, couple_id, {"lead": "balanced", "starts_on": date(2025, 1, 1)})
    shown = trends.page(db, counselor, couple_id, "all", today=TODAY)
    assert shown.reliable_change[first] is not None
    assert trends.csi_baselines(db, counselor, couple_id) == {first: 15.0}


def test_the_balance_line_starts_with_the_couples_first_signal(db, counselor, couple_id):
    """Not at the window's start: a couple whose first season began a month ago drew two
    years of "even" before it, in the summary handed to the couple too (walkthrough)."""
    seasons.create(db, counselor, couple_id, {"lead": partner_ids(db, couple_id)[0],
                                               "starts_on": date(2025, 5, 1)})  # fmt: skip
    win = trends.window(db, counselor, couple_id, "2y", today=TODAY)
    # And the window starts near it, eight weeks at least: not two years of nothing before.
    assert win.start == TODAY - timedelta(days=trends.NEW_WINDOW_DAYS)
    assert win.history_from == date(2025, 5, 1)
    view = trends.equity_view(db, counselor, couple_id, win)
    assert view.balance["day"].min() >= pd.Timestamp(date(2025, 5, 1))
    assert view.balance["day"].max() == pd.Timestamp(TODAY)
    assert view.latest < 0  # Rachel leads, so Marcus is the one giving


def test_a_couple_with_a_long_history_keeps_the_range_asked_for(db, counselor, couple_id):
    seasons.create(db, counselor, couple_id, {"lead": partner_ids(db, couple_id)[0],
                                               "starts_on": date(2019, 5, 1)})  # fmt: skip
    win = trends.window(db, counselor, couple_id, "2y", today=TODAY)
    assert (win.start, win.history_from) == (TODAY - timedelta(days=731), None)
    first = trends.window(db, counselor, couple_id, "6m", today=TODAY)
    assert (first.start, first.history_from) == (TODAY - timedelta(days=183), None)


def test_a_new_couples_window_starts_a_week_before_its_first_check_in(db, counselor, couple_id):
    seasons.create(db, counselor, couple_id, {"lead": partner_ids(db, couple_id)[0],
                                               "starts_on": TODAY - timedelta(days=100)})  # fmt: skip
    win = trends.window(db, counselor, couple_id, "1y", today=TODAY)
    assert win.start == TODAY - timedelta(days=107)
    assert win.history_from == TODAY - timedelta(days=100)
