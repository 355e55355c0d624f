"""Agreements: every edit is a new version, history and diffs read back, reviews come due."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core import agreements
from core.clock import utcnow
from core.errors import Conflict, NotFound, ValidationError
from tests.conftest import make_couple, rows

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 0)


def raw(**fields):
    return {"title": "Taking turns", "body": "We alternate who leads.", "kind": "turns", **fields}


def test_a_new_agreement_starts_at_version_one(db, counselor, couple_id):
    saved = agreements.save(db, counselor, couple_id, raw(), now=NOW)
    assert (saved.version, saved.changed) == (1, True)
    current = agreements.get(db, counselor, couple_id, saved.agreement_id)
    assert (current["title"], current["status"], current["version"]) == ("Taking turns", "draft", 1)


def test_every_edit_keeps_the_earlier_version(db, counselor, couple_id):
    first = agreements.save(db, counselor, couple_id, raw(), now=NOW)
    aid = first.agreement_id
    second = agreements.save(
        db, counselor, couple_id, raw(body="We alternate who leads, every two years.",
                                      status="active", change_note="Two-year turns"),
        agreement_id=aid, now=NOW,
    )  # fmt: skip
    third = agreements.save(
        db, counselor, couple_id, raw(body="We alternate who leads, every three years.",
                                      status="active"),
        agreement_id=aid, now=NOW,
    )  # fmt: skip
    assert (second.version, third.version) == (2, 3)
    history = agreements.history(db, counselor, couple_id, aid)
    assert [v["body"] for v in history] == [
        "We alternate who leads.",
        "We alternate who leads, every two years.",
        "We alternate who leads, every three years.",
    ]
    assert history[1]["change_note"] == "Two-year turns"
    assert history[0]["edited_by_name"] == "Alex"
    changed = {c.field: c for c in agreements.changes(history[1], history[2])}
    assert set(changed) == {"body"}
    assert ("delete", "two") in changed["body"].words and ("insert", "three") in changed[
        "body"
    ].words
    # The list shows one row per agreement: its newest version.
    (listed,) = agreements.for_couple(db, counselor, couple_id)
    assert listed["version"] == 3


def test_a_version_drawn_from_an_older_one_is_refused_and_writes_nothing(db, counselor, couple_id):
    """Two tabs: both drew version 1; the first saved version 2; the second must not undo it."""
    aid = agreements.save(db, counselor, couple_id, raw(), now=NOW).agreement_id
    agreements.save(db, counselor, couple_id, raw(body="Marcus leads in spring."), aid, NOW, 1)
    with pytest.raises(Conflict, match="changed somewhere else"):
        agreements.save(db, counselor, couple_id, raw(exit_plan="Review at Easter."), aid, NOW, 1)
    current = agreements.get(db, counselor, couple_id, aid)
    assert (current["version"], current["body"]) == (2, "Marcus leads in spring.")
    # The stale form sent again unchanged: nothing to save, nothing refused.
    assert not agreements.save(db, counselor, couple_id, raw(), aid, NOW, 1).changed
    saved = agreements.save(db, counselor, couple_id, raw(exit_plan="Easter."), aid, NOW, 2)
    assert (saved.version, saved.changed) == (3, True)


def test_saving_without_a_change_makes_no_version(db, counselor, couple_id):
    first = agreements.save(db, counselor, couple_id, raw(), now=NOW)
    again = agreements.save(
        db, counselor, couple_id, raw(change_note="just looking"), agreement_id=first.agreement_id
    )
    assert (again.version, again.changed) == (1, False)
    assert rows(db, "SELECT count(*) FROM agreement_versions")[0][0] == 1


def test_a_trial_needs_an_exit_plan_and_a_review_date(db, counselor, couple_id):
    with pytest.raises(ValidationError) as caught:
        agreements.save(db, counselor, couple_id, raw(kind="trial"))
    assert {"exit_plan", "review_on"} <= set(caught.value.fields)
    ok = agreements.save(
        db, counselor, couple_id,
        raw(kind="trial", exit_plan="Either of us can end it at the review.", review_on="2027-06-01"),
    )  # fmt: skip
    assert agreements.get(db, counselor, couple_id, ok.agreement_id)["review_on"] == date(
        2027, 6, 1
    )


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"title": ""}, "title"),
        ({"body": "   "}, "body"),
        ({"kind": "legal"}, "kind"),
        ({"status": "signed"}, "status"),
        ({"review_on": "next spring"}, "review_on"),
        ({"confirmed_on": (utcnow().date() + timedelta(days=2)).isoformat()}, "confirmed_on"),
        ({"title": "x" * 201}, "title"),
        ({"confirmed_on": "2026-11-01", "review_on": "2020-01-01"}, "review_on"),  # walkthrough
    ],
)
def test_bad_fields_are_refused_by_name(db, counselor, couple_id, fields, bad):
    with pytest.raises(ValidationError) as caught:
        agreements.save(db, counselor, couple_id, raw(**fields), now=NOW)
    assert bad in caught.value.fields


def test_a_confirmation_dated_tomorrow_in_utc_is_today_east_of_it(db, counselor, couple_id):
    """A Sydney counselor's morning session is still yesterday on the server's UTC clock: her
    "confirmed today" was refused as a day that has not come (walkthrough, 2026-11-23)."""
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    saved = agreements.save(db, counselor, couple_id, raw(confirmed_on=tomorrow))
    row = agreements.get(db, counselor, couple_id, saved.agreement_id)
    assert row["confirmed_on"].isoformat() == tomorrow


def test_a_today_later_than_anywhere_on_earth_does_not_widen_what_is_accepted(
    db, counselor, couple_id
):
    """core takes the counselor's date from the page, but no later than UTC's tomorrow: a
    wrong one cannot let in a confirmation dated in the future (found in review)."""
    far = utcnow().date() + timedelta(days=400)
    in_a_month = (utcnow().date() + timedelta(days=30)).isoformat()
    with pytest.raises(ValidationError) as caught:
        agreements.save(db, counselor, couple_id, raw(confirmed_on=in_a_month), today=far)
    assert "confirmed_on" in caught.value.fields


def test_another_counselor_cannot_read_or_edit(db, counselor, other_counselor, couple_id):
    saved = agreements.save(db, counselor, couple_id, raw())
    for call in (
        lambda: agreements.for_couple(db, other_counselor, couple_id),
        lambda: agreements.get(db, other_counselor, couple_id, saved.agreement_id),
        lambda: agreements.history(db, other_counselor, couple_id, saved.agreement_id),
        lambda: agreements.save(db, other_counselor, couple_id, raw(), saved.agreement_id),
    ):
        with pytest.raises(NotFound):
            call()


def test_an_agreement_id_from_another_couple_is_not_found(db, counselor, couple_id):
    other = make_couple(db, counselor, "Ana", "Bo")
    theirs = agreements.save(db, counselor, other, raw())
    with pytest.raises(NotFound):
        agreements.save(
            db, counselor, couple_id, raw(body="hijack"), agreement_id=theirs.agreement_id
        )
    assert agreements.get(db, counselor, other, theirs.agreement_id)["body"] == raw()["body"]
