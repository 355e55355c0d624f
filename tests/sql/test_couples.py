"""Couples: create, read, change, archive and restore; the caseload's search, filter and sort."""

from __future__ import annotations

import pytest

from core import audit, couples, links
from core.db import Database
from core.errors import ValidationError
from core.validation import NOTES_MAX_CHARS
from tests.conftest import (
    count,
    erase_for_good,
    make_counselor,
    make_couple,
    make_first_admin,
    rows,
)

RACHEL = {
    "name": "  Rachel ",
    "pronouns": "she/her",
    "occupation": "Product lead",
    "industry": "Technology",
    "career_stage": "Mid career",
    "weekly_hours": "50",
    "country": "United States",
    "city": "Chicago",
    "languages": "English",
    "email": "rachel@example.org",
    "phone": "+1 312 555 0100",
}
MARCUS = {"name": "Marcus", "occupation": "Law firm partner", "industry": "Law"}


def labels(rows) -> list[str]:
    """The on-screen names of caseload rows, in order."""
    return [r["label"] for r in rows]


def stored_counts(db) -> tuple[int, int]:
    """(couples, partners) rows stored."""
    return count(db, "couples"), count(db, "partners")


# -- create, read, change ------------------------------------------------------------------
def test_a_new_couple_belongs_to_its_counselor_with_both_partners(db, counselor):
    cid = couples.create(db, counselor, RACHEL, MARCUS, "First session booked.")
    couple = couples.get(db, counselor, cid)
    assert couple["counselor_id"] == counselor.counselor_id
    assert (couple["status"], couple["notes"], couple["label"]) == (
        "active",
        "First session booked.",
        "Rachel & Marcus",
    )
    first, second = couple["partners"]
    assert (first["position"], second["position"]) == (1, 2)
    assert first["name"] == "Rachel" and first["weekly_hours"] == 50  # trimmed, converted
    assert first["email"] == "rachel@example.org" and first["city"] == "Chicago"
    assert (second["name"], second["industry"], second["weekly_hours"]) == ("Marcus", "Law", None)


def test_names_are_stored_composed_so_they_compare_equal(db, counselor):
    cid = couples.create(db, counselor, {"name": "Zoe\u0308"}, {"name": "Łukasz"})
    assert couples.get(db, counselor, cid)["label"] == "Zoë & Łukasz"


def test_update_replaces_both_partners_and_the_notes(db, counselor, couple_id):
    before = couples.get(db, counselor, couple_id)
    couples.update(
        db, counselor, couple_id, {"name": "Rachel", "city": "Seattle"}, {"name": "王芳"}, "Moved."
    )
    after = couples.get(db, counselor, couple_id)
    assert after["label"] == "Rachel & 王芳" and after["notes"] == "Moved."
    assert after["partners"][0]["city"] == "Seattle"
    assert after["updated_at"] > before["updated_at"]
    assert stored_counts(db) == (1, 2)


def test_update_notes_changes_only_the_notes(db, counselor, couple_id):
    couples.update_notes(db, counselor, couple_id, "  Line one\r\nLine two  ")
    couple = couples.get(db, counselor, couple_id)
    assert couple["notes"] == "Line one\nLine two" and couple["label"] == "Rachel & Marcus"


def test_archive_hides_a_couple_from_the_active_caseload_and_restore_brings_it_back(
    db, counselor, couple_id
):
    couples.set_archived(db, counselor, couple_id, True)
    archived = couples.get(db, counselor, couple_id)
    assert archived["status"] == "archived" and archived["archived_at"] is not None
    assert couples.caseload(db, counselor) == []
    assert labels(couples.caseload(db, counselor, status="archived")) == ["Rachel & Marcus"]
    assert couples.counts(db, counselor) == {"active": 0, "archived": 1}

    couples.set_archived(db, counselor, couple_id, False)
    restored = couples.get(db, counselor, couple_id)
    assert restored["status"] == "active" and restored["archived_at"] is None
    assert labels(couples.caseload(db, counselor)) == ["Rachel & Marcus"]
    assert restored["notes"] == archived["notes"] and restored["partners"] == archived["partners"]


# -- validation ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("partner_1", "partner_2", "notes", "fields"),
    [
        ({"name": ""}, {"name": "Marcus"}, "", {"p1.name"}),
        ({"name": "Rachel"}, {"name": " \t "}, "", {"p2.name"}),
        ({"name": "R" * 101}, {"name": "Marcus"}, "", {"p1.name"}),
        ({"name": "Rachel", "weekly_hours": 169}, {"name": "Marcus"}, "", {"p1.weekly_hours"}),
        ({"name": "Rachel", "weekly_hours": "lots"}, {"name": "Marcus"}, "", {"p1.weekly_hours"}),
        ({"name": "Rachel"}, {"name": "Marcus", "email": "marcus@"}, "", {"p2.email"}),
        ({"name": "Rachel"}, {"name": "Marcus", "phone": "call"}, "", {"p2.phone"}),
        ({"name": "Rachel", "industry": "Astrology"}, {"name": "Marcus"}, "", {"p1.industry"}),
        ({"name": "Rachel"}, {"name": "Marcus", "career_stage": "Peak"}, "", {"p2.career_stage"}),
        ({"name": "Rachel"}, {"name": "Marcus"}, "x" * (NOTES_MAX_CHARS + 1), {"notes"}),
        (
            {"name": ""},
            {"name": "", "weekly_hours": -1},
            "",
            {"p1.name", "p2.name", "p2.weekly_hours"},
        ),
    ],
)
def test_a_refused_couple_names_every_bad_field_and_nothing_is_written(
    db, counselor, partner_1, partner_2, notes, fields
):
    with pytest.raises(ValidationError) as caught:
        couples.create(db, counselor, partner_1, partner_2, notes)
    assert set(caught.value.fields) == fields
    assert stored_counts(db) == (0, 0)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Sam", "Sam"), ("Sam", " sam "), ("Zoë", "Zoe\u0308"), ("Ana  María", "ana maría")],
)
def test_partners_with_the_same_name_are_refused_until_one_is_told_apart(
    db, counselor, couple_id, first, second
):
    # Links, hand-overs and charts name a partner by name alone: two "Sam" buttons could send
    # one partner's private link to the other.
    with pytest.raises(ValidationError, match="add an initial or a surname") as caught:
        couples.create(db, counselor, {"name": first}, {"name": second})
    assert set(caught.value.fields) == {"p2.name"}
    with pytest.raises(ValidationError):
        couples.update(db, counselor, couple_id, {"name": first}, {"name": second}, "")
    assert stored_counts(db) == (1, 2)
    cid = couples.create(db, counselor, {"name": first}, {"name": f"{second.strip()} T."})
    assert couples.get(db, counselor, cid)["label"].endswith(" T.")


@pytest.mark.parametrize(
    ("first", "second", "refused"),
    [
        ("Marcus", "Rachel", {"p1.name", "p2.name"}),  # swapped, to change the order
        ("marcus ", "Rachel T.", {"p1.name"}),  # one side given the other's name
    ],
)
def test_a_partner_is_never_given_the_other_partners_name(
    db, counselor, couple_id, first, second, refused
):
    # Answers, links and records stay with a partner's row: renamed to the other, Rachel's
    # counselor-only answers went out as "Marcus's own data".
    rachel = db.all("couples/partners", couple_id=couple_id)[0]["id"]
    issued = links.issue(db, counselor, couple_id, rachel, "intake")
    links.save_answer(db, issued.token, "safety_note", "Rachel's own worry")
    before = couples.get(db, counselor, couple_id)
    with pytest.raises(ValidationError) as caught:
        couples.update(db, counselor, couple_id, {"name": first}, {"name": second}, "")
    assert set(caught.value.fields) == refused
    assert "Rachel's answers would be taken for Marcus's" in caught.value.fields["p1.name"]
    assert couples.get(db, counselor, couple_id) == before
    # Told apart, or a name corrected on its own side, is saved as before.
    couples.update(db, counselor, couple_id, {"name": "Rachel M."}, {"name": "Marcus"}, "")


def test_a_refused_update_changes_nothing(db, counselor, couple_id):
    before = couples.get(db, counselor, couple_id)
    with pytest.raises(ValidationError) as caught:
        couples.update(db, counselor, couple_id, {"name": "Rachel"}, {"name": ""}, "new notes")
    assert set(caught.value.fields) == {"p2.name"}
    assert couples.get(db, counselor, couple_id) == before


def test_notes_over_the_limit_are_refused_and_the_old_notes_kept(db, counselor, couple_id):
    with pytest.raises(ValidationError, match="Notes is too long") as caught:
        couples.update_notes(db, counselor, couple_id, "x" * (NOTES_MAX_CHARS + 1))
    assert set(caught.value.fields) == {"notes"}
    assert couples.get(db, counselor, couple_id)["notes"] == "notes"


def test_notes_exactly_at_the_limit_are_kept_whole(db, counselor, couple_id):
    couples.update_notes(db, counselor, couple_id, "é" * NOTES_MAX_CHARS)
    assert couples.get(db, counselor, couple_id)["notes"] == "é" * NOTES_MAX_CHARS


# -- caseload ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def caseload(scratch):
    """Five couples with names from several scripts, one archived; shared, so read only."""
    db = Database(scratch / "caseload.duckdb")
    alex = make_counselor(db, make_first_admin(db), "alex")
    make_couple(db, alex, "Rachel", "Marcus", city="Chicago")
    make_couple(db, alex, "王芳", "Tomás", occupation="Investment analyst")
    make_couple(db, alex, "Zoë", "Łukasz", country="Portugal")
    make_couple(db, alex, "Søren", "Åse", city="Gießen", occupation="Baker in Đakovo")
    archived = make_couple(db, alex, "Inès", "Farid", city="Nairobi")
    couples.set_archived(db, alex, archived, True)
    yield db, alex
    db.close()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("", ["Rachel & Marcus", "Søren & Åse", "Zoë & Łukasz", "王芳 & Tomás"]),
        ("rachel", ["Rachel & Marcus"]),
        ("RACHEL", ["Rachel & Marcus"]),
        ("  rachel   ", ["Rachel & Marcus"]),
        ("王芳", ["王芳 & Tomás"]),
        ("芳", ["王芳 & Tomás"]),
        ("zoë", ["Zoë & Łukasz"]),
        ("ZOË", ["Zoë & Łukasz"]),
        ("Zoe\u0308", ["Zoë & Łukasz"]),  # typed or pasted decomposed
        ("łukasz", ["Zoë & Łukasz"]),
        ("ŁUKASZ", ["Zoë & Łukasz"]),
        ("tomás", ["王芳 & Tomás"]),
        ("zoe", ["Zoë & Łukasz"]),  # accents do not matter, either way round
        ("ZOE", ["Zoë & Łukasz"]),
        ("tomas", ["王芳 & Tomás"]),
        ("lukasz", ["Zoë & Łukasz"]),  # ł is not l plus an accent: folded all the same
        ("LUKASZ", ["Zoë & Łukasz"]),
        ("soren", ["Søren & Åse"]),
        ("søren", ["Søren & Åse"]),
        ("ase", ["Søren & Åse"]),
        ("giessen", ["Søren & Åse"]),  # ß
        ("gießen", ["Søren & Åse"]),
        ("dakovo", ["Søren & Åse"]),  # đ
        ("rachél", ["Rachel & Marcus"]),
        ("chicago", ["Rachel & Marcus"]),
        ("investment", ["王芳 & Tomás"]),
        ("portugal", ["Zoë & Łukasz"]),
        ("inès", []),  # archived: not in the active list
        ("nobody", []),
        ("%", []),
        ("_", []),
        ("' OR 1=1 --", []),
    ],
)
def test_caseload_search_is_case_insensitive_and_unicode_aware(caseload, q, expected):
    db, alex = caseload
    assert labels(couples.caseload(db, alex, q=q)) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", ["Rachel & Marcus", "Søren & Åse", "Zoë & Łukasz", "王芳 & Tomás"]),
        ("archived", ["Inès & Farid"]),
        ("all", ["Inès & Farid", "Rachel & Marcus", "Søren & Åse", "Zoë & Łukasz", "王芳 & Tomás"]),
        (
            "deleted",
            ["Rachel & Marcus", "Søren & Åse", "Zoë & Łukasz", "王芳 & Tomás"],
        ),  # unknown: active
    ],
)
def test_caseload_status_filter(caseload, status, expected):
    db, alex = caseload
    assert labels(couples.caseload(db, alex, status=status)) == expected


def test_caseload_search_and_status_combine(caseload):
    db, alex = caseload
    assert labels(couples.caseload(db, alex, q="farid", status="all")) == ["Inès & Farid"]


def test_caseload_sorts_by_name_newest_or_recently_changed(db, counselor):
    oldest = make_couple(db, counselor, "bea", "Bo")
    make_couple(db, counselor, "Ana", "Al")
    make_couple(db, counselor, "Cleo", "Cy")
    couples.update_notes(db, counselor, oldest, "touched last")
    by = {sort: labels(couples.caseload(db, counselor, sort=sort)) for sort in couples.SORTS}
    assert by["name"] == ["Ana & Al", "bea & Bo", "Cleo & Cy"]  # case ignored
    assert by["created"] == ["Cleo & Cy", "Ana & Al", "bea & Bo"]
    assert by["updated"] == ["bea & Bo", "Cleo & Cy", "Ana & Al"]
    assert labels(couples.caseload(db, counselor, sort="'; DROP TABLE couples")) == by["name"]


def test_caseload_rows_carry_both_partners_side_by_side(caseload):
    db, alex = caseload
    row = couples.caseload(db, alex, q="chicago")[0]
    assert (row["name_1"], row["name_2"], row["city_1"]) == ("Rachel", "Marcus", "Chicago")
    assert row["counselor_name"] == "Alex"


def test_counts_by_status(caseload):
    db, alex = caseload
    assert couples.counts(db, alex) == {"active": 4, "archived": 1}


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("Rachel & Marcus", True),
        ("  rachel   &  MARCUS ", True),
        ("Marcus & Rachel", False),
        ("Rachel", False),
        ("", False),
        (None, False),
    ],
)
def test_typed_confirmation_must_be_the_couples_name(typed, matches):
    assert couples.confirmation_matches({"label": "Rachel & Marcus"}, typed) is matches


KEY = "a-key-for-couple-links-0123456789"


def test_a_couples_link_token_names_it_to_its_sign_in_only(db):
    """core.couples.link_token / from_link_token (the caseload's links, ui/caseload.py)."""
    import dataclasses

    from core import accounts

    admin = make_first_admin(db)
    alice = accounts.start_session(db, make_counselor(db, admin, "alice"), 4e9)
    bob = accounts.start_session(db, make_counselor(db, admin, "bob"), 4e9)
    admin = accounts.start_session(db, admin, 4e9)
    hers, his = make_couple(db, alice), make_couple(db, bob, "Bo", "Cy")
    token = couples.link_token(KEY, alice, hers)
    assert len(token) == 16 and str(hers) not in token
    assert couples.link_token(KEY, alice, hers) == token  # the same for the whole sign-in
    assert couples.from_link_token(db, alice, KEY, token) == hers
    # Another sign-in of the same account, another key, another counselor: nothing.
    again = accounts.start_session(db, alice, 4e9)
    assert couples.from_link_token(db, again, KEY, token) is None
    assert couples.from_link_token(db, alice, KEY + "x", token) is None
    assert couples.from_link_token(db, bob, KEY, token) is None
    # A token made for bob's sign-in and alice's couple still opens nothing for bob.
    assert couples.from_link_token(db, bob, KEY, couples.link_token(KEY, bob, hers)) is None
    # An admin may open any couple, by a token of the admin's own sign-in.
    assert couples.from_link_token(db, admin, KEY, couples.link_token(KEY, admin, his)) == his
    for junk in (None, 7, "", "x" * 16, "é" * 16, "x" * 10_000, ["a"]):
        assert couples.from_link_token(db, alice, KEY, junk) is None
    # No sign-in (a script's actor): no token is followed.
    # Each refusal is a row of the audit trail: a couple link, no couple, not the token.
    refused = rows(
        db,
        "SELECT actor_label, couple_ref, detail FROM audit_log "
        "WHERE action = 'refused' AND object = 'couple link'",
    )
    assert len(refused) >= 5 and {r[0] for r in refused} >= {"alice", "bob"}
    assert all(r[1] is None and token not in (r[2] or "") for r in refused)
    no_sign_in = dataclasses.replace(alice, session_id=None)
    assert couples.from_link_token(db, no_sign_in, KEY, token) is None


def test_the_kept_caseload_follows_every_write_that_changes_a_row(db, admin, counselor):
    other = make_counselor(db, admin, "blair")
    first = make_couple(db, counselor, "Ana", "Al")
    whole = dict(whole_practice=True, status="all")
    assert labels(couples.caseload(db, admin, **whole)) == ["Ana & Al"]
    second = make_couple(db, counselor, "Bea", "Bo")  # a new couple
    assert labels(couples.caseload(db, admin, **whole)) == ["Ana & Al", "Bea & Bo"]
    couples.update(db, counselor, second, {"name": "Cleo"}, {"name": "Cy"}, "")  # partners
    assert labels(couples.caseload(db, admin, **whole)) == ["Ana & Al", "Cleo & Cy"]
    couples.set_archived(db, counselor, first, True)  # status
    assert labels(couples.caseload(db, admin, whole_practice=True)) == ["Cleo & Cy"]
    assert [r["status"] for r in couples.caseload(db, admin, **whole)] == ["archived", "active"]
    couples.reassign(db, admin, second, other.counselor_id)  # counselor
    assert labels(couples.caseload(db, counselor)) == []
    assert labels(couples.caseload(db, other)) == ["Cleo & Cy"]
    assert couples.caseload(db, admin, **whole)[1]["counselor_name"] == "Blair"
    erase_for_good(db, admin, first, "Ana & Al")  # erasure
    assert labels(couples.caseload(db, admin, **whole)) == ["Cleo & Cy"]


def test_writes_that_change_no_caseload_row_keep_it(db, counselor, couple_id):
    before = couples.caseload(db, counselor)
    version = db.roster_changes
    couples.remember_open(db, counselor, couple_id)  # sign-in bookkeeping, the audit trail
    audit.record(db, counselor, "view", obj="caseload")
    partner = couples.get(db, counselor, couple_id)["partners"][0]["id"]
    issued = links.issue(db, counselor, couple_id, partner, "csi4")  # a partner's link, answers
    links.open_link(db, issued.token)
    links.save_answer(db, issued.token, "csi4_warm", 2)
    assert db.roster_changes == version
    again = couples.caseload(db, counselor)
    assert again == before and again[0] is not before[0]  # equal, and the caller's own copy


def test_a_search_is_read_afresh_and_a_roster_write_lets_go_of_older_lists(db, admin, counselor):
    """Only unsearched lists are kept (a search is typed once); after a roster write the next
    read lets go of every older list of that database, an erased couple's names with them."""
    first = make_couple(db, counselor, "Ana", "Al")
    make_couple(db, counselor, "Bea", "Bo")
    couples.caseload(db, counselor)
    couples.caseload(db, admin, whole_practice=True, status="all")
    kept = [k for k in couples._kept_rows if k[0] == db.instance]
    assert len(kept) == 2
    assert labels(couples.caseload(db, counselor, q="ana")) == ["Ana & Al"]
    assert [k for k in couples._kept_rows if k[0] == db.instance] == kept  # not kept

    erase_for_good(db, admin, first, "Ana & Al")
    assert labels(couples.caseload(db, counselor)) == ["Bea & Bo"]
    left = [v for k, v in couples._kept_rows.items() if k[0] == db.instance]
    assert len(left) == 1  # the admin's older list is gone, not only passed over
    assert "Ana" not in repr(left)


def test_which_writes_make_the_kept_caseload_stale():
    """Every write query that names a table a caseload row is made of; none of a partner's."""
    from core import db as dbm

    roster = {n for n in dbm.all_query_names() if dbm.writes_roster(n)}
    for name in dbm.all_query_names():
        body = dbm.load_sql(name).lower()
        if dbm.is_write_query(name) and any(
            f"{verb} {table}" in " ".join(body.split())
            for verb in ("update", "insert into", "delete from")
            for table in ("couples", "partners", "counselors")
        ):
            assert name in roster, name
    assert {"couples/update_partner", "couples/set_status", "couples/reassign"} <= roster
    assert {"erase/partners", "counselors/update_profile", "couples/insert"} <= roster
    for frequent in ("links/insert_answer", "links/update_answer", "links/mark_opened"):
        assert frequent not in roster, frequent
