"""Sessions (notes, what was discussed, homework) and the roadmap, in storage."""

from __future__ import annotations

from datetime import date

import pytest

from core import agreements, decisions, links, roadmap, sessions
from core.errors import Conflict, NotFound, ValidationError
from tests.conftest import make_couple, rows


def partners(db, couple_id):
    return [p["id"] for p in db.all("couples/partners", couple_id=couple_id)]


@pytest.fixture
def session_id(db, counselor, couple_id):
    return sessions.create(
        db, counselor, couple_id,
        {"held_on": "2026-11-20", "focus": "The offer", "takeaways": "Ask for a later start.",
         "notes": "Marcus quiet."},
    )  # fmt: skip


def test_a_session_keeps_focus_takeaways_and_notes(db, counselor, couple_id, session_id):
    s = sessions.get(db, counselor, couple_id, session_id)
    assert (s["held_on"], s["focus"], s["notes"]) == (
        date(2026, 11, 20),
        "The offer",
        "Marcus quiet.",
    )
    sessions.update(db, counselor, couple_id, session_id, {"focus": "The offer, again"})
    assert (
        sessions.get(db, counselor, couple_id, session_id)["takeaways"] == "Ask for a later start."
    )


def test_a_save_from_an_older_form_is_refused_and_writes_nothing(
    db, counselor, couple_id, session_id
):
    """Two tabs drew the same session; the second save must not replace the first's notes."""
    drawn = sessions.get(db, counselor, couple_id, session_id)["updated_at"]
    sessions.update(db, counselor, couple_id, session_id, {"notes": "Tab A."}, seen=drawn)
    with pytest.raises(Conflict, match="changed somewhere else"):
        sessions.update(db, counselor, couple_id, session_id, {"focus": "Tab B"}, seen=drawn)
    s = sessions.get(db, counselor, couple_id, session_id)
    assert (s["notes"], s["focus"]) == ("Tab A.", "The offer")
    sessions.update(db, counselor, couple_id, session_id, {"focus": "Tab B"}, seen=s["updated_at"])
    assert sessions.get(db, counselor, couple_id, session_id)["focus"] == "Tab B"


def test_the_same_words_sent_again_are_not_a_conflict(db, counselor, couple_id, session_id):
    """A double-click on Save sends the form twice, drawn from the same version: the second
    finds its own words stored, and is neither refused nor written again."""
    drawn = sessions.get(db, counselor, couple_id, session_id)["updated_at"]
    form = {"held_on": "2026-11-20", "focus": "The offer", "notes": "Tab A."}
    sessions.update(db, counselor, couple_id, session_id, form, seen=drawn)
    saved = sessions.get(db, counselor, couple_id, session_id)["updated_at"]
    sessions.update(db, counselor, couple_id, session_id, form, seen=drawn)
    s = sessions.get(db, counselor, couple_id, session_id)
    assert (s["notes"], s["updated_at"]) == ("Tab A.", saved)
    with pytest.raises(Conflict):  # a change on top of the stale version still is
        sessions.update(db, counselor, couple_id, session_id, {**form, "notes": "B."}, seen=drawn)


def test_a_session_needs_a_date(db, counselor, couple_id):
    with pytest.raises(ValidationError) as caught:
        sessions.create(db, counselor, couple_id, {"focus": "x"})
    assert "held_on" in caught.value.fields


def test_a_session_more_than_a_year_ahead_is_a_slip_of_the_year(db, counselor, couple_id):
    from datetime import timedelta

    from core.clock import utcnow

    with pytest.raises(ValidationError) as caught:
        sessions.create(db, counselor, couple_id, {"held_on": "2035-01-01", "focus": "x"})
    assert caught.value.fields["held_on"] == (
        "The session's date (1 Jan 2035) is more than a year away: check the year."
    )
    planned = (utcnow().date() + timedelta(days=30)).isoformat()  # a plan ahead is fine
    assert sessions.create(db, counselor, couple_id, {"held_on": planned, "focus": "x"})


def test_discussed_items_must_be_the_couples_own(db, counselor, couple_id, session_id):
    mine = agreements.save(db, counselor, couple_id, {"title": "T", "body": "B"}).agreement_id
    did = decisions.create(db, counselor, couple_id, "D")
    other = make_couple(db, counselor, "Ana", "Bo")
    theirs = agreements.save(db, counselor, other, {"title": "T", "body": "B"}).agreement_id
    sessions.set_discussed(db, counselor, couple_id, session_id, [mine], [did])
    s = sessions.get(db, counselor, couple_id, session_id)
    assert (s["agreement_ids"], s["decision_ids"]) == ([mine], [did])
    with pytest.raises(NotFound):
        sessions.set_discussed(db, counselor, couple_id, session_id, [theirs], [])
    sessions.set_discussed(db, counselor, couple_id, session_id, [], [])
    assert sessions.get(db, counselor, couple_id, session_id)["agreement_ids"] == []


def test_homework_sends_each_partner_a_link_and_keeps_the_answers_with_the_session(
    db, counselor, couple_id, session_id
):
    issued = sessions.assign_homework(
        db, counselor, couple_id, session_id, "exercise_support_inventory"
    )
    assert len(issued) == 2 and {i.partner_name for i in issued} == {"Rachel", "Marcus"}
    assert sessions.get(db, counselor, couple_id, session_id)["homework"] == [
        "exercise_support_inventory"
    ]
    rachel = issued[0]
    links.save_answer(db, rachel.token, "support_now", "Covers the school run when I travel.")
    links.save_answer(db, rachel.token, "support_wished", "Ask about my launch.")
    links.submit(db, rachel.token)
    answers = sessions.homework_answers(db, counselor, couple_id, session_id)
    (given,) = answers["exercise_support_inventory"].values()
    assert given["answers"]["support_now"] == "Covers the school run when I travel."
    states = {
        r["partner_name"]: r["status"]
        for r in sessions.homework_links(db, counselor, couple_id, session_id)
    }
    assert states == {"Rachel": "submitted", "Marcus": "sent"}


def test_only_exercises_can_be_homework(db, counselor, couple_id, session_id):
    with pytest.raises(ValidationError):
        sessions.assign_homework(db, counselor, couple_id, session_id, "checkin")
    assert {e.id for e in sessions.exercises()} == {
        "exercise_career_history",
        "exercise_day_in_life",
        "exercise_opportunity_cost",
        "exercise_support_inventory",
    }


def test_removing_a_session_leaves_its_agreements_and_links(db, counselor, couple_id, session_id):
    aid = agreements.save(db, counselor, couple_id, {"title": "T", "body": "B"}).agreement_id
    sessions.set_discussed(db, counselor, couple_id, session_id, [aid], [])
    sessions.assign_homework(db, counselor, couple_id, session_id, "exercise_day_in_life")
    sessions.remove(db, counselor, couple_id, session_id)
    assert sessions.for_couple(db, counselor, couple_id) == []
    for table in ("session_agreements", "session_homework", "session_links"):
        assert rows(db, f"SELECT count(*) FROM {table}") == [(0,)]
    assert agreements.get(db, counselor, couple_id, aid)
    assert len(links.for_couple(db, counselor, couple_id)) == 2


def test_another_counselor_reaches_no_session(
    db, counselor, other_counselor, couple_id, session_id
):
    for call in (
        lambda: sessions.for_couple(db, other_counselor, couple_id),
        lambda: sessions.get(db, other_counselor, couple_id, session_id),
        lambda: sessions.update(db, other_counselor, couple_id, session_id, {"focus": "x"}),
        lambda: sessions.assign_homework(
            db, other_counselor, couple_id, session_id, "exercise_day_in_life"
        ),
        lambda: sessions.homework_answers(db, other_counselor, couple_id, session_id),
    ):
        with pytest.raises(NotFound):
            call()
    other = make_couple(db, other_counselor, "Ana", "Bo")
    with pytest.raises(NotFound):  # a session id of another couple is not found either
        sessions.get(db, other_counselor, other, session_id)


# -- roadmap -----------------------------------------------------------------------------------
def test_roadmap_lanes_hold_each_partner_the_two_of_them_and_dates_set_elsewhere(
    db, counselor, couple_id
):
    rachel, marcus = partners(db, couple_id)
    roadmap.add(
        db,
        counselor,
        couple_id,
        {"partner_id": rachel, "title": "Product lead", "starts_on": "2023-01-01"},
    )
    roadmap.add(
        db,
        counselor,
        couple_id,
        {"partner_id": marcus, "title": "Partner", "starts_on": "2026-09-01", "category": "career"},
    )
    roadmap.add(
        db,
        counselor,
        couple_id,
        {
            "partner_id": None,
            "category": "family",
            "title": "Visa ends",
            "starts_on": "2028-03-01",
            "ends_on": "2028-03-01",
        },
    )
    agreements.save(
        db,
        counselor,
        couple_id,
        {"title": "Turns", "body": "B", "status": "active", "review_on": "2027-05-01"},
    )
    did = decisions.create(db, counselor, couple_id, "Seattle")
    decisions.update(db, counselor, couple_id, did, {"deadline_on": "2026-12-15"})  # fmt: skip
    data = roadmap.timeline(db, counselor, couple_id, date(2026, 11, 22))
    frame = data["frame"]
    assert data["lanes"] == ["Rachel", "Marcus", "Together"]
    by_title = {r.title: r for r in frame.itertuples()}
    assert by_title["Product lead"].lane == "Rachel" and by_title["Product lead"].when == "Past"
    assert by_title["Visa ends"].lane == "Together" and by_title["Visa ends"].when == "Planned"
    assert "Review: Turns" in by_title and "Deadline: Seattle" in by_title


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"title": ""}, "title"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": "2019-01-01"}, "ends_on"),
        ({"category": "hobby"}, "category"),
        ({"partner_id": 999_999}, "partner_id"),
    ],
)
def test_roadmap_refuses_bad_events_by_field(db, counselor, couple_id, fields, bad):
    raw = {"title": "Starts school", "starts_on": "2020-01-01", **fields}
    with pytest.raises(ValidationError) as caught:
        roadmap.add(db, counselor, couple_id, raw)
    assert bad in caught.value.fields


def test_roadmap_update_and_remove_stay_inside_the_couple(db, counselor, couple_id):
    eid = roadmap.add(db, counselor, couple_id, {"title": "A", "starts_on": "2020-01-01"})
    roadmap.update(db, counselor, couple_id, eid, {"title": "B", "starts_on": "2021-01-01"})
    assert [e["title"] for e in roadmap.events(db, counselor, couple_id)] == ["B"]
    other = make_couple(db, counselor, "Ana", "Bo")
    with pytest.raises(NotFound):
        roadmap.update(db, counselor, other, eid, {"title": "C", "starts_on": "2021-01-01"})
    with pytest.raises(NotFound):
        roadmap.remove(db, counselor, other, eid)  # not theirs: nothing happens
    assert len(roadmap.events(db, counselor, couple_id)) == 1
    roadmap.remove(db, counselor, couple_id, eid)
    assert roadmap.events(db, counselor, couple_id) == []


def test_seasons_join_the_roadmap_when_the_seasons_table_has_rows(db, counselor, couple_id):
    if "seasons" not in db.tables():
        pytest.skip("the seasons table (migration 003) is not in this schema")
    rachel, _ = partners(db, couple_id)
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO seasons (couple_id, title, lead_partner_id, starts_on, ends_on, created_by,"
            " created_at, updated_at) VALUES ($c, 'Rachel leads', $p, DATE '2025-01-01', NULL, 1,"
            " now(), now())",
            {"c": couple_id, "p": rachel},
        )
    data = roadmap.timeline(db, counselor, couple_id, date(2026, 11, 22))
    (season,) = data["seasons"].to_dict("records")
    assert (season["lead"], season["title"], season["end"]) == (
        "Rachel",
        "Rachel leads",
        date(2026, 11, 22),
    )
