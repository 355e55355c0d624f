"""Seasons never overlap (and say so), and the ledger links a sacrifice to its repayment."""

from __future__ import annotations

from datetime import date

import pytest

from core import ledger, roadmap, seasons
from core.errors import NotFound, ValidationError
from tests.conftest import count


@pytest.fixture
def partners(db, couple_id):
    return [p["id"] for p in db.all("couples/partners", couple_id=couple_id)]


def season(lead, start, end=None, **extra):
    return {
        "lead": lead,
        "starts_on": start,
        "ends_on": end,
        "title": extra.pop("title", ""),
        **extra,
    }


@pytest.fixture
def marcus_leads(db, counselor, couple_id, partners):
    """Marcus's season, 2019 to the end of October 2023."""
    return seasons.create(
        db,
        counselor,
        couple_id,
        season(
            partners[1],
            date(2019, 3, 1),
            date(2023, 10, 31),
            title="Marcus goes for partner",
            terms="Rachel steadies.",
            review_on=date(2023, 6, 1),
        ),
    )


def test_a_season_is_stored_with_its_lead_terms_and_review(
    db, counselor, couple_id, partners, marcus_leads
):
    (row,) = seasons.for_couple(db, counselor, couple_id)
    assert (row["lead_partner_id"], row["title"], row["terms"], row["review_on"]) == (
        partners[1],
        "Marcus goes for partner",
        "Rachel steadies.",
        date(2023, 6, 1),
    )
    assert seasons.span(row) == "1 Mar 2019 – 31 Oct 2023"
    assert seasons.lead_label(row, {partners[1]: "Marcus"}) == "Marcus"


def test_a_season_without_an_end_is_still_going_once_begun_and_not_before():
    """A season planned for next year is not "still going" (walkthrough, 2026-11-23)."""
    season = {"starts_on": date(2027, 1, 1), "ends_on": None}
    assert seasons.span(season, today=date(2026, 11, 23)) == "from 1 Jan 2027, no end date yet"
    assert seasons.span(season, today=date(2027, 1, 1)) == "1 Jan 2027 – still going"


def test_the_next_season_may_start_the_day_after_one_ends(
    db, counselor, couple_id, partners, marcus_leads
):
    seasons.create(db, counselor, couple_id, season(partners[0], date(2023, 11, 1)))
    seasons.create(
        db, counselor, couple_id, season("balanced", date(2018, 1, 1), date(2019, 2, 28))
    )
    assert [s["lead_partner_id"] for s in seasons.for_couple(db, counselor, couple_id)] == [
        None,
        partners[1],
        partners[0],
    ]


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        (date(2023, 10, 31), None, "start this one after 31 Oct 2023"),  # shares the last day
        (date(2020, 1, 1), date(2020, 6, 1), "start this one after 31 Oct 2023"),  # inside it
        (date(2018, 1, 1), date(2019, 3, 1), "end this one before 1 Mar 2019"),  # ends on its start
        (date(2018, 1, 1), None, "end this one before 1 Mar 2019"),  # open, runs over it
    ],
)
def test_an_overlapping_season_is_refused_with_a_message_naming_the_other(
    db, counselor, couple_id, partners, marcus_leads, start, end, says
):
    with pytest.raises(ValidationError) as caught:
        seasons.create(db, counselor, couple_id, season(partners[0], start, end))
    message = caught.value.fields["starts_on"]
    assert "Marcus goes for partner" in message and "1 Mar 2019 – 31 Oct 2023" in message
    assert says in message
    assert count(db, "seasons") == 1


def test_an_open_season_in_the_way_is_asked_to_end_first(db, counselor, couple_id, partners):
    seasons.create(
        db, counselor, couple_id, season(partners[0], date(2022, 1, 1), title="Rachel's turn")
    )
    with pytest.raises(ValidationError) as caught:
        seasons.create(db, counselor, couple_id, season(partners[1], date(2024, 1, 1)))
    assert (
        "give “Rachel's turn” an end date before 1 Jan 2024 first"
        in caught.value.fields["starts_on"]
    )


def test_an_edit_that_would_overlap_is_refused_and_one_that_fits_is_saved(
    db, counselor, couple_id, partners, marcus_leads
):
    later = seasons.create(db, counselor, couple_id, season(partners[0], date(2024, 1, 1)))
    with pytest.raises(ValidationError):
        seasons.update(db, counselor, couple_id, later, season(partners[0], date(2023, 1, 1)))
    seasons.update(
        db,
        counselor,
        couple_id,
        marcus_leads,
        season(partners[1], date(2019, 3, 1), date(2023, 12, 31)),
    )
    assert seasons.for_couple(db, counselor, couple_id)[0]["ends_on"] == date(2023, 12, 31)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (season("balanced", None), "starts_on"),
        (season("balanced", date(2024, 5, 1), date(2024, 4, 1)), "ends_on"),
        (season(999999, date(2024, 5, 1)), "lead"),
        (season("balanced", "31/02/2024"), "starts_on"),
        (season("balanced", date(2024, 5, 1), title="x" * 500), "title"),
    ],
)
def test_bad_season_fields_are_refused(db, counselor, couple_id, raw, field):
    with pytest.raises(ValidationError) as caught:
        seasons.create(db, counselor, couple_id, raw)
    assert field in caught.value.fields


def test_seasons_belong_to_their_couple(
    db, counselor, other_counselor, couple_id, partners, marcus_leads
):
    with pytest.raises(NotFound):
        seasons.for_couple(db, other_counselor, couple_id)
    with pytest.raises(NotFound):
        seasons.delete(db, other_counselor, couple_id, marcus_leads)
    with pytest.raises(NotFound):
        seasons.update(db, counselor, couple_id, 424242, season("balanced", date(2030, 1, 1)))
    seasons.delete(db, counselor, couple_id, marcus_leads)
    assert count(db, "seasons") == 0


def test_the_roadmap_reads_the_seasons(db, counselor, couple_id, partners, marcus_leads):
    (row,) = roadmap.seasons(db, couple_id)
    assert (row["lead_partner_id"], row["title"]) == (partners[1], "Marcus goes for partner")


def test_the_current_season_is_the_one_running_today(
    db, counselor, couple_id, partners, marcus_leads
):
    rows = seasons.for_couple(db, counselor, couple_id)
    assert seasons.current(rows, date(2020, 5, 5))["id"] == marcus_leads
    assert seasons.current(rows, date(2024, 5, 5)) is None


# -- the ledger ----------------------------------------------------------------------------------
def event(giver, when, kind="declined_offer", size=3, **extra):
    return {"giver": giver, "occurred_on": when, "kind": kind, "size": size, **extra}


def test_a_sacrifice_is_logged_and_later_linked_to_its_repayment(
    db, counselor, couple_id, partners
):
    declined = ledger.create(
        db, counselor, couple_id, event(partners[0], date(2020, 5, 1), note="NY role")
    )
    moved = ledger.create(
        db, counselor, couple_id, event(partners[1], date(2024, 7, 1), "relocated")
    )
    ledger.update(
        db,
        counselor,
        couple_id,
        declined,
        event(partners[0], date(2020, 5, 1), note="NY role", acknowledged=True, repaid_by=moved),
    )
    first, second = ledger.for_couple(db, counselor, couple_id)
    assert (first["repaid_by_id"], first["acknowledged"], first["note"]) == (moved, True, "NY role")
    names = {partners[0]: "Rachel", partners[1]: "Marcus"}
    assert (
        ledger.describe(second, names)
        == "1 Jul 2024 · Marcus: Moved for the other's career (large)"
    )


@pytest.mark.parametrize(
    ("repayer", "when", "problem"),
    [
        (0, date(2024, 1, 1), "the other partner gave"),  # the giver cannot repay themself
        (1, date(2019, 1, 1), "cannot be dated before"),
    ],
)
def test_a_repayment_must_come_later_from_the_other_partner(
    db, counselor, couple_id, partners, repayer, when, problem
):
    first = ledger.create(db, counselor, couple_id, event(partners[0], date(2020, 5, 1)))
    other = ledger.create(db, counselor, couple_id, event(partners[repayer], when))
    with pytest.raises(ValidationError) as caught:
        ledger.update(
            db, counselor, couple_id, first, event(partners[0], date(2020, 5, 1), repaid_by=other)
        )
    assert problem in caught.value.fields["repaid_by"]


@pytest.mark.parametrize(
    ("giver", "when"), [(1, date(2019, 1, 1)), (0, date(2024, 7, 1))], ids=["earlier", "same giver"]
)
def test_a_repayment_cannot_be_changed_into_one_that_could_not_repay(
    db, counselor, couple_id, partners, giver, when
):
    """Checked from the repaid event only, a repayment moved before it was taken (walkthrough:
    an event of 1 Jan 2024 listed as repaying one of 11 Sep 2025)."""
    first = ledger.create(db, counselor, couple_id, event(partners[0], date(2020, 5, 1)))
    repay = ledger.create(db, counselor, couple_id, event(partners[1], date(2024, 7, 1)))
    ledger.update(
        db, counselor, couple_id, first, event(partners[0], date(2020, 5, 1), repaid_by=repay)
    )
    with pytest.raises(ValidationError) as caught:
        ledger.update(db, counselor, couple_id, repay, event(partners[giver], when))
    # Said under the field that broke it (walkthrough: a changed giver was named under the date).
    field = "giver" if giver == 0 else "occurred_on"
    assert list(caught.value.fields) == [field]
    assert "repays the one of 1 May 2020" in caught.value.fields[field]
    # A change that keeps it a repayment is saved.
    ledger.update(db, counselor, couple_id, repay, event(partners[1], date(2020, 5, 1), size=1))
    assert [e["occurred_on"] for e in ledger.for_couple(db, counselor, couple_id)] == [
        date(2020, 5, 1),
        date(2020, 5, 1),
    ]


def test_a_repayment_from_another_couple_is_refused(db, counselor, couple_id, partners):
    from tests.conftest import make_couple

    elsewhere = make_couple(db, counselor, "Ana", "Bo")
    ana, bo = [p["id"] for p in db.all("couples/partners", couple_id=elsewhere)]
    theirs = ledger.create(db, counselor, elsewhere, event(bo, date(2024, 1, 1)))
    ours = ledger.create(db, counselor, couple_id, event(partners[0], date(2020, 1, 1)))
    with pytest.raises(ValidationError):
        ledger.update(
            db, counselor, couple_id, ours, event(partners[0], date(2020, 1, 1), repaid_by=theirs)
        )


def test_deleting_a_repayment_makes_the_sacrifice_unrepaid_again(
    db, counselor, couple_id, partners
):
    first = ledger.create(db, counselor, couple_id, event(partners[0], date(2020, 5, 1)))
    repay = ledger.create(db, counselor, couple_id, event(partners[1], date(2021, 5, 1)))
    ledger.update(
        db, counselor, couple_id, first, event(partners[0], date(2020, 5, 1), repaid_by=repay)
    )
    ledger.delete(db, counselor, couple_id, repay)
    (left,) = ledger.for_couple(db, counselor, couple_id)
    assert (left["id"], left["repaid_by_id"]) == (first, None)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"kind": "won_lottery"}, "kind"),
        ({"size": 4}, "size"),
        ({"giver": 999999}, "giver"),
        ({"occurred_on": None}, "occurred_on"),
        ({"repaid_by": "abc"}, "repaid_by"),
    ],
)
def test_bad_ledger_fields_are_refused(db, counselor, couple_id, partners, raw, field):
    with pytest.raises(ValidationError) as caught:
        ledger.create(db, counselor, couple_id, {**event(partners[0], date(2020, 1, 1)), **raw})
    assert field in caught.value.fields
    assert count(db, "ledger_events") == 0


def test_the_ledger_belongs_to_its_couple(db, counselor, other_counselor, couple_id, partners):
    mine = ledger.create(db, counselor, couple_id, event(partners[0], date(2020, 1, 1)))
    with pytest.raises(NotFound):
        ledger.for_couple(db, other_counselor, couple_id)
    with pytest.raises(NotFound):
        ledger.create(db, other_counselor, couple_id, event(partners[0], date(2020, 1, 1)))
    with pytest.raises(NotFound):
        ledger.update(db, counselor, couple_id, mine + 1000, event(partners[0], date(2020, 1, 1)))
