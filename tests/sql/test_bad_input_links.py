"""Bad input, the partner's side: what the questionnaire page saves and submits through a
private link (links.open_link / save_answer / my_answers / submit, and the decision matrix's
apply_form_answers inside submit), given nonsense answers, item ids and tokens.

Generated cases (sum of max_examples): answers 80 + tokens 30 + whole forms submitted 25 = 135.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from core import decisions, instruments, links
from core.errors import ValidationError
from tests.bad_input import (
    CAMPAIGN,
    TEN_MB,
    calm_or_stored,
    intact,
    mostly,
    nasty_number,
    nasty_value,
    snapshot,
    typed_text,
)
from tests.conftest import make_couple

FORMS = [i.id for i in instruments.all_instruments()]
ANSWER_TABLES = ("answers", "links", "checkins", "decision_weights", "decision_scores")


def no_sleep(_seconds: float) -> None:
    """Bad tokens slow a client down on purpose; not in a test that sends many."""


def valid_answer(item: instruments.Item) -> st.SearchStrategy:
    """An answer the form's widget could give for this item."""
    values = [o.value for o in item.options]
    if item.type in (instruments.SCALE, instruments.SINGLE):
        return st.sampled_from(values)
    if item.type == instruments.MULTI:
        return st.lists(st.sampled_from(values), unique=True, max_size=item.max_choices or 3)
    if item.type in (instruments.SLIDER, instruments.NUMBER, instruments.SPLIT):
        steps = int(round((item.max - item.min) / item.step))
        return st.integers(0, steps).map(lambda n: item.min + n * item.step)
    if item.type == instruments.YES_NO:
        return st.one_of(st.booleans(), st.sampled_from(["yes", "No "]))
    return typed_text


def any_answer(item: instruments.Item) -> st.SearchStrategy:
    return mostly(valid_answer(item), st.one_of(nasty_value, nasty_number), one_in=3)


@pytest.fixture
def setup(db, counselor, other_counselor, couple_id):
    """Counselor A's couple with a decision matrix; the other counselor's couple has answers
    that no example may touch."""
    first, second = (p["id"] for p in db.all("couples/partners", couple_id=couple_id))
    did = decisions.create(db, counselor, couple_id, "Offer in Seattle")
    for label in ("Stay", "Move"):
        decisions.add_option(db, counselor, couple_id, did, label)
    for label in ("Salary", "Family"):
        decisions.add_factor(db, counselor, couple_id, did, label)
    theirs = make_couple(db, other_counselor, "Other", "Couple")
    their_partner = db.all("couples/partners", couple_id=theirs)[0]["id"]
    their_link = links.issue(db, other_counselor, theirs, their_partner, "csi4")
    links.save_answer(db, their_link.token, "csi4_happiness", 3)
    return {"couple": couple_id, "partners": (first, second), "decision": did}


def new_link(db, counselor, setup, form: str) -> links.Issued:
    couple, (partner, _) = setup["couple"], setup["partners"]
    if form == links.DECISION_FORM:
        return links.issue_decision_form(db, counselor, couple, partner, setup["decision"])
    return links.issue(db, counselor, couple, partner, form)


@st.composite
def form_item_value(draw):
    form = draw(st.sampled_from([*FORMS, links.DECISION_FORM]))
    return form, draw(st.integers(0, 10**6)), draw(st.integers(0, 2))


@settings(CAMPAIGN, max_examples=80)
@given(pick=form_item_value(), data=st.data())
def test_an_answer_is_stored_cleaned_or_refused_and_reads_back(db, counselor, setup, pick, data):
    form_id, n, _ = pick
    link = new_link(db, counselor, setup, form_id)
    form = links.form_of(db, links.open_link(db, link.token, "test"))
    item = form.items[n % len(form.items)]
    item_id = data.draw(mostly(st.just(item.id), st.one_of(nasty_value, typed_text)))
    value = data.draw(any_answer(item))
    before = snapshot(db, ANSWER_TABLES)
    with calm_or_stored() as refused:
        stored = links.save_answer(db, link.token, item_id, value)
    if refused:
        assert isinstance(refused[0], ValidationError)
        assert snapshot(db, ANSWER_TABLES) == before
        return
    saved = links.my_answers(db, link.token)
    assert saved.get(item_id) == stored  # what the partner sees again is what was stored
    assert stored is None or instruments.validate_answer(form.item(item_id), stored) == stored
    intact(
        before,
        snapshot(db, ANSWER_TABLES),
        lambda table, row: table == "links" or row.get("link_id") == link.link_id,
    )


@pytest.mark.parametrize("form_id", ["intake", "exercise_day_in_life"])
def test_a_ten_megabyte_answer_is_refused_and_stores_nothing(db, counselor, setup, form_id):
    link = new_link(db, counselor, setup, form_id)
    item = next(i for i in instruments.load(form_id).items if i.type == instruments.LONG_TEXT)
    before = snapshot(db, ANSWER_TABLES)
    with pytest.raises(ValidationError, match="too long"):
        links.save_answer(db, link.token, item.id, TEN_MB)
    assert snapshot(db, ANSWER_TABLES) == before


@settings(CAMPAIGN, max_examples=30)
@given(
    token=st.one_of(
        nasty_value,
        st.text(st.characters(codec="ascii"), min_size=43, max_size=43),
        st.sampled_from(["", " ", "x" * 43, "%00" * 15, "t=1&t=2", "a" * 100_000, "é" * 43]),
    )
)
def test_a_nonsense_token_opens_nothing_and_changes_nothing(db, counselor, setup, token):
    before = snapshot(db, ("answers", "decision_weights", "checkins"))
    for call in (
        lambda: links.open_link(db, token, "203.0.113.5", sleep=no_sleep),
        lambda: links.my_answers(db, token),
        lambda: links.save_answer(db, token, "csi4_happiness", 3),
        lambda: links.submit(db, token),
    ):
        with pytest.raises(links.LinkUnavailable):
            call()
    assert snapshot(db, ("answers", "decision_weights", "checkins")) == before


@settings(CAMPAIGN, max_examples=25)
@given(form_id=st.sampled_from([*FORMS, links.DECISION_FORM, links.DECISION_FORM]), data=st.data())
def test_a_whole_form_given_nonsense_is_submitted_clean_or_not_at_all(
    db, counselor, setup, form_id, data
):
    link = new_link(db, counselor, setup, form_id)
    form = links.form_of(db, links.open_link(db, link.token, "test"))
    given_answers = {}
    for item in form.items:
        if not item.required and data.draw(st.integers(0, 3)):
            continue  # most optional questions left blank: keeps each example quick
        value = data.draw(mostly(valid_answer(item), st.one_of(nasty_value, nasty_number), 8))
        with calm_or_stored() as refused:
            given_answers[item.id] = links.save_answer(db, link.token, item.id, value)
    before = snapshot(db, ANSWER_TABLES)
    with calm_or_stored() as refused:
        done = links.submit(db, link.token)
    event(f"{form_id} {'not sent: an answer missing' if refused else 'sent'}")
    if refused:
        assert isinstance(refused[0], ValidationError)  # a required answer is missing
        assert set(refused[0].fields) <= {i.id for i in form.items if i.required}
        assert snapshot(db, ANSWER_TABLES) == before
        return
    assert done is True and links.submit(db, link.token) is False  # a second tap is harmless
    stored = links._answers(db, link.link_id)
    assert instruments.clean_answers(form, stored) == stored
    if form_id == links.DECISION_FORM:
        m = decisions.matrix(db, counselor, setup["couple"], setup["decision"])
        partner = setup["partners"][0]
        for f in m.factors:
            assert m.weights[(f["id"], partner)] == stored[f"w_{f['id']}"]
        for value in (*m.weights.values(), *m.scores.values()):
            assert type(value) is int and 1 <= value <= 10
    if form_id == "checkin":
        (row,) = [
            r for r in snapshot(db, ("checkins",))["checkins"] if r["link_id"] == link.link_id
        ]
        for column in ("csi_total", "load_share", "success_mean"):
            assert row[column] is None or math.isfinite(row[column])
