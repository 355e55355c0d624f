"""Decisions in storage: options, factors, both partners' grids, and the matrix partner link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import decisions, links
from core.clock import utcnow
from core.errors import Conflict, NotFound, ValidationError
from tests.conftest import make_couple, rows


@pytest.fixture
def decision(db, counselor, couple_id):
    """A decision with two options and two factors: (decision id, option ids, factor ids)."""
    did = decisions.create(db, counselor, couple_id, "Offer in Seattle", "relocation")
    options = [decisions.add_option(db, counselor, couple_id, did, x) for x in ("Stay", "Move")]
    factors = [decisions.add_factor(db, counselor, couple_id, did, x) for x in ("Pay", "Family")]
    return did, options, factors


def partners(db, couple_id):
    return [p["id"] for p in db.all("couples/partners", couple_id=couple_id)]


def test_the_framework_fields_round_trip(db, counselor, couple_id, decision):
    did, (stay, move), _ = decision
    today = utcnow().date()  # dates after the record was opened (a deadline before is refused)
    deadline, decided, follow_up = (today + timedelta(days=n) for n in (53, 48, 282))
    decisions.update(
        db, counselor, couple_id, did,
        {"facts": "20% more pay.", "deadline_on": deadline.isoformat(), "urgency": "movable",
         "chosen_option_id": move, "decided_on": decided.isoformat(), "status": "decided",
         "outcome": "We move in the summer.", "follow_up_on": follow_up.isoformat()},
    )  # fmt: skip
    d = decisions.get(db, counselor, couple_id, did)
    assert (d["urgency"], d["chosen_option_id"], d["status"]) == ("movable", move, "decided")
    assert d["follow_up_on"] == follow_up


def test_a_deadline_before_the_record_or_a_follow_up_before_the_decision_is_refused(
    db, counselor, couple_id, decision
):
    did, _, _ = decision
    today = utcnow().date()
    with pytest.raises(ValidationError) as refused:
        decisions.update(
            db, counselor, couple_id, did, {"deadline_on": today - timedelta(days=2500)}
        )
    assert "before this record was opened" in refused.value.fields["deadline_on"]
    with pytest.raises(ValidationError) as refused:
        decisions.update(
            db,
            counselor,
            couple_id,
            did,
            {"decided_on": today, "follow_up_on": today - timedelta(days=30)},
        )
    assert "before the decision" in refused.value.fields["follow_up_on"]
    with pytest.raises(ValidationError) as refused:  # undecided: not before the record
        decisions.update(db, counselor, couple_id, did, {"follow_up_on": today - timedelta(days=2)})
    assert "before this record" in refused.value.fields["follow_up_on"]
    stored = decisions.get(db, counselor, couple_id, did)
    assert (stored["deadline_on"], stored["decided_on"], stored["follow_up_on"]) == (None,) * 3
    # A decision recorded after the event may be dated before the record; its follow-up after it.
    decided = today - timedelta(days=40)
    decisions.update(
        db,
        counselor,
        couple_id,
        did,
        {"decided_on": decided, "follow_up_on": decided + timedelta(days=90)},
    )
    assert decisions.get(db, counselor, couple_id, did)["decided_on"] == decided


def test_a_save_from_an_older_form_is_refused_and_writes_nothing(
    db, counselor, couple_id, decision
):
    """Two tabs drew the decision; the second save must not replace the first's outcome."""
    did = decision[0]
    drawn = decisions.get(db, counselor, couple_id, did)["updated_at"]
    decisions.update(db, counselor, couple_id, did, {"outcome": "Tab A."}, seen=drawn)
    # Options and factors added meanwhile do not count as a change of the decision's form.
    decisions.add_option(db, counselor, couple_id, did, "Commute")
    now = decisions.get(db, counselor, couple_id, did)["updated_at"]
    with pytest.raises(Conflict, match="changed somewhere else"):
        decisions.update(db, counselor, couple_id, did, {"facts": "Tab B."}, seen=drawn)
    d = decisions.get(db, counselor, couple_id, did)
    assert (d["outcome"], d["facts"]) == ("Tab A.", "")
    decisions.update(db, counselor, couple_id, did, {"facts": "Tab B."}, seen=now)
    assert decisions.get(db, counselor, couple_id, did)["facts"] == "Tab B."


def test_the_same_fields_sent_again_are_not_a_conflict(db, counselor, couple_id, decision):
    """A double-click on Save: the second half finds its own fields stored, not refused."""
    did = decision[0]
    drawn = decisions.get(db, counselor, couple_id, did)["updated_at"]
    decisions.update(db, counselor, couple_id, did, {"outcome": "Tab A."}, seen=drawn)
    saved = decisions.get(db, counselor, couple_id, did)["updated_at"]
    decisions.update(db, counselor, couple_id, did, {"outcome": "Tab A."}, seen=drawn)
    assert decisions.get(db, counselor, couple_id, did)["updated_at"] == saved
    with pytest.raises(Conflict):
        decisions.update(db, counselor, couple_id, did, {"outcome": "Tab B."}, seen=drawn)


def test_the_chosen_option_must_belong_to_the_decision(db, counselor, couple_id, decision):
    did = decision[0]
    other = decisions.create(db, counselor, couple_id, "Another")
    foreign = decisions.add_option(db, counselor, couple_id, other, "Elsewhere")
    with pytest.raises(ValidationError) as caught:
        decisions.update(db, counselor, couple_id, did, {"chosen_option_id": foreign})
    assert "chosen_option_id" in caught.value.fields


def test_an_option_keeps_its_week_careers_long_view_money_and_vetoes(
    db, counselor, couple_id, decision
):
    did, (stay, move), _ = decision
    decisions.update_option(
        db, counselor, couple_id, did, move,
        {"week": "Flights on Mondays.", "impact_1": "Leads a team.", "impact_2": "Starts over.",
         "view_1y": "Hard", "view_5y": "Settled", "view_10y": "Glad",
         "income_1": "9,400", "income_2": 12000, "costs": 9000, "cost_of_living": 12,
         "one_off": 18000, "veto_2": True, "veto_need_2": "being near my mother"},
    )  # fmt: skip
    (o,) = [x for x in decisions.options(db, counselor, couple_id, did) if x["id"] == move]
    assert (o["week"], o["veto_2"], o["veto_need_2"]) == (
        "Flights on Mondays.",
        True,
        "being near my mother",
    )
    m = decisions.money(o)
    # 9,400 + 12,000 - 9,000 x 1.12 = 21,400 - 10,080 = 11,320
    assert m.monthly_net == pytest.approx(11320)


def test_a_new_option_starts_with_the_household_costs_today_of_the_last_one_that_has_them(
    db, counselor, couple_id, decision
):
    did, (stay, move), _ = decision
    first = decisions.add_option(db, counselor, couple_id, did, "Commute")
    decisions.update_option(db, counselor, couple_id, did, stay, {"costs": 4200})
    decisions.update_option(db, counselor, couple_id, did, move, {"income_1": 5000})
    later = decisions.add_option(db, counselor, couple_id, did, "Remote")
    costs = {o["id"]: o["costs"] for o in decisions.options(db, counselor, couple_id, did)}
    # Added before any costs were entered: none; added after: the last option's that has them.
    assert (costs[first], costs[move], costs[later]) == (None, None, 4200)


def test_an_option_name_is_used_once_per_decision(db, counselor, couple_id, decision):
    """Two options of one name were drawn as one bar of both totals stacked (walkthrough)."""
    did, (stay, move), _ = decision
    for typed in ("Stay", "  stay ", "STAY"):
        with pytest.raises(ValidationError) as caught:
            decisions.add_option(db, counselor, couple_id, did, typed)
        assert caught.value.fields["label"].startswith("There is already an option named")
    with pytest.raises(ValidationError) as caught:
        decisions.update_option(db, counselor, couple_id, did, move, {"label": "stay"})
    assert "label" in caught.value.fields
    # Its own name, or a new one, is fine; the other decision's options are not in the way.
    decisions.update_option(db, counselor, couple_id, did, stay, {"label": "Stay", "week": "x"})
    decisions.update_option(db, counselor, couple_id, did, move, {"label": "Move to Lisbon"})
    other = decisions.create(db, counselor, couple_id, "Second move", "relocation")
    decisions.add_option(db, counselor, couple_id, other, "Stay")
    labels = [o["label"] for o in decisions.options(db, counselor, couple_id, did)]
    assert labels == ["Stay", "Move to Lisbon"]


def test_an_options_bad_fields_are_named_as_the_page_names_them(db, counselor, couple_id, decision):
    did, (stay, _), _ = decision
    with pytest.raises(ValidationError) as caught:
        decisions.update_option(
            db, counselor, couple_id, did, stay,
            {"income_1": 10**9, "costs": -1, "week": "w" * 20_000},
        )  # fmt: skip
    fields = caught.value.fields
    assert fields["income_1"] == "Rachel's income must be between 0 and 10,000,000."
    assert fields["costs"] == "Household costs today must be between 0 and 10,000,000."
    assert fields["week"].startswith("A concrete week in this option is too long (20,000")
    with pytest.raises(ValidationError) as caught:
        decisions.update(db, counselor, couple_id, did, {"facts": "f" * 20_000})
    assert caught.value.fields["facts"].startswith("The facts gathered is too long")


def test_a_decided_record_says_what_was_decided(db, counselor, couple_id, decision):
    did, (stay, _), _ = decision
    with pytest.raises(ValidationError) as caught:
        decisions.update(db, counselor, couple_id, did, {"status": "decided"})
    assert "Marked as decided" in caught.value.fields["outcome"]
    decisions.update(
        db, counselor, couple_id, did, {"status": "decided", "outcome": "Neither: they wait."}
    )
    decisions.update(
        db,
        counselor,
        couple_id,
        did,
        {"status": "decided", "outcome": "", "chosen_option_id": stay},
    )


def test_an_option_chosen_on_an_open_record_is_refused_until_it_is_marked_decided(
    db, counselor, couple_id, decision
):
    did, (stay, _), _ = decision
    with pytest.raises(ValidationError) as caught:
        decisions.update(
            db, counselor, couple_id, did, {"status": "open", "chosen_option_id": stay}
        )
    assert "the status is still Open" in caught.value.fields["status"]
    assert decisions.get(db, counselor, couple_id, did)["chosen_option_id"] is None  # not saved
    decisions.update(db, counselor, couple_id, did, {"status": "open", "outcome": "Leaning: stay."})
    decisions.update(db, counselor, couple_id, did, {"status": "decided", "chosen_option_id": stay})
    assert decisions.get(db, counselor, couple_id, did)["chosen_option_id"] == stay


def test_a_veto_must_name_the_core_need(db, counselor, couple_id, decision):
    did, (stay, _), _ = decision
    with pytest.raises(ValidationError) as caught:
        decisions.update_option(db, counselor, couple_id, did, stay, {"veto_1": True})
    assert "veto_need_1" in caught.value.fields


def test_grids_give_the_hand_worked_totals_and_removing_a_factor_clears_its_cells(
    db, counselor, couple_id, decision
):
    did, (stay, move), (pay, family) = decision
    a, b = partners(db, couple_id)
    decisions.save_partner_grid(
        db, counselor, couple_id, did, a, {pay: 5, family: 9},
        {(pay, stay): 6, (family, stay): 8, (pay, move): 9, (family, move): 2},
    )  # fmt: skip
    decisions.save_partner_grid(
        db, counselor, couple_id, did, b, {pay: 8, family: 3},
        {(pay, stay): 7, (family, stay): 8, (pay, move): 9, (family, move): 3},
    )  # fmt: skip
    res = {
        r.option_id: r for r in decisions.results(decisions.matrix(db, counselor, couple_id, did))
    }
    # a: stay 5*6 + 9*8 = 102, move 5*9 + 9*2 = 63 (weights 14); b: stay 56 + 24 = 80, move 72 + 9 = 81 (11)
    assert [res[stay].by_partner[a].points, res[move].by_partner[a].points] == [102, 63]
    assert [res[stay].by_partner[b].points, res[move].by_partner[b].points] == [80, 81]
    assert res[stay].together == pytest.approx((102 / 14 + 80 / 11) / 2)

    decisions.remove_factor(db, counselor, couple_id, did, family)
    m = decisions.matrix(db, counselor, couple_id, did)
    assert [f["id"] for f in m.factors] == [pay]
    assert all(k[0] == pay for k in [*m.weights, *m.scores])
    decisions.remove_option(db, counselor, couple_id, did, move)
    assert rows(db, "SELECT count(*) FROM decision_scores WHERE option_id = $o", o=move) == [(0,)]


def test_a_blank_cell_clears_a_grade(db, counselor, couple_id, decision):
    did, (stay, _), (pay, _) = decision
    a, _ = partners(db, couple_id)
    decisions.save_partner_grid(db, counselor, couple_id, did, a, {pay: 5}, {(pay, stay): 6})
    decisions.save_partner_grid(db, counselor, couple_id, did, a, {pay: None}, {(pay, stay): ""})
    m = decisions.matrix(db, counselor, couple_id, did)
    assert not m.weights and not m.scores


def test_a_grid_for_someone_elses_partner_or_factor_is_refused(db, counselor, couple_id, decision):
    did, (stay, _), (pay, _) = decision
    other = make_couple(db, counselor, "Ana", "Bo")
    stranger = partners(db, other)[0]
    with pytest.raises(NotFound):
        decisions.save_partner_grid(db, counselor, couple_id, did, stranger, {pay: 5}, {})
    with pytest.raises(NotFound):
        decisions.save_partner_grid(
            db, counselor, couple_id, did, partners(db, couple_id)[0], {999: 5}, {}
        )


def test_another_counselor_reaches_nothing(db, counselor, other_counselor, couple_id, decision):
    did, (stay, _), (pay, _) = decision
    for call in (
        lambda: decisions.get(db, other_counselor, couple_id, did),
        lambda: decisions.for_couple(db, other_counselor, couple_id),
        lambda: decisions.matrix(db, other_counselor, couple_id, did),
        lambda: decisions.add_option(db, other_counselor, couple_id, did, "Mine"),
        lambda: decisions.update(db, other_counselor, couple_id, did, {"title": "Mine"}),
        lambda: decisions.remove_factor(db, other_counselor, couple_id, did, pay),
        lambda: links.issue_decision_form(
            db, other_counselor, couple_id, partners(db, couple_id)[0], did
        ),
    ):
        with pytest.raises(NotFound):
            call()


# -- the partner's matrix link --------------------------------------------------------------
def test_a_partner_fills_the_matrix_through_a_private_link(db, counselor, couple_id, decision):
    did, (stay, move), (pay, family) = decision
    a, b = partners(db, couple_id)
    issued = links.issue_decision_form(db, counselor, couple_id, a, did)
    assert issued.instrument_title == "Weighing up: Offer in Seattle"
    link = links.open_link(db, issued.token)
    assert (link.instrument_id, link.decision_id, link.partner_id) == ("decision_matrix", did, a)
    form = links.form_of(db, link)
    assert [s.id for s in form.sections] == ["weights", f"option_{stay}", f"option_{move}"]
    assert "compared" in form.intro  # the partner is told these numbers are not private
    answers = {f"w_{pay}": 5, f"w_{family}": 9, f"s_{stay}_{pay}": 6, f"s_{stay}_{family}": 8,
               f"s_{move}_{pay}": 9, f"s_{move}_{family}": 2}  # fmt: skip
    for item_id, value in list(answers.items())[:-1]:
        links.save_answer(db, issued.token, item_id, value)
    with pytest.raises(ValidationError):  # every cell is asked for
        links.submit(db, issued.token)
    links.save_answer(db, issued.token, f"s_{move}_{family}", 2)
    with pytest.raises(ValidationError):
        links.save_answer(db, issued.token, f"w_{pay}", 11)
    assert links.submit(db, issued.token) is True

    m = decisions.matrix(db, counselor, couple_id, did)
    assert m.weights == {(pay, a): 5, (family, a): 9}
    assert m.scores[(family, move, a)] == 2
    assert not any(k[1] == b for k in m.weights)  # the other partner's cells are untouched
    assert rows(db, "SELECT DISTINCT source FROM decision_weights") == [("link",)]


def test_a_sent_matrix_link_says_sent_after_its_matrix_is_emptied(
    db, counselor, couple_id, decision
):
    """A partner's later tap on a sent matrix form hears "already sent", whether or not the
    server still keeps the link from the partner's earlier saves (links._known_link), even once
    the counselor has taken every option off the matrix."""
    did, options, (pay, family) = decision
    a, _b = partners(db, couple_id)
    issued = links.issue_decision_form(db, counselor, couple_id, a, did)
    form = links.form_of(db, links.open_link(db, issued.token))
    for item in form.items:
        links.save_answer(db, issued.token, item.id, 5)
    assert links.submit(db, issued.token) is True
    for option in options:
        decisions.remove_option(db, counselor, couple_id, did, option)
    for _ in range(2):  # kept, then looked up afresh
        with pytest.raises(links.AlreadySubmitted):
            links.save_answer(db, issued.token, f"w_{pay}", 3)


def test_matrix_links_for_two_decisions_do_not_replace_each_other(
    db, counselor, couple_id, decision
):
    did = decision[0]
    other = decisions.create(db, counselor, couple_id, "Part-time?", "hours")
    decisions.add_option(db, counselor, couple_id, other, "Four days")
    decisions.add_factor(db, counselor, couple_id, other, "Time with our child")
    a = partners(db, couple_id)[0]
    first = links.issue_decision_form(db, counselor, couple_id, a, did)
    links.issue_decision_form(db, counselor, couple_id, a, other)
    links.issue(db, counselor, couple_id, a, "csi4")
    assert links.open_link(db, first.token).decision_id == did
    again = links.issue_decision_form(db, counselor, couple_id, a, did)
    with pytest.raises(links.LinkUnavailable):
        links.open_link(db, first.token)  # re-sending the same decision replaces it
    assert links.open_link(db, again.token).decision_id == did


def test_a_matrix_needs_a_factor_and_an_option_before_it_is_sent(db, counselor, couple_id):
    did = decisions.create(db, counselor, couple_id, "Empty")
    with pytest.raises(ValidationError):
        links.issue_decision_form(db, counselor, couple_id, partners(db, couple_id)[0], did)


def test_a_decision_form_is_not_a_questionnaire(db, counselor, couple_id):
    with pytest.raises(ValidationError):
        links.issue(db, counselor, couple_id, partners(db, couple_id)[0], "decision_matrix")


def test_factor_labels_are_escaped_in_the_partners_form(db, counselor, couple_id, decision):
    did = decision[0]
    decisions.add_factor(db, counselor, couple_id, did, "[Pay](https://evil.example)")
    form = decisions.matrix_form(db, counselor, couple_id, did)
    assert "\\[Pay\\]\\(https\\:" in form.item(form.sections[0].items[-1].id).prompt


def test_option_labels_are_escaped_in_the_partners_form(db, counselor, couple_id, decision):
    """An option's heading on the partner's page showed a counselor-typed link as a link."""
    did = decision[0]
    decisions.add_option(db, counselor, couple_id, did, "[Go](https://evil.example) **now**")
    form = decisions.matrix_form(db, counselor, couple_id, did)
    title = form.sections[-1].title
    assert title.startswith("Option: \\[Go\\]\\(https\\:\u2060//") and "\\*\\*now\\*\\*" in title


def test_every_bad_matrix_cell_is_named_and_nothing_is_saved(db, counselor, couple_id, decision):
    """One 11 among twenty cells said only "Use a whole number from 1 to 10"."""
    did, (stay, move), (pay, family) = decision
    a = partners(db, couple_id)[0]
    with pytest.raises(ValidationError) as caught:
        decisions.save_partner_grid(
            db,
            counselor,
            couple_id,
            did,
            a,
            {pay: 11, family: 5},
            {(family, move): 0, (pay, stay): 4},
        )
    assert sorted(caught.value.fields.values()) == [
        "Move on Family: use a whole number from 1 to 10.",
        "Weight of Pay: use a whole number from 1 to 10.",
    ]
    m = decisions.matrix(db, counselor, couple_id, did)
    assert not m.weights and not m.scores


def test_the_records_opening_is_dated_on_the_counselors_clock(db, counselor, couple_id, decision):
    """Opened at 08:50 on 24 Nov in Sydney, which is 21:50 on the 23rd in UTC: the message
    named the UTC day (review helper's finding)."""
    from datetime import date, datetime

    did, _, _ = decision
    rows(
        db,
        "UPDATE decisions SET created_at = $t WHERE id = $id",
        t=datetime(2026, 11, 23, 21, 50),
        id=did,
    )
    for zone, opened in (("Australia/Sydney", "24 Nov 2026"), (None, "23 Nov 2026")):
        with pytest.raises(ValidationError) as refused:
            decisions.update(
                db, counselor, couple_id, did, {"deadline_on": date(2020, 1, 1)}, zone=zone
            )
        assert f"before this record was opened ({opened})" in refused.value.fields["deadline_on"]
