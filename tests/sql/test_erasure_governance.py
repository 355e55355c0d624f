"""Who may erase a couple for good, when a reason is needed, and a counselor's request to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import audit, couples, erasure, sessions
from core.clock import utcnow
from core.errors import NotFound, PermissionDenied, ValidationError
from tests.conftest import make_couple, rows

YEARS = 7
LATER = timedelta(days=round(8 * 365.25))  # past a 7-year period


def trail(db, cid) -> list[tuple]:
    """The trail's rows about one couple: who, action, object, detail."""
    return rows(
        db,
        "SELECT actor_label, action, object, detail FROM audit_log WHERE couple_ref = $c "
        "ORDER BY id",
        c=cid,
    )


def still_there(db, cid) -> bool:
    return rows(db, "SELECT count(*) FROM couples WHERE id = $c", c=cid) == [(1,)]


def test_a_counselor_cannot_erase_their_own_couple_and_the_refusal_is_recorded(db, counselor):
    cid = make_couple(db, counselor)
    with pytest.raises(PermissionDenied) as caught:
        erasure.delete_forever(
            db, counselor, cid, "Rachel & Marcus", retention_years=YEARS, reason="other"
        )
    assert "Archive the couple" in str(caught.value) and "admin" in str(caught.value)
    assert still_there(db, cid)
    assert ("alex", "refused", audit.ERASED, "not an admin") in trail(db, cid)


@pytest.mark.parametrize("years", [0, 0.5, -7, 101, float("nan"), "7", True])
def test_a_retention_period_no_practice_may_set_is_refused_before_anything_is_erased(
    db, admin, counselor, years
):
    # The page passes the practice's setting; a caller passing 0 made every couple "past" its
    # period and erasable without the reason one inside it needs (a privacy review).
    cid = make_couple(db, counselor)
    with pytest.raises(ValueError, match="retention period"):
        erasure.delete_forever(db, admin, cid, "Rachel & Marcus", retention_years=years)
    assert still_there(db, cid)


def test_inside_the_retention_period_an_admin_must_say_why(db, admin, counselor):
    cid = make_couple(db, counselor)
    for missing in ("", None, "because", ["the couple asked"]):
        with pytest.raises(ValidationError) as caught:
            erasure.delete_forever(
                db, admin, cid, "Rachel & Marcus", retention_years=YEARS, reason=missing
            )
        assert "reason" in caught.value.fields
    assert still_there(db, cid)

    erasure.delete_forever(
        db,
        admin,
        cid,
        "Rachel & Marcus",
        retention_years=YEARS,
        reason="the couple asked",
        note="letter of 3 March",
    )
    assert not still_there(db, cid)
    (erased,) = [r for r in trail(db, cid) if r[1] == "delete"]
    assert erased[:3] == ("ada", "delete", audit.ERASED)
    assert erased[3].startswith(f"inside the retention period ({YEARS} years, kept until ")
    assert erased[3].endswith("; the couple asked; note: letter of 3 March")
    assert "Rachel" not in erased[3] and "Marcus" not in erased[3]


def test_another_reason_needs_a_note_and_a_note_never_names_a_partner(db, admin, counselor):
    cid = make_couple(db, counselor, "Zoë", "Łukasz")

    def erase(note):
        erasure.delete_forever(
            db, admin, cid, "Zoë & Łukasz", retention_years=YEARS, reason="other", note=note
        )

    with pytest.raises(ValidationError) as caught:
        erase("")
    assert "other reason" in caught.value.fields["note"]
    for named in ("ZOË wrote to us", "request from łukasz.", "re: Zoë"):
        with pytest.raises(ValidationError) as caught:
            erase(named)
        assert "names out of the note" in caught.value.fields["note"]
    with pytest.raises(ValidationError):
        erase("x" * (erasure.NOTE_MAX_CHARS + 1))
    assert still_there(db, cid)
    erase("court order ref 12/2026, Zoëtrope ltd")  # a name inside another word is no name
    assert not still_there(db, cid)


def test_past_the_retention_period_no_reason_is_needed(db, admin, counselor):
    cid = make_couple(db, counselor)
    couples.set_archived(db, counselor, cid, True)
    later = utcnow() + LATER
    assert not erasure.standing(db, admin, cid, YEARS, now=later).inside
    erasure.delete_forever(db, admin, cid, "Rachel & Marcus", retention_years=YEARS, now=later)
    (erased,) = [r[3] for r in trail(db, cid) if r[1] == "delete"]
    assert erased == f"past the retention period ({YEARS} years)"


def test_the_period_runs_from_the_last_thing_recorded_for_the_couple(db, admin, counselor):
    cid = make_couple(db, counselor)
    first = erasure.standing(db, counselor, cid, YEARS)
    assert first.inside and first.request is None
    assert first.kept_until - first.last_recorded == timedelta(days=round(YEARS * 365.25))
    sessions.create(db, counselor, cid, {"held_on": utcnow().date(), "notes": "met"})
    again = erasure.standing(db, counselor, cid, YEARS)
    assert again.last_recorded > first.last_recorded
    # Eight years on it has passed; a period of ten has not.
    assert not erasure.standing(db, admin, cid, YEARS, now=utcnow() + LATER).inside
    assert erasure.standing(db, admin, cid, 10, now=utcnow() + LATER).inside


def test_a_solo_practitioner_who_is_the_admin_erases_their_own_couple(db, admin):
    cid = make_couple(db, admin, "Ana", "Al")  # the first account: an admin with a caseload
    erasure.delete_forever(
        db, admin, cid, "Ana & Al", retention_years=YEARS, reason="added by mistake"
    )
    assert not still_there(db, cid)


def test_a_counselor_asks_the_admin_who_sees_the_request_and_then_erases(db, admin, counselor):
    cid = make_couple(db, counselor)
    couples.set_archived(db, counselor, cid, True)
    erasure.request(db, counselor, cid, "the couple asked", "e-mail of 2 May")
    asked = erasure.standing(db, counselor, cid, YEARS).request
    assert asked["reason"] == "the couple asked" and asked["requested_by_name"] == "Alex"
    (listed,) = erasure.requests(db, admin)
    assert (listed["couple_id"], listed["label"], listed["counselor_name"]) == (
        cid,
        "Rachel & Marcus",
        "Alex",
    )
    assert listed["note"] == "e-mail of 2 May"
    with pytest.raises(PermissionDenied):
        erasure.requests(db, counselor)

    erasure.delete_forever(
        db, admin, cid, "Rachel & Marcus", retention_years=YEARS, reason=listed["reason"]
    )
    assert erasure.requests(db, admin) == []
    said = [(who, action, obj, detail) for who, action, obj, detail in trail(db, cid)]
    assert ("alex", "create", erasure.REQUEST, "the couple asked") in said


def test_a_request_is_withdrawn_by_its_counselor_or_declined_by_an_admin(db, admin, counselor):
    cid = make_couple(db, counselor)
    with pytest.raises(ValidationError) as caught:
        erasure.request(db, counselor, cid, "")
    assert "reason" in caught.value.fields
    with pytest.raises(ValidationError):
        erasure.request(db, counselor, cid, "the couple asked", "Rachel phoned")
    assert erasure.requests(db, admin) == []

    erasure.request(db, counselor, cid, "the couple asked")
    erasure.clear_request(db, counselor, cid)
    assert erasure.requests(db, admin) == []
    erasure.request(db, counselor, cid, "added by mistake")
    erasure.clear_request(db, admin, cid)
    erasure.clear_request(db, admin, cid)  # nothing left to decline: nothing recorded
    assert erasure.requests(db, admin) == []
    cleared = [r[3] for r in trail(db, cid) if r[2] == erasure.REQUEST and r[1] == "delete"]
    assert cleared == ["withdrawn", "declined by an admin"]
    assert still_there(db, cid)


def test_core_refuses_a_counselor_who_calls_the_erasure_itself(db, counselor):
    # A page calling couples.erase directly, as a counselor, erased the couple: the check was
    # only in its callers.
    cid = make_couple(db, counselor)
    with pytest.raises(PermissionDenied):
        db.write(lambda tx: couples.erase(tx, counselor, cid, "asked"))
    assert still_there(db, cid)
    assert [r for r in trail(db, cid) if r[1] == "delete"] == []


def test_reaching_for_another_counselors_couple_is_refused_and_recorded(
    db, admin, counselor, other_counselor
):
    cid = make_couple(db, counselor)
    for reach in (
        lambda: erasure.request(db, other_counselor, cid, "the couple asked"),
        lambda: erasure.clear_request(db, other_counselor, cid),
        lambda: erasure.delete_forever(
            db, other_counselor, cid, "Rachel & Marcus", retention_years=YEARS, reason="other"
        ),
    ):
        with pytest.raises(NotFound):
            reach()
    assert erasure.requests(db, admin) == []
    refused = [(r[0], r[2]) for r in trail(db, cid) if r[1] == "refused"]
    assert refused == [("blair", erasure.REQUEST), ("blair", audit.ERASED)]


@pytest.mark.parametrize(
    "note",
    ["Rachel wrote on 3 May", "Mr Green phoned", "e-mail from rachel.green@example.org"],
)
def test_a_note_naming_a_partner_by_first_name_or_surname_alone_is_refused(db, counselor, note):
    cid = make_couple(db, counselor, "Rachel Green", "Marcus Brown")
    with pytest.raises(ValidationError) as caught:
        erasure.request(db, counselor, cid, "the couple asked", note)
    assert "names out of the note" in caught.value.fields["note"]
    erasure.request(db, counselor, cid, "the couple asked", "letter of 3 May, ref. G-12")


@pytest.mark.parametrize("note", ["Zoe wrote to us", "request from Lukasz", "ZOE'S letter"])
def test_a_note_naming_a_partner_without_the_accents_is_refused(db, counselor, note):
    cid = make_couple(db, counselor, "Zoë", "Łukasz")
    with pytest.raises(ValidationError) as caught:
        erasure.request(db, counselor, cid, "the couple asked", note)
    assert "names out of the note" in caught.value.fields["note"]


def test_asking_twice_is_one_request_and_another_reason_replaces_it(db, admin, counselor):
    cid = make_couple(db, counselor)
    for _ in range(2):  # a second tap, or the form sent again from another tab
        erasure.request(db, counselor, cid, "the couple asked", "letter of 3 May")
    erasure.request(db, counselor, cid, "added by mistake")
    (waiting,) = erasure.requests(db, admin)
    assert (waiting["reason"], waiting["note"]) == ("added by mistake", "")
    said = [(r[1], r[3]) for r in trail(db, cid) if r[2] == erasure.REQUEST]
    assert said == [("create", "the couple asked"), ("update", "added by mistake")]
