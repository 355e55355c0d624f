"""Retention: archived couples past the practice's period are listed for an admin and erased
for good only on the admin's typed confirmation (core/retention.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import audit, couples, retention
from core.clock import utcnow
from core.errors import NotFound, PermissionDenied, ValidationError
from tests.conftest import make_couple

LATER = utcnow() + timedelta(days=round(7.5 * 365.25))  # seven and a half years from now


@pytest.fixture
def practice(db, admin, counselor):
    """Three couples: one archived (past the period by LATER), one archived then restored,
    one active."""
    gone = make_couple(db, counselor, "Ana", "Bo")
    couples.set_archived(db, counselor, gone, True)
    back = make_couple(db, counselor, "Cy", "Di")
    couples.set_archived(db, counselor, back, True)
    couples.set_archived(db, counselor, back, False)
    active = make_couple(db, counselor, "Ed", "Flo")
    return gone, back, active


def test_only_couples_archived_longer_than_the_period_are_listed(db, admin, practice):
    gone, _, _ = practice
    assert retention.due(db, admin, 7) == []  # archived today
    (due,) = retention.due(db, admin, 7, now=LATER)
    assert (due.couple_id, due.label, due.archived_at.date()) == (gone, "Ana & Bo", utcnow().date())
    assert retention.due(db, admin, 8, now=LATER) == []  # a longer period: not yet


def test_a_counselor_may_neither_list_nor_erase(db, counselor, practice):
    gone, _, _ = practice
    with pytest.raises(PermissionDenied):
        retention.due(db, counselor, 7, now=LATER)
    with pytest.raises(PermissionDenied):
        retention.erase_due(db, counselor, 7, [gone], "ERASE 1", now=LATER)
    assert couples.get(db, counselor, gone)["label"] == "Ana & Bo"


def test_erasing_needs_the_typed_count_and_removes_every_row_of_the_couple(
    db, admin, counselor, practice
):
    gone, back, active = practice
    for typed in ("", "erase", "ERASE 2", "DELETE 1"):
        with pytest.raises(ValidationError) as caught:
            retention.erase_due(db, admin, 7, [gone], typed, now=LATER)
        assert "Type ERASE 1" in caught.value.fields["confirm"]
    assert retention.erase_due(db, admin, 7, [gone], " erase  1 ", now=LATER) == 1
    with pytest.raises(NotFound):
        couples.get(db, admin, gone)
    with db.cursor() as cur:  # as "Delete for good" does: sql/erase/, every table
        for table in ("partners", "links", "answers", "checkins", "couple_sessions"):
            sql = f"SELECT count(*) FROM {table} WHERE couple_id = ?"
            assert cur.execute(sql, [gone]).fetchone()[0] == 0, table
    # The others are untouched; the trail says what was erased and why, without names.
    assert {c for c in (back, active) if couples.get(db, admin, c)} == {back, active}
    (row,) = [
        r
        for r in audit.search(db, admin, since=utcnow() - timedelta(hours=1), until=LATER)
        if r["action"] == "delete"
    ]
    assert row["couple_ref"] == gone and "retention" in row["detail"]
    assert "Ana" not in str(row)


def test_a_couple_restored_after_the_list_was_drawn_is_kept(db, admin, counselor, practice):
    gone, _, _ = practice
    listed = [d.couple_id for d in retention.due(db, admin, 7, now=LATER)]
    couples.set_archived(db, counselor, gone, False)  # restored meanwhile
    assert retention.erase_due(db, admin, 7, listed, "ERASE 1", now=LATER) == 0
    assert couples.get(db, counselor, gone)["status"] == "active"


def test_a_couple_with_anything_recorded_after_the_cutoff_is_kept(db, admin, counselor, practice):
    """Archived eight years ago, but a session held since is a contact: the period counts from
    it, not from the archiving (a session added to an archived couple changes no couple row)."""
    from core import sessions

    gone, _, _ = practice
    long_ago = utcnow() - timedelta(days=8 * 366)
    with db.cursor() as cur:
        cur.execute(
            "UPDATE couples SET archived_at = ?, updated_at = ? WHERE id = ?",
            [long_ago, long_ago, gone],
        )
    assert [d.couple_id for d in retention.due(db, admin, 7)] == [gone]
    sessions.create(db, counselor, gone, {"held_on": utcnow().date(), "focus": "A follow-up."})
    assert retention.due(db, admin, 7) == []


@pytest.mark.parametrize(
    ("years", "words"), [(7, "7 years"), (1, "1 year"), (1.0, "1 year"), (2.5, "2.5 years")]
)
def test_a_period_of_one_year_is_said_in_the_singular(years, words):
    # A practice that keeps records for a year read "the retention period of 1 years".
    assert retention.period(years) == words
