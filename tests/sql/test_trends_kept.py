"""The equity view and trend buckets are kept between writes (core.trends._kept_read): read
again after a write to the couple, not after one to another couple, and never handed to a
counselor the couple is not theirs."""

from __future__ import annotations

from datetime import date

import pytest

from core import couples, seasons, trends
from core.errors import NotFound
from tests.conftest import make_counselor, make_couple

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
