"""One counselor can never reach another's couples, whatever id is sent."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core import accounts, couples, erasure
from core.accounts import Actor
from core.db import Database
from core.errors import NotFound, PermissionDenied, ValidationError
from tests.conftest import make_counselor, make_couple, make_first_admin, rows

# Ids a page could be tricked into sending. "REAL" stands for B's actual couple id. B owns
# couples 1-3 (made first), so True -> 1, 3.7 -> 3 or "1 OR 1=1" -> 1 would land on them.
HOSTILE_IDS = [
    "REAL",
    "REAL-as-text",
    999_999,
    -1,
    0,
    2**31,
    2**63,
    10**30,
    "1 OR 1=1",
    "1; DELETE FROM couples",
    " 1 ",
    "abc",
    "",
    None,
    3.7,
    1.0,
    True,
    False,
    float("nan"),
    [1],
    {"id": 1},
]

ACTIONS = {
    "get": lambda db, me, cid, b: couples.get(db, me, cid),
    "check_access": lambda db, me, cid, b: couples.check_access(db, me, cid),
    "update": lambda db, me, cid, b: couples.update(
        db, me, cid, {"name": "Mallory"}, {"name": "Eve"}, "mine now"
    ),
    "update_notes": lambda db, me, cid, b: couples.update_notes(db, me, cid, "mine now"),
    "archive": lambda db, me, cid, b: couples.set_archived(db, me, cid, True),
    "restore": lambda db, me, cid, b: couples.set_archived(db, me, cid, False),
    "delete_forever": lambda db, me, cid, b: erasure.delete_forever(
        db, me, cid, "Bea & Bo", retention_years=7, reason="the couple asked"
    ),
    "request_erasure": lambda db, me, cid, b: erasure.request(db, me, cid, "the couple asked"),
    "clear_erasure_request": lambda db, me, cid, b: erasure.clear_request(db, me, cid),
    "erasure_standing": lambda db, me, cid, b: erasure.standing(db, me, cid, 7),
    "reassign": lambda db, me, cid, b: couples.reassign(db, me, cid, me.counselor_id),
}


@dataclass(frozen=True)
class Practice:
    """Two counselors and an admin; B's couples were made first (ids 1-3)."""

    db: Database
    admin: Actor
    a: Actor
    b: Actor
    b_couples: list[int]
    a_couple: int


def build_practice(db: Database) -> Practice:
    """Admin, counselors A and B; B owns three couples (the second archived), A owns one."""
    admin = make_first_admin(db)
    a, b = make_counselor(db, admin, "alex"), make_counselor(db, admin, "blair")
    b_couples = [make_couple(db, b, "Bea", "Bo") for _ in range(3)]
    couples.set_archived(db, b, b_couples[1], True)
    return Practice(db, admin, a, b, b_couples, make_couple(db, a, "Alma", "Abe"))


@pytest.fixture(scope="module")
def shared(scratch):
    """One practice for the read-only and must-be-refused matrices (hundreds of cases)."""
    db = Database(scratch / "isolation.duckdb")
    yield build_practice(db)
    db.close()


@pytest.fixture
def practice(db):
    """A fresh practice for tests that change it."""
    return build_practice(db)


def snapshot(p: Practice):
    """Everything about B's couples as B sees it, and B's caseload."""
    return [couples.get(p.db, p.b, cid) for cid in p.b_couples], couples.caseload(
        p.db, p.b, status="all"
    )


def resolve(raw, p: Practice):
    """Turn the REAL placeholders into B's actual couple id."""
    if raw == "REAL":
        return p.b_couples[1]
    if raw == "REAL-as-text":
        return str(p.b_couples[1])
    return raw


@pytest.mark.parametrize("raw_id", HOSTILE_IDS, ids=repr)
@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_counselor_cannot_touch_another_counselors_couple_by_any_id(shared, action, raw_id):
    before = snapshot(shared)
    with pytest.raises((NotFound, PermissionDenied)) as caught:
        action(shared.db, shared.a, resolve(raw_id, shared), shared.b)
    if isinstance(caught.value, NotFound):
        assert str(caught.value) == str(NotFound("couple"))  # never says whose it is
    assert snapshot(shared) == before
    assert couples.get(shared.db, shared.a, shared.a_couple)["label"] == "Alma & Abe"


@pytest.mark.parametrize("action", ["get", "update_notes", "archive", "restore"])
def test_a_refused_reach_outside_the_audit_decorator_is_in_the_trail_too(practice, action):
    # SECURITY.md: every refused reach for a couple that is not the actor's is recorded. These
    # check the couple themselves, with no decorator to record the refusal (a privacy review).
    target = practice.b_couples[0]
    with pytest.raises(NotFound):
        ACTIONS[action](practice.db, practice.a, target, practice.b)
    assert rows(
        practice.db,
        "SELECT action, couple_ref FROM audit_log WHERE actor_label = 'alex' "
        "ORDER BY id DESC LIMIT 1",
    ) == [("refused", target)]


def test_not_found_reads_the_same_for_someone_elses_couple_and_a_missing_one(shared):
    messages = set()
    for cid in (shared.b_couples[0], 999_999):
        with pytest.raises(NotFound) as caught:
            couples.get(shared.db, shared.a, cid)
        messages.add(str(caught.value))
    assert len(messages) == 1


def test_a_counselor_may_not_reassign_even_their_own_couple(practice):
    p = practice
    with pytest.raises(PermissionDenied):
        couples.reassign(p.db, p.a, p.a_couple, p.b.counselor_id)
    assert couples.get(p.db, p.a, p.a_couple)["counselor_id"] == p.a.counselor_id


@pytest.mark.parametrize("whole_practice", [False, True])
@pytest.mark.parametrize("status", ["active", "archived", "all"])
@pytest.mark.parametrize("q", ["", "bea", "blair", "bo"])
@pytest.mark.parametrize("sort", list(couples.SORTS))
def test_a_caseload_never_lists_another_counselors_couples(shared, whole_practice, status, q, sort):
    rows = couples.caseload(
        shared.db, shared.a, q=q, status=status, sort=sort, whole_practice=whole_practice
    )
    assert {r["id"] for r in rows} <= {shared.a_couple}
    assert all(r["counselor_id"] == shared.a.counselor_id for r in rows)


def test_counts_never_include_another_counselors_couples(shared):
    assert couples.counts(shared.db, shared.a, whole_practice=True) == {"active": 1, "archived": 0}


def test_an_admin_sees_the_whole_practice_only_when_asking_for_it(shared):
    db, admin = shared.db, shared.admin
    assert couples.caseload(db, admin, status="all") == []
    assert couples.counts(db, admin) == {"active": 0, "archived": 0}
    everyone = couples.caseload(db, admin, status="all", whole_practice=True)
    assert sorted(r["id"] for r in everyone) == sorted([*shared.b_couples, shared.a_couple])
    assert couples.counts(db, admin, whole_practice=True) == {"active": 3, "archived": 1}
    assert couples.get(db, admin, shared.b_couples[0])["label"] == "Bea & Bo"


def test_an_admin_reassigns_a_couple_to_another_caseload(practice):
    p = practice
    couples.reassign(p.db, p.admin, p.a_couple, p.b.counselor_id)
    assert couples.caseload(p.db, p.a, status="all") == []
    assert p.a_couple in [r["id"] for r in couples.caseload(p.db, p.b)]
    with pytest.raises(NotFound):
        couples.get(p.db, p.a, p.a_couple)


def test_moving_a_couple_to_its_own_counselor_is_refused_and_not_recorded(practice):
    p = practice
    moves = "SELECT count(*) FROM audit_log WHERE action = 'reassign'"
    before = rows(p.db, moves)
    with pytest.raises(ValidationError) as caught:
        couples.reassign(p.db, p.admin, p.a_couple, p.a.counselor_id)
    assert "already on" in caught.value.fields["counselor"]
    assert rows(p.db, moves) == before


def test_an_admin_cannot_reassign_to_a_deactivated_or_missing_account(practice):
    p = practice
    accounts.set_active(p.db, p.admin, p.b.counselor_id, False)
    with pytest.raises(ValidationError):
        couples.reassign(p.db, p.admin, p.a_couple, p.b.counselor_id)
    with pytest.raises(NotFound):
        couples.reassign(p.db, p.admin, p.a_couple, 999_999)
    assert couples.get(p.db, p.a, p.a_couple)["counselor_id"] == p.a.counselor_id
