"""A record id of another counselor's couple, sent with one's own couple, removes nothing and
the trail says "refused": it once read "delete 'ledger event' … event_id=1", an action that
never happened."""

from __future__ import annotations

from datetime import date

import pytest

from core import decisions, ledger, links, roadmap, seasons
from core.errors import NotFound
from tests.conftest import make_couple, rows

TABLES = {
    "season": "seasons",
    "ledger event": "ledger_events",
    "roadmap event": "roadmap_events",
    "decision option": "decision_options",
    "decision factor": "decision_factors",
    "link": "links",
}


@pytest.fixture
def theirs(db, other_counselor):
    """One record of each kind in counselor B's couple: {kind: (id, decision id or None)}."""
    cid = make_couple(db, other_counselor, "Hana", "Yusuf")
    p1, p2 = (p["id"] for p in db.all("couples/partners", couple_id=cid))
    did = decisions.create(db, other_counselor, cid, "Offer in Porto")
    return {
        "season": (
            seasons.create(
                db, other_counselor, cid, {"lead": p1, "starts_on": date(2024, 1, 1), "title": "S"}
            ),
            None,
        ),
        "ledger event": (
            ledger.create(
                db,
                other_counselor,
                cid,
                {"giver": p2, "occurred_on": date(2024, 2, 1), "kind": "declined_offer", "size": 3},
            ),
            None,
        ),
        "roadmap event": (
            roadmap.add(db, other_counselor, cid, {"title": "Move", "starts_on": "2027-01-01"}),
            None,
        ),
        "decision option": (decisions.add_option(db, other_counselor, cid, did, "Go"), did),
        "decision factor": (decisions.add_factor(db, other_counselor, cid, did, "Pay"), did),
        "link": (links.issue(db, other_counselor, cid, p1, "csi4").link_id, None),
    }


def remove(db, me, my_couple, my_decision, kind, record):
    if kind == "season":
        seasons.delete(db, me, my_couple, record)
    elif kind == "ledger event":
        ledger.delete(db, me, my_couple, record)
    elif kind == "roadmap event":
        roadmap.remove(db, me, my_couple, record)
    elif kind == "decision option":
        decisions.remove_option(db, me, my_couple, my_decision, record)
    elif kind == "decision factor":
        decisions.remove_factor(db, me, my_couple, my_decision, record)
    else:
        links.revoke(db, me, my_couple, record)


@pytest.mark.parametrize("kind", list(TABLES))
def test_another_couples_record_id_removes_nothing_and_is_refused_in_the_trail(
    db, counselor, couple_id, theirs, kind
):
    mine = decisions.create(db, counselor, couple_id, "Stay or go")
    record, _ = theirs[kind]
    table = TABLES[kind]
    before = rows(db, f"SELECT * FROM {table} WHERE id = $id", id=record)
    with pytest.raises(NotFound):
        remove(db, counselor, couple_id, mine, kind, record)
    assert rows(db, f"SELECT * FROM {table} WHERE id = $id", id=record) == before
    (last,) = rows(
        db,
        "SELECT actor_label, action FROM audit_log WHERE actor_label = 'alex' "
        "ORDER BY id DESC LIMIT 1",
    )
    assert last == ("alex", "refused")


@pytest.mark.parametrize("kind", list(TABLES))
def test_ones_own_record_is_still_removed(db, counselor, couple_id, kind):
    partner = db.all("couples/partners", couple_id=couple_id)[0]["id"]
    did = decisions.create(db, counselor, couple_id, "Stay or go")
    record = {
        "season": lambda: seasons.create(
            db, counselor, couple_id, {"lead": partner, "starts_on": date(2024, 1, 1)}
        ),
        "ledger event": lambda: ledger.create(
            db,
            counselor,
            couple_id,
            {
                "giver": partner,
                "occurred_on": date(2024, 2, 1),
                "kind": "declined_offer",
                "size": 3,
            },
        ),
        "roadmap event": lambda: roadmap.add(
            db, counselor, couple_id, {"title": "Move", "starts_on": "2027-01-01"}
        ),
        "decision option": lambda: decisions.add_option(db, counselor, couple_id, did, "Go"),
        "decision factor": lambda: decisions.add_factor(db, counselor, couple_id, did, "Pay"),
        "link": lambda: links.issue(db, counselor, couple_id, partner, "csi4").link_id,
    }[kind]()
    remove(db, counselor, couple_id, did, kind, record)
    if kind == "link":  # a link is stopped, not deleted
        ((revoked_at,),) = rows(db, "SELECT revoked_at FROM links WHERE id = $id", id=record)
        assert revoked_at is not None
    else:
        assert rows(db, f"SELECT id FROM {TABLES[kind]} WHERE id = $id", id=record) == []
