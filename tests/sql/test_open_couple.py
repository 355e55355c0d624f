"""The couple a sign-in has open, kept on the server (never in a URL) so that a reload opens it.

core.couples.remember_open notes it after checking the owner; core.couples.last_opened gives it
back only to the same live sign-in, and only while its account may still open the couple.
"""

from __future__ import annotations

import pytest

from core import accounts, couples
from core.errors import NotFound
from tests.conftest import erase_for_good, make_couple, rows


def signed_in(db, actor):
    """The actor with a sign-in session of its own (what the sign-in form or cookie makes)."""
    return accounts.start_session(db, actor, accounts.session_expiry(1))


def noted(db) -> list[tuple]:
    return rows(db, "SELECT id, open_couple_id FROM auth_sessions ORDER BY id")


def test_a_sign_in_gets_back_the_couple_it_had_open(db, counselor, couple_id):
    me = signed_in(db, counselor)
    assert couples.last_opened(db, me) is None
    couples.remember_open(db, me, couple_id)
    assert couples.last_opened(db, me) == couple_id
    second = make_couple(db, counselor, "Zoë", "Łukasz")
    couples.remember_open(db, me, str(second))  # an id as a widget might hold it
    assert couples.last_opened(db, me) == second


def test_another_sign_in_of_the_same_account_has_its_own(db, counselor, couple_id):
    laptop, phone = signed_in(db, counselor), signed_in(db, counselor)
    couples.remember_open(db, laptop, couple_id)
    assert couples.last_opened(db, phone) is None
    assert couples.last_opened(db, laptop) == couple_id


def test_another_counselors_couple_is_refused_and_nothing_is_noted(
    db, counselor, other_counselor, couple_id
):
    them = signed_in(db, other_counselor)
    before = noted(db)
    for bad in (couple_id, "abc", None, -1, 10**40, [couple_id]):
        with pytest.raises(NotFound):
            couples.remember_open(db, them, bad)
    assert noted(db) == before
    assert couples.last_opened(db, them) is None


def test_a_session_id_of_someone_else_reads_and_writes_nothing(
    db, counselor, other_counselor, couple_id
):
    mine = signed_in(db, counselor)
    couples.remember_open(db, mine, couple_id)
    # A forged actor: the other counselor's account with my sign-in's id.
    forged = accounts.Actor(
        **{**signed_in(db, other_counselor).__dict__, "session_id": mine.session_id}
    )
    assert couples.last_opened(db, forged) is None
    their_couple = make_couple(db, other_counselor, "Hana", "Yusuf")
    couples.remember_open(db, forged, their_couple)
    assert couples.last_opened(db, mine) == couple_id  # my sign-in still holds mine


def test_a_couple_moved_to_another_counselor_is_not_given_back(
    db, admin, counselor, other_counselor, couple_id
):
    me, boss = signed_in(db, counselor), signed_in(db, admin)
    couples.remember_open(db, me, couple_id)
    couples.remember_open(db, boss, couple_id)
    couples.reassign(db, admin, couple_id, other_counselor.counselor_id)
    assert couples.last_opened(db, me) is None
    assert couples.last_opened(db, boss) == couple_id  # an admin may open every couple


def test_a_signed_out_sign_in_gives_nothing_back(db, counselor, couple_id):
    me = signed_in(db, counselor)
    couples.remember_open(db, me, couple_id)
    accounts.end_session(db, me)
    assert couples.last_opened(db, me) is None


def test_erasing_the_couple_forgets_it_everywhere(db, admin, counselor, couple_id):
    me, other_device = signed_in(db, counselor), signed_in(db, counselor)
    kept = make_couple(db, counselor, "Zoë", "Łukasz")
    couples.remember_open(db, me, couple_id)
    couples.remember_open(db, other_device, kept)
    erase_for_good(db, admin, couple_id, "Rachel & Marcus")
    assert couples.last_opened(db, me) is None
    assert rows(
        db, "SELECT count(*) FROM auth_sessions WHERE open_couple_id = $c", c=couple_id
    ) == [(0,)]
    assert couples.last_opened(db, other_device) == kept


def test_an_actor_without_a_sign_in_notes_nothing(db, counselor, couple_id):
    before = noted(db)
    couples.remember_open(db, counselor, couple_id)  # authenticate() alone: no session yet
    assert counselor.session_id is None
    assert couples.last_opened(db, counselor) is None
    assert noted(db) == before


def test_noting_the_open_couple_leaves_kept_reads_fresh(db, counselor, couple_id):
    me = signed_in(db, counselor)
    version = db.changes
    couples.remember_open(db, me, couple_id)
    assert db.changes == version  # the caseload's kept alerts stay valid
