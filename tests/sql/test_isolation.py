"""One counselor can never reach another's couples, whatever id is sent."""

from __future__ import annotations

import pytest

from core import couples
from core.errors import NotFound, PermissionDenied
from tests.conftest import make_couple

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
    "delete_forever": lambda db, me, cid, b: couples.delete_forever(db, me, cid, "Bea & Bo"),
    "reassign": lambda db, me, cid, b: couples.reassign(db, me, cid, me.counselor_id),
}


@pytest.fixture
def b_couples(db, other_counselor):
    """Counselor B's couples (ids 1-3, the second archived so 'restore' has a target)."""
    ids = [make_couple(db, other_counselor, "Bea", "Bo") for _ in range(3)]
    couples.set_archived(db, other_counselor, ids[1], True)
    return ids


@pytest.fixture
def a_couple(db, counselor, b_couples):
    """Counselor A's own couple, made after B's."""
    return make_couple(db, counselor, "Alma", "Abe")


def snapshot(db, owner, ids):
    """Everything about B's couples as B sees it."""
    return [couples.get(db, owner, cid) for cid in ids]


def resolve(raw, b_couples):
    if raw == "REAL":
        return b_couples[1]
    if raw == "REAL-as-text":
        return str(b_couples[1])
    return raw


@pytest.mark.parametrize("raw_id", HOSTILE_IDS, ids=repr)
@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_counselor_cannot_touch_another_counselors_couple_by_any_id(
    db, counselor, other_counselor, b_couples, a_couple, action, raw_id
):
    before = snapshot(db, other_counselor, b_couples)
    with pytest.raises((NotFound, PermissionDenied)) as caught:
        action(db, counselor, resolve(raw_id, b_couples), other_counselor)
    if isinstance(caught.value, NotFound):
        assert str(caught.value) == str(NotFound("couple"))  # never says whose it is
    assert snapshot(db, other_counselor, b_couples) == before
    assert couples.get(db, counselor, a_couple)["label"] == "Alma & Abe"


def test_not_found_reads_the_same_for_someone_elses_couple_and_a_missing_one(
    db, counselor, b_couples
):
    messages = set()
    for cid in (b_couples[0], 999_999):
        with pytest.raises(NotFound) as caught:
            couples.get(db, counselor, cid)
        messages.add(str(caught.value))
    assert len(messages) == 1


def test_a_counselor_may_not_reassign_even_their_own_couple(db, counselor, other_counselor, a_couple):
    with pytest.raises(PermissionDenied):
        couples.reassign(db, counselor, a_couple, other_counselor.counselor_id)
    assert couples.get(db, counselor, a_couple)["counselor_id"] == counselor.counselor_id


@pytest.mark.parametrize("whole_practice", [False, True])
@pytest.mark.parametrize("status", ["active", "archived", "all"])
@pytest.mark.parametrize("q", ["", "bea", "blair", "bo"])
@pytest.mark.parametrize("sort", list(couples.SORTS))
def test_a_caseload_never_lists_another_counselors_couples(
    db, counselor, b_couples, a_couple, whole_practice, status, q, sort
):
    rows = couples.caseload(db, counselor, q=q, status=status, sort=sort, whole_practice=whole_practice)
    assert {r["id"] for r in rows} <= {a_couple}
    assert all(r["counselor_id"] == counselor.counselor_id for r in rows)


def test_counts_never_include_another_counselors_couples(db, counselor, b_couples, a_couple):
    assert couples.counts(db, counselor, whole_practice=True) == {"active": 1, "archived": 0}


def test_an_admin_sees_the_whole_practice_only_when_asking_for_it(
    db, admin, counselor, b_couples, a_couple
):
    assert couples.caseload(db, admin, status="all") == []
    assert couples.counts(db, admin) == {"active": 0, "archived": 0}
    everyone = couples.caseload(db, admin, status="all", whole_practice=True)
    assert sorted(r["id"] for r in everyone) == sorted([*b_couples, a_couple])
    assert couples.counts(db, admin, whole_practice=True) == {"active": 3, "archived": 1}
    assert couples.get(db, admin, b_couples[0])["label"] == "Bea & Bo"


def test_an_admin_reassigns_a_couple_to_another_caseload(
    db, admin, counselor, other_counselor, a_couple
):
    couples.reassign(db, admin, a_couple, other_counselor.counselor_id)
    assert couples.caseload(db, counselor, status="all") == []
    assert [r["id"] for r in couples.caseload(db, other_counselor)] == [a_couple]
    with pytest.raises(NotFound):
        couples.get(db, counselor, a_couple)


def test_an_admin_cannot_reassign_to_a_deactivated_or_missing_account(
    db, admin, counselor, other_counselor, a_couple
):
    from core import accounts
    from core.errors import ValidationError

    accounts.set_active(db, admin, other_counselor.counselor_id, False)
    with pytest.raises(ValidationError):
        couples.reassign(db, admin, a_couple, other_counselor.counselor_id)
    with pytest.raises(NotFound):
        couples.reassign(db, admin, a_couple, 999_999)
    assert couples.get(db, counselor, a_couple)["counselor_id"] == counselor.counselor_id
