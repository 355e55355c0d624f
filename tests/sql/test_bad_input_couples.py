"""Bad input, couples: creating, editing, searching and deleting with nonsense in every field.

Each test shares one real temp database across its examples, so rows accumulate and every
example also proves what earlier ones stored is intact. Generated cases (sum of max_examples):
create 60 + update 50 + notes 30 + caseload search 30 + delete confirmation 15 + ids 30 = 215.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import couples, partners
from core.errors import NotFound, ValidationError
from core.validation import NAME_MAX_CHARS, NOTES_MAX_CHARS, clean_text
from tests.bad_input import (
    CAMPAIGN,
    TEN_MB,
    assert_clean_text,
    calm_or_stored,
    intact,
    mostly,
    nasty_id,
    nasty_number,
    nasty_value,
    plain_typed,
    snapshot,
    typed_text,
    visible,
)
from tests.conftest import erase_for_good, make_couple

TABLES = ("couples", "partners")
TEXT_FIELDS = ("name", "pronouns", "occupation", "country", "city", "languages")

partner_raw = st.fixed_dictionaries(
    {"name": mostly(typed_text)},
    optional={
        "pronouns": mostly(st.sampled_from(["she/her", "they/them", "he/him", "ze/zir"])),
        "occupation": mostly(typed_text),
        "industry": mostly(st.sampled_from(partners.INDUSTRIES)),
        "career_stage": mostly(st.sampled_from(partners.CAREER_STAGES)),
        "weekly_hours": mostly(
            st.one_of(st.integers(0, 168), st.sampled_from(["40", " 12 ", 37.0])), nasty_number
        ),
        "country": mostly(typed_text),
        "city": mostly(typed_text),
        "languages": mostly(typed_text),
        "email": mostly(st.sampled_from(["sam@example.org", "zoë@exämple.org", ""])),
        "phone": mostly(st.sampled_from(["+44 20 7946 0000", "(555) 123-4567", ""])),
    },
)
notes_raw = mostly(st.one_of(typed_text, st.text(max_size=200)))


def assert_partner_stored(stored: dict, raw: dict) -> None:
    """A stored partner is the raw form, cleaned as documented, field by field."""
    assert visible(stored["name"])
    assert_clean_text(stored["name"], NAME_MAX_CHARS)
    for field in TEXT_FIELDS:
        assert stored[field] == clean_text(raw.get(field), 200), field
        if plain_typed(raw.get(field)):
            assert stored[field] == raw[field]  # ordinary text reads back exactly as typed
    hours = stored["weekly_hours"]
    assert hours is None or 0 <= hours <= partners.MAX_WEEKLY_HOURS
    assert stored["industry"] in ("", *partners.INDUSTRIES)
    assert stored["career_stage"] in ("", *partners.CAREER_STAGES)


@pytest.fixture
def their_couple(db, other_counselor):
    """Another counselor's couple: must come through every example untouched."""
    return make_couple(db, other_counselor, "Other", "Couple")


def others_intact(before: dict, after: dict, changed_couple: int | None = None) -> None:
    """Every row that existed before is still there, unchanged (but the one couple edited)."""
    intact(
        before,
        after,
        lambda table, row: (
            (row["id"] if table == "couples" else row["couple_id"]) == changed_couple
        ),
    )


@settings(CAMPAIGN, max_examples=60)
@given(p1=partner_raw, p2=partner_raw, notes=notes_raw)
@example(p1={"name": TEN_MB}, p2={"name": "Bea", "weekly_hours": -40}, notes=TEN_MB)
@example(p1={"name": "\u202eRachel", "weekly_hours": "40"}, p2={"name": "\u200b"}, notes="")
def test_creating_a_couple_stores_cleaned_text_or_refuses_and_changes_nothing(
    db, counselor, their_couple, p1, p2, notes
):
    before = snapshot(db, TABLES)
    with calm_or_stored() as refused:
        cid = couples.create(db, counselor, p1, p2, notes)
    after = snapshot(db, TABLES)
    if refused:
        assert isinstance(refused[0], ValidationError)
        assert after == before
        return
    others_intact(before, after)
    couple = couples.get(db, counselor, cid)
    assert couple["notes"] == clean_text(notes, NOTES_MAX_CHARS, multiline=True)
    for stored, raw in zip(couple["partners"], (p1, p2), strict=True):
        assert_partner_stored(stored, raw)


@settings(CAMPAIGN, max_examples=50)
@given(p1=partner_raw, p2=partner_raw, notes=notes_raw)
def test_editing_a_couple_stores_cleaned_text_or_refuses_and_changes_nothing(
    db, counselor, their_couple, couple_id, p1, p2, notes
):
    before = snapshot(db, TABLES)
    with calm_or_stored() as refused:
        couples.update(db, counselor, couple_id, p1, p2, notes)
    after = snapshot(db, TABLES)
    if refused:
        assert after == before
        return
    others_intact(before, after, changed_couple=couple_id)
    couple = couples.get(db, counselor, couple_id)  # the couple still opens
    for stored, raw in zip(couple["partners"], (p1, p2), strict=True):
        assert_partner_stored(stored, raw)


@settings(CAMPAIGN, max_examples=30)
@given(notes=nasty_value)
@example(notes=TEN_MB)
def test_notes_are_stored_cleaned_or_refused(db, counselor, couple_id, notes):
    before = snapshot(db, TABLES)
    with calm_or_stored() as refused:
        couples.update_notes(db, counselor, couple_id, notes)
    if refused:
        assert snapshot(db, TABLES) == before
        return
    stored = couples.get(db, counselor, couple_id)["notes"]
    assert_clean_text(stored, NOTES_MAX_CHARS)
    assert stored == clean_text(notes, NOTES_MAX_CHARS, multiline=True)


@settings(CAMPAIGN, max_examples=30)
@given(q=nasty_value, status=nasty_value, sort=nasty_value, whole=nasty_value)
def test_caseload_search_and_filters_take_any_input(
    db, counselor, their_couple, couple_id, q, status, sort, whole
):
    rows = couples.caseload(db, counselor, q=q, status=status, sort=sort, whole_practice=whole)
    assert {r["id"] for r in rows} <= {couple_id}
    assert couples.counts(db, counselor, whole_practice=whole)["active"] == 1


@settings(CAMPAIGN, max_examples=15)
@given(typed=nasty_value)
def test_a_nonsense_delete_confirmation_deletes_nothing(db, admin, couple_id, typed):
    before = snapshot(db, TABLES)
    with calm_or_stored() as refused:
        erase_for_good(db, admin, couple_id, typed)
    assert refused and isinstance(refused[0], ValidationError)
    assert snapshot(db, TABLES) == before


@settings(CAMPAIGN, max_examples=30)
@given(ref=nasty_id)
def test_a_nonsense_couple_id_is_not_found(
    db, counselor, other_counselor, their_couple, couple_id, ref
):
    before = snapshot(db, TABLES)
    with calm_or_stored() as refused:
        couple = couples.get(db, counselor, ref)
        couples.update_notes(db, counselor, ref, "checked")
    if refused:
        assert isinstance(refused[0], NotFound)
        assert snapshot(db, TABLES) == before
    else:
        assert couple["id"] == couple_id  # only ever the counselor's own couple
    assert couples.check_access(db, other_counselor, their_couple) == their_couple
