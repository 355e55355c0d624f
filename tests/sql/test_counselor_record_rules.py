"""Rules a counselor's records keep: a season's review comes after its start and an unnamed
season has a clear name; the ledger holds only what has happened; a confirmation belongs to the
version of an agreement both partners confirmed; the roadmap shows a season that starts later
and the seasons' review dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core import agreements, ledger, roadmap, seasons
from core.errors import ValidationError

NOW = datetime(2026, 11, 22, 10, 0)
TODAY = NOW.date()


@pytest.fixture
def partners(db, couple_id):
    return [p["id"] for p in db.all("couples/partners", couple_id=couple_id)]


# -- seasons ----------------------------------------------------------------------------------
def test_a_review_date_before_the_season_starts_is_refused_in_words(
    db, counselor, couple_id, partners
):
    raw = {"lead": partners[0], "starts_on": date(2026, 12, 1), "review_on": date(2020, 1, 1)}
    with pytest.raises(ValidationError) as caught:
        seasons.create(db, counselor, couple_id, raw)
    message = caught.value.fields["review_on"]
    assert "1 Jan 2020" in message and "before the season starts (1 Dec 2026)" in message
    assert seasons.for_couple(db, counselor, couple_id) == []


def test_a_review_on_the_first_day_of_the_season_is_accepted(db, counselor, couple_id, partners):
    start = date(2026, 12, 1)
    seasons.create(
        db, counselor, couple_id, {"lead": partners[0], "starts_on": start, "review_on": start}
    )
    (row,) = seasons.for_couple(db, counselor, couple_id)
    assert row["review_on"] == start


def test_an_edit_that_puts_the_review_before_the_start_is_refused(
    db, counselor, couple_id, partners
):
    sid = seasons.create(
        db, counselor, couple_id, {"lead": "balanced", "starts_on": date(2024, 1, 1)}
    )
    with pytest.raises(ValidationError) as caught:
        seasons.update(
            db,
            counselor,
            couple_id,
            sid,
            {"lead": "balanced", "starts_on": date(2024, 1, 1), "review_on": date(2023, 6, 1)},
        )
    assert "review_on" in caught.value.fields


@pytest.mark.parametrize(
    ("title", "lead", "expected"),
    [
        ("Marcus goes for partner", 1, "Marcus goes for partner"),
        ("", 0, "Rachel leads"),
        (None, 1, "Marcus leads"),
        ("", None, "Balanced season"),
    ],
)
def test_an_unnamed_season_is_called_after_whose_career_leads(partners, title, lead, expected):
    names = {partners[0]: "Rachel", partners[1]: "Marcus"}
    season = {"title": title, "lead_partner_id": None if lead is None else partners[lead]}
    assert seasons.name(season, names) == expected


def test_an_overlap_names_an_unnamed_season_by_its_lead(db, counselor, couple_id, partners):
    seasons.create(db, counselor, couple_id, {"lead": partners[0], "starts_on": date(2024, 1, 1)})
    with pytest.raises(ValidationError) as caught:
        seasons.create(
            db, counselor, couple_id, {"lead": "balanced", "starts_on": date(2025, 1, 1)}
        )
    assert "“Rachel leads”" in caught.value.fields["starts_on"]


def test_the_equity_chart_names_an_unnamed_season_by_its_lead(db, counselor, couple_id, partners):
    from core import trends

    seasons.create(db, counselor, couple_id, {"lead": partners[0], "starts_on": date(2024, 1, 1)})
    win = trends.window(db, counselor, couple_id, "all", today=date(2025, 6, 1))
    view = trends.equity_view(db, counselor, couple_id, win)
    assert list(view.seasons["title"]) == ["Rachel leads"]  # not "Untitled season"


def test_terms_over_the_limit_are_refused_with_their_length(db, counselor, couple_id, partners):
    raw = {"lead": "balanced", "starts_on": date(2024, 1, 1), "terms": "T" * 5_000}
    with pytest.raises(ValidationError) as caught:
        seasons.create(db, counselor, couple_id, raw)
    assert caught.value.fields["terms"] == (
        "The text of the terms is too long (5,000 characters; the limit is 4,000)."
    )


# -- the ledger -------------------------------------------------------------------------------
def event(giver, when):
    return {"giver": giver, "occurred_on": when, "kind": "declined_offer", "size": 2}


def test_a_sacrifice_dated_in_the_future_is_refused_with_the_date_named(
    db, counselor, couple_id, partners
):
    with pytest.raises(ValidationError) as caught:
        ledger.create(db, counselor, couple_id, event(partners[0], date(2035, 1, 1)), now=NOW)
    message = caught.value.fields["occurred_on"]
    assert message.startswith("1 Jan 2035 is in the future") and "roadmap" in message
    assert ledger.for_couple(db, counselor, couple_id) == []


@pytest.mark.parametrize("days", [-400, 0, 1])
def test_a_sacrifice_up_to_tomorrow_is_logged_since_it_is_already_tomorrow_somewhere(
    db, counselor, couple_id, partners, days
):
    when = TODAY + timedelta(days=days)
    ledger.create(db, counselor, couple_id, event(partners[0], when), now=NOW)
    (row,) = ledger.for_couple(db, counselor, couple_id)
    assert row["occurred_on"] == when


def test_a_sacrifice_two_days_ahead_is_refused(db, counselor, couple_id, partners):
    with pytest.raises(ValidationError):
        ledger.create(
            db, counselor, couple_id, event(partners[0], TODAY + timedelta(days=2)), now=NOW
        )


def test_an_edit_cannot_move_a_sacrifice_into_the_future(db, counselor, couple_id, partners):
    eid = ledger.create(db, counselor, couple_id, event(partners[0], date(2024, 5, 1)), now=NOW)
    with pytest.raises(ValidationError):
        ledger.update(db, counselor, couple_id, eid, event(partners[0], date(2030, 5, 1)), now=NOW)


# -- agreements -------------------------------------------------------------------------------
BODY = "We stay in Lisbon for twelve months."


@pytest.fixture
def confirmed(db, counselor, couple_id):
    """An agreement both partners confirmed on 27 Mar 2026 (version 1)."""
    return agreements.save(
        db,
        counselor,
        couple_id,
        {"title": "Lisbon", "body": BODY, "status": "active", "confirmed_on": date(2026, 3, 27)},
        now=NOW,
    ).agreement_id


def versions(db, counselor, couple_id, aid):
    return [
        (v["version"], v["confirmed_on"]) for v in agreements.history(db, counselor, couple_id, aid)
    ]


def test_a_version_with_changed_text_waits_to_be_confirmed_again(
    db, counselor, couple_id, confirmed
):
    saved = agreements.save(
        db,
        counselor,
        couple_id,
        {
            "title": "Lisbon",
            "body": BODY + " Łukasz cooks on Tuesdays.",
            "status": "active",
            "confirmed_on": date(2026, 3, 27),  # the form still holds the old date
        },
        agreement_id=confirmed,
        now=NOW,
    )
    assert (saved.version, saved.changed, saved.unconfirmed_on) == (2, True, date(2026, 3, 27))
    assert agreements.get(db, counselor, couple_id, confirmed)["confirmed_on"] is None
    # History keeps the confirmation with the version that was confirmed.
    assert versions(db, counselor, couple_id, confirmed) == [(1, date(2026, 3, 27)), (2, None)]


def test_confirming_the_changed_text_again_is_a_new_version_with_its_date(
    db, counselor, couple_id, confirmed
):
    changed = {"title": "Lisbon", "body": BODY + " Reviewed.", "status": "active"}
    agreements.save(db, counselor, couple_id, changed, agreement_id=confirmed, now=NOW)
    again = agreements.save(
        db,
        counselor,
        couple_id,
        {**changed, "confirmed_on": TODAY},
        agreement_id=confirmed,
        now=NOW,
    )
    assert (again.version, again.unconfirmed_on) == (3, None)
    assert agreements.get(db, counselor, couple_id, confirmed)["confirmed_on"] == TODAY


def test_a_changed_text_given_with_a_new_confirmation_date_keeps_it(
    db, counselor, couple_id, confirmed
):
    saved = agreements.save(
        db,
        counselor,
        couple_id,
        {"title": "Lisbon", "body": "New words.", "status": "active", "confirmed_on": TODAY},
        agreement_id=confirmed,
        now=NOW,
    )
    assert saved.unconfirmed_on is None
    assert agreements.get(db, counselor, couple_id, confirmed)["confirmed_on"] == TODAY


def test_a_status_or_review_change_keeps_the_confirmation_of_the_same_words(
    db, counselor, couple_id, confirmed
):
    saved = agreements.save(
        db,
        counselor,
        couple_id,
        {
            "title": "Lisbon",
            "body": BODY,
            "status": "under_review",
            "review_on": date(2027, 3, 1),
            "confirmed_on": date(2026, 3, 27),
        },
        agreement_id=confirmed,
        now=NOW,
    )
    assert (saved.version, saved.unconfirmed_on) == (2, None)
    assert agreements.get(db, counselor, couple_id, confirmed)["confirmed_on"] == date(2026, 3, 27)


def test_a_confirmation_in_the_future_is_refused_with_the_date_named(db, counselor, couple_id):
    with pytest.raises(ValidationError) as caught:
        agreements.save(
            db,
            counselor,
            couple_id,
            {"title": "T", "body": "B", "confirmed_on": date(2030, 1, 1)},
            now=NOW,
        )
    assert "1 Jan 2030" in caught.value.fields["confirmed_on"]


# -- the roadmap ------------------------------------------------------------------------------
def test_an_open_season_that_starts_later_still_has_a_band(db, counselor, couple_id, partners):
    start = TODAY + timedelta(days=100)
    seasons.create(db, counselor, couple_id, {"lead": partners[0], "starts_on": start})
    (band,) = roadmap.timeline(db, counselor, couple_id, TODAY)["seasons"].to_dict("records")
    assert band["start"] == start and band["end"] >= start + roadmap.OPEN_SEASON_MIN
    assert band["title"] == "Rachel leads"


def test_an_open_season_runs_to_the_latest_date_on_the_roadmap(db, counselor, couple_id, partners):
    seasons.create(db, counselor, couple_id, {"lead": partners[1], "starts_on": date(2025, 1, 1)})
    roadmap.add(db, counselor, couple_id, {"title": "Visa ends", "starts_on": "2029-06-30"})
    (band,) = roadmap.timeline(db, counselor, couple_id, TODAY)["seasons"].to_dict("records")
    assert band["end"] == date(2029, 6, 30)


def test_season_reviews_still_ahead_are_dates_on_the_shared_lane(
    db, counselor, couple_id, partners
):
    seasons.create(
        db,
        counselor,
        couple_id,
        {
            "lead": partners[0],
            "starts_on": date(2020, 1, 1),
            "ends_on": date(2021, 12, 31),
            "review_on": date(2021, 6, 1),  # a season long over: its review is history
        },
    )
    seasons.create(
        db,
        counselor,
        couple_id,
        {
            "lead": partners[1],
            "title": "Lisbon transfer",
            "starts_on": date(2026, 3, 23),
            "review_on": date(2027, 2, 20),
        },
    )
    frame = roadmap.timeline(db, counselor, couple_id, TODAY)["frame"]
    reviews = frame[frame["from"] == "season_review"]
    assert list(reviews["title"]) == ["Season review: Lisbon transfer"]
    assert list(reviews["lane"]) == ["Together"] and list(reviews["when"]) == ["Planned"]
