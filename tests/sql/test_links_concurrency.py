"""Many partners answering at once through one Database: every answer lands once, each link submits once."""

from __future__ import annotations

import json
from collections import Counter

from core import links
from tests.conftest import make_couple, rows, run_at_once

COUPLES = 25
ITEMS = ("csi4_happiness", "csi4_warm", "csi4_rewarding", "csi4_satisfied")


def answers_of(i: int) -> dict[str, int]:
    """The answers partner number i gives (different per partner, all valid CSI-4 values)."""
    return {item: (i + n) % 6 for n, item in enumerate(ITEMS)}


def issue_all(db, counselor) -> list[links.Issued]:
    """One CSI-4 link for each partner of COUPLES couples."""
    issued = []
    for c in range(COUPLES):
        cid = make_couple(db, counselor, f"A{c}", f"B{c}")
        for partner in db.all("couples/partners", couple_id=cid):
            issued.append(links.issue(db, counselor, cid, partner["id"], "csi4", 14))
    return issued


def test_fifty_partners_answering_and_submitting_at_once(db, counselor):
    issued = issue_all(db, counselor)
    results: dict[int, bool] = {}

    def work(i):
        token = issued[i].token
        links.open_link(db, token, f"client-{i}")
        links.save_answer(db, token, ITEMS[0], 5 - answers_of(i)[ITEMS[0]])  # a first thought
        for item, value in answers_of(i).items():
            links.save_answer(db, token, item, value)  # ... and the first one changed
        assert links.my_answers(db, token) == answers_of(i)
        results[i] = links.submit(db, token)

    errors = run_at_once(len(issued), work)
    assert errors == []
    assert len(issued) == 2 * COUPLES
    assert results == dict.fromkeys(range(len(issued)), True)

    stored = rows(db, "SELECT link_id, partner_id, item_id, value_json FROM answers")
    assert len(stored) == len(issued) * len(ITEMS)
    assert set(Counter((r[0], r[2]) for r in stored).values()) == {1}  # each exactly once
    link_rows = {
        r[0]: r[1:]
        for r in rows(db, "SELECT id, partner_id, submitted_at, opened_at, started_at FROM links")
    }
    for i, link in enumerate(issued):
        partner_id, submitted_at, opened_at, started_at = link_rows[link.link_id]
        assert None not in (submitted_at, opened_at, started_at)
        mine = {r[2]: json.loads(r[3]) for r in stored if r[0] == link.link_id}
        assert mine == answers_of(i)
        assert {r[1] for r in stored if r[0] == link.link_id} == {partner_id}


def test_ten_taps_on_send_at_once_submit_exactly_once(db, counselor, couple_id):
    partner = db.all("couples/partners", couple_id=couple_id)[0]
    issued = links.issue(db, counselor, couple_id, partner["id"], "csi4", 14)
    for item, value in answers_of(0).items():
        links.save_answer(db, issued.token, item, value)
    results: list[bool] = []

    errors = run_at_once(10, lambda i: results.append(links.submit(db, issued.token)))
    assert errors == []
    assert sorted(results) == [False] * 9 + [True]
    assert rows(db, "SELECT count(*) FROM links WHERE submitted_at IS NOT NULL") == [(1,)]
    assert rows(db, "SELECT count(*) FROM answers") == [(len(ITEMS),)]
