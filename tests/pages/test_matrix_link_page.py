"""A partner's matrix link opens the decision's generated form on the public page."""

from __future__ import annotations

import pytest

from core import decisions, links
from tests.pages.conftest import fake_client, visible_text
from tests.pages.test_partner_page import key, open_page


@pytest.fixture(autouse=True)
def _client_address(monkeypatch):
    """A real-looking client address (AppTest's runtime context is a mock)."""
    fake_client(monkeypatch, "203.0.113.9")


def test_a_matrix_link_walks_the_partner_through_weights_then_options(
    db, db_path, counselor, couple_id
):
    did = decisions.create(db, counselor, couple_id, "Offer in Seattle")
    stay = decisions.add_option(db, counselor, couple_id, did, "Stay")
    pay = decisions.add_factor(db, counselor, couple_id, did, "Pay")
    marcus = db.all("couples/partners", couple_id=couple_id)[1]["id"]
    issued = links.issue_decision_form(db, counselor, couple_id, marcus, did)
    token = issued.token

    at = open_page(db_path, token)
    text = visible_text(at)
    assert "Weighing up: Offer in Seattle" in text and "Hello Marcus." in text
    assert "Rachel" not in text
    at.button(key=key(token, "start")).click().run()
    assert "What matters to you" in visible_text(at)
    at.button_group(key=key(token, f"a.w_{pay}")).set_value(7).run()
    at.button(key=key(token, "next")).click().run()
    assert "Option: Stay" in visible_text(at)
    at.button_group(key=key(token, f"a.s_{stay}_{pay}")).set_value(3).run()
    at.button(key=key(token, "next")).click().run()
    assert not at.exception
    m = decisions.matrix(db, counselor, couple_id, did)
    assert m.weights == {(pay, marcus): 7} and m.scores == {(pay, stay, marcus): 3}


def test_a_matrix_emptied_after_the_link_was_sent_shows_the_calm_message(
    db, db_path, counselor, couple_id
):
    did = decisions.create(db, counselor, couple_id, "Offer in Seattle")
    stay = decisions.add_option(db, counselor, couple_id, did, "Stay")
    pay = decisions.add_factor(db, counselor, couple_id, did, "Pay")
    marcus = db.all("couples/partners", couple_id=couple_id)[1]["id"]
    token = links.issue_decision_form(db, counselor, couple_id, marcus, did).token
    decisions.remove_option(db, counselor, couple_id, did, stay)
    decisions.remove_factor(db, counselor, couple_id, did, pay)

    at = open_page(db_path, token)  # asserts no exception
    assert links.LinkUnavailable.MESSAGE in visible_text(at)
    assert not at.button


def test_the_tick_names_a_counselors_factor_as_its_label_does_and_a_second_tap_says_removed(
    db, db_path, counselor, couple_id
):
    """A factor's name is escaped once, for its label; the tick escaped it again and showed
    "Work\\-life balance". Tapping the chosen number again takes the answer back: the tick
    said "Saved" for an answer that was gone."""
    did = decisions.create(db, counselor, couple_id, "Offer in Seattle")
    decisions.add_option(db, counselor, couple_id, did, "Stay")
    balance = decisions.add_factor(db, counselor, couple_id, did, "Work-life balance")
    marcus = db.all("couples/partners", couple_id=couple_id)[1]["id"]
    token = links.issue_decision_form(db, counselor, couple_id, marcus, did).token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    pills = at.button_group(key=key(token, f"a.w_{balance}"))
    pills.set_value(8).run()
    ticks = [c.value for c in at.caption if "“" in c.value]
    assert len(ticks) == 1 and ticks[0].startswith("✓ Saved: “"), ticks
    assert "Work\\-life" in ticks[0] and "\\\\" not in ticks[0]  # escaped once, as its label
    at.button_group(key=key(token, f"a.w_{balance}")).set_value(None).run()
    assert not at.exception
    ticks = [c.value for c in at.caption if "“" in c.value]
    assert len(ticks) == 1 and ticks[0].startswith("Answer removed: “"), ticks
    assert decisions.matrix(db, counselor, couple_id, did).weights == {}
