"""The Check-ins page's two heavy reads (each partner's newest check-in and count, the newest
rows) are kept per couple between writes (core.checkins): read again after a write to the
couple (a check-in sent, a partner renamed), not after one to another couple or a partner's
draft answer, and never handed to a counselor the couple is not theirs."""

from __future__ import annotations

import pytest

from core import checkins, couples, links
from core.errors import NotFound
from tests.conftest import make_counselor, make_couple
from tests.sql.conftest import WEDNESDAY
from tests.sql.test_checkins import FORM, complete


@pytest.fixture
def reads(db, monkeypatch):
    """The kept queries really run, by name."""
    made = []
    frame, all_rows = type(db).frame, type(db).all

    def counted_frame(self, query, /, **params):
        made.append(query)
        return frame(self, query, **params)

    def counted_all(self, query, /, **params):
        made.append(query)
        return all_rows(self, query, **params)

    monkeypatch.setattr(type(db), "frame", counted_frame)
    monkeypatch.setattr(type(db), "all", counted_all)
    return lambda: sorted(q for q in made if q.startswith("checkins/"))


def look(db, actor, cid):
    _, _, statuses = checkins.overview(db, actor, cid, now=WEDNESDAY)
    return [(s.partner["name"], s.count) for s in statuses], checkins.recent(db, actor, cid)


def send(db, standing) -> None:
    opened = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    complete(db, opened.period_token, WEDNESDAY)
    assert links.submit(db, opened.period_token, now=WEDNESDAY)


READS = ["checkins/last_per_partner", "checkins/recent"]


def test_a_second_look_reads_nothing_again_and_each_caller_gets_its_own_rows(
    db, counselor, couple_id, standing, reads
):
    send(db, standing)
    first = look(db, counselor, couple_id)
    assert first[0] == [("Rachel", 1), ("Marcus", 0)] and len(first[1]) == 1
    first[1].loc[0, "partner_name"] = "changed by a caller"  # the caller's own copy
    second = look(db, counselor, couple_id)
    assert reads() == READS
    assert second[0] == first[0] and list(second[1]["partner_name"]) == ["Rachel"]


def test_a_check_in_sent_or_a_partner_renamed_is_read_again_another_couples_write_is_not(
    db, counselor, couple_id, standing, reads
):
    look(db, counselor, couple_id)
    other = make_couple(db, counselor, "Ana", "Bo")
    couples.update(db, counselor, other, {"name": "Anna"}, {"name": "Bo"}, "")
    # A partner's draft answer writes, but changes nothing these reads show.
    opened = checkins.open_standing(db, standing.token, now=WEDNESDAY)
    links.save_answer(db, opened.period_token, FORM.items[0].id, 1, now=WEDNESDAY)
    look(db, counselor, couple_id)
    assert reads() == READS
    send(db, standing)
    counts, recent = look(db, counselor, couple_id)
    assert reads() == sorted(READS * 2)
    assert counts == [("Rachel", 1), ("Marcus", 0)] and len(recent) == 1
    couple = couples.get(db, counselor, couple_id)
    p1, p2 = (
        {k: v for k, v in p.items() if k not in ("id", "position")} for p in couple["partners"]
    )
    couples.update(db, counselor, couple_id, {**p1, "name": "Rae"}, p2, couple["notes"])
    counts, recent = look(db, counselor, couple_id)
    assert counts[0] == ("Rae", 1) and list(recent["partner_name"]) == ["Rae"]


def test_what_is_kept_is_never_handed_to_another_counselor(
    db, admin, counselor, couple_id, standing
):
    send(db, standing)
    look(db, counselor, couple_id)  # kept now
    stranger = make_counselor(db, admin, "stranger")
    with pytest.raises(NotFound):
        checkins.recent(db, stranger, couple_id)
    with pytest.raises(NotFound):
        checkins.overview(db, stranger, couple_id, now=WEDNESDAY)
