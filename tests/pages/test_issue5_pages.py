"""Agreements, decisions, roadmap and sessions pages: they render for the couple's counselor,
save what is typed, and stay closed to anyone else."""

from __future__ import annotations

from datetime import date

import pytest

from core import agreements, couples, decisions, sessions
from tests.pages.conftest import (
    demo_actor,
    open_tab,
    sidebar_links,
    signed_in,
    text_of,
    visible_text,
)
from ui import state

AGREEMENTS = "pages/11_Agreements.py"
DECISIONS = "pages/12_Decisions.py"
ROADMAP = "pages/13_Roadmap.py"
SESSIONS = "pages/14_Sessions.py"
PAGES = [AGREEMENTS, DECISIONS, ROADMAP, SESSIONS]


def couple_id(db, label, username="demo"):
    actor = demo_actor(db, username)
    return next(r["id"] for r in couples.caseload(db, actor, status="all") if r["label"] == label)


def open_page(db, db_path, page, label="Rachel & Marcus", username="demo"):
    at = signed_in(db, db_path, username)
    at.session_state[state.COUPLE_ID] = couple_id(db, label)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_the_demo_couples_records(demo_db, db_path, page):
    at = open_page(demo_db, db_path, page)
    text = visible_text(at)
    assert "Rachel & Marcus" in text


@pytest.mark.parametrize("page", PAGES)
def test_page_refuses_another_counselors_couple(demo_db, db_path, page):
    at = signed_in(demo_db, db_path, "riley")
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "Rachel & Marcus")
    at.switch_page(page).run()
    assert not at.exception
    text = visible_text(at)
    assert "not available to you" in text and "Seattle" not in text


@pytest.mark.parametrize("page", PAGES)
def test_page_without_an_open_couple_points_to_the_caseload(demo_db, db_path, page):
    at = signed_in(demo_db, db_path, "demo", page=page)
    assert not at.exception
    assert "Choose a couple" in visible_text(at)


def test_sidebar_links_to_the_four_pages_once_a_couple_is_open(demo_db, db_path):
    at = open_page(demo_db, db_path, AGREEMENTS)
    labels = {link.label for link in sidebar_links(at)}
    assert {"Agreements", "Decisions", "Roadmap", "Sessions"} <= labels


def test_agreement_edit_adds_a_version_and_history_shows_the_change(demo_db, db_path):
    at = open_page(demo_db, db_path, AGREEMENTS, label="Zoë & Łukasz")
    open_tab(at, "agreements.tab", "Edit")
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Zoë & Łukasz")
    aid = agreements.for_couple(demo_db, actor, cid)[0]["id"]
    key = f"agreements.edit.{aid}"
    at.text_area(key=f"{key}.body").input("We stay in Lisbon for eighteen months.")
    at.text_input(key=f"{key}.note").input("Longer trial")
    at.button(key=f"{key}.save").click().run()
    assert not at.exception
    history = agreements.history(demo_db, actor, cid, aid)
    assert [v["version"] for v in history] == [1, 2]
    assert history[-1]["change_note"] == "Longer trial"
    open_tab(at, "agreements.tab", "History")
    text = visible_text(at)
    assert "Version 2" in text and "eighteen" in text
    # Another version: the comparison moves on to the newest change (with fixed keys the
    # version pickers kept 1 → 2, the change before).
    open_tab(at, "agreements.tab", "Edit")
    body = next(t for t in at.text_area if t.key.endswith(f".{aid}.body"))  # renewed keys
    key = body.key.removesuffix(".body")
    body.input("We stay in Lisbon for two years.")
    at.text_input(key=f"{key}.note").input("Longer still")
    at.button(key=f"{key}.save").click().run()
    assert not at.exception
    open_tab(at, "agreements.tab", "History")
    versions = [sb.value for sb in at.selectbox if "Version" in sb.label or "version" in sb.label]
    assert versions == [2, 3], versions


def test_history_shows_a_change_as_a_struck_phrase_then_an_added_phrase(demo_db, db_path):
    """Word by word it read "~~can~~ gets ~~ask~~ until" (walkthrough): each changed stretch
    is one struck-through run and one bold run, and Markdown typed into the text stays text."""
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Jennifer & Katie")
    first = {"title": "Offers", "kind": "offers", "status": "draft"}
    saved = agreements.save(
        demo_db, actor, cid, first | {"body": "Katie can ask for a week to decide. **Always**."}
    )
    agreements.save(
        demo_db,
        actor,
        cid,
        first
        | {"body": "Katie gets until Friday to decide. **Always**. [Call](https://x.example)"},
        agreement_id=saved.agreement_id,
    )
    at = open_page(demo_db, db_path, AGREEMENTS, label="Jennifer & Katie")
    at.selectbox(key=f"agreements.pick.{cid}").set_value(saved.agreement_id).run()
    open_tab(at, "agreements.tab", "History")
    assert not at.exception
    (diff,) = [m.value for m in at.markdown if "~~" in m.value]
    assert diff == (
        "Katie :red-background[~~can ask for a week~~]:green-background[**gets until Friday**]"
        " to decide\\. \\*\\*Always\\*\\*\\."
        " :green-background[**\\[Call\\]\\(https\\:\u2060//x\\.example\\)**]"
    )
    assert "struck through" in visible_text(at) and "in bold" in visible_text(at)


def test_new_agreement_form_validates_then_saves(demo_db, db_path):
    at = open_page(demo_db, db_path, AGREEMENTS, label="Jennifer & Katie")
    assert (
        at.selectbox(key=f"agreements.pick.{couple_id(demo_db, 'Jennifer & Katie')}").value == "new"
    )
    at.button(key="agreements.new.save").click().run()
    assert "Give the agreement a short title." in visible_text(at)
    at.text_input(key="agreements.new.title").input("On-call weeks")
    at.text_area(key="agreements.new.body").input("Whoever is on call skips the school run.")
    at.button(key="agreements.new.save").click().run()
    assert not at.exception
    actor = demo_actor(demo_db)
    rows = agreements.for_couple(demo_db, actor, couple_id(demo_db, "Jennifer & Katie"))
    assert [r["title"] for r in rows] == ["On-call weeks"]


def test_a_new_agreement_stays_on_screen_when_a_second_click_brings_the_old_choice(
    demo_db, db_path
):
    """A double-click's second half arrives after the save's rerun, carrying the picker's
    choice from before the save ("new") under the picker's old key: it must not win."""
    cid = couple_id(demo_db, "Jennifer & Katie")
    at = open_page(demo_db, db_path, AGREEMENTS, label="Jennifer & Katie")
    at.text_input(key="agreements.new.title").input("On-call weeks")
    at.text_area(key="agreements.new.body").input("Whoever is on call skips the school run.")
    at.button(key="agreements.new.save").click().run()
    (made,) = agreements.for_couple(demo_db, demo_actor(demo_db), cid)
    assert at.selectbox(key=f"agreements.pick.{cid}.1").value == made["id"]
    at.session_state[f"agreements.pick.{cid}"] = "new"  # the browser's stale choice
    at.run()
    assert not at.exception
    assert at.selectbox(key=f"agreements.pick.{cid}.1").value == made["id"]
    assert "On-call weeks" in visible_text(at)


def test_matrix_grid_saves_one_partners_weights_and_scores(demo_db, db_path):
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Jennifer & Katie")
    did = decisions.create(demo_db, actor, cid, "Who takes the Paris role", "job_offer")
    decisions.add_option(demo_db, actor, cid, did, "Jennifer goes")
    decisions.add_option(demo_db, actor, cid, did, "Katie goes")
    decisions.add_factor(demo_db, actor, cid, did, "Growth")
    m = decisions.matrix(demo_db, actor, cid, did)
    jennifer = m.partners[0]["id"]
    f = m.factors[0]["id"]
    o1, o2 = (o["id"] for o in m.options)
    at = open_page(demo_db, db_path, DECISIONS, label="Jennifer & Katie")
    open_tab(at, "decisions.tab", "Opportunity matrix")
    key = f"decisions.{did}.grid.{jennifer}"
    at.number_input(key=f"{key}.w.{f}").set_value(8)
    at.number_input(key=f"{key}.s.{o1}.{f}").set_value(9)
    at.number_input(key=f"{key}.s.{o2}.{f}").set_value(4)
    at.button(key=f"{key}.save").click().run()
    assert not at.exception
    m = decisions.matrix(demo_db, actor, cid, did)
    assert m.weights[(f, jennifer)] == 8
    assert m.scores[(f, o1, jennifer)] == 9 and m.scores[(f, o2, jennifer)] == 4


def test_the_matrix_draws_one_partners_grid_at_a_time(demo_db, db_path):
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Jennifer & Katie")
    did = decisions.create(demo_db, actor, cid, "Who takes the Paris role", "job_offer")
    o1 = decisions.add_option(demo_db, actor, cid, did, "Jennifer goes")
    f = decisions.add_factor(demo_db, actor, cid, did, "Growth")
    jennifer, katie = (p["id"] for p in decisions.matrix(demo_db, actor, cid, did).partners)
    at = open_page(demo_db, db_path, DECISIONS, label="Jennifer & Katie")
    open_tab(at, "decisions.tab", "Opportunity matrix")
    grids = {b.key for b in at.button if ".grid." in (b.key or "")}
    assert grids == {f"decisions.{did}.grid.{jennifer}.save"}  # Katie's is not drawn
    open_tab(at, f"decisions.{did}.grid.tab", "Katie's weights and scores")
    key = f"decisions.{did}.grid.{katie}"
    assert not [b for b in at.button if b.key == f"decisions.{did}.grid.{jennifer}.save"]
    at.number_input(key=f"{key}.w.{f}").set_value(6)
    at.number_input(key=f"{key}.s.{o1}.{f}").set_value(3)
    at.button(key=f"{key}.save").click().run()
    assert not at.exception
    m = decisions.matrix(demo_db, actor, cid, did)
    assert m.weights == {(f, katie): 6} and m.scores == {(f, o1, katie): 3}


def test_new_session_then_homework_creates_a_link_for_each_partner(demo_db, db_path):
    at = open_page(demo_db, db_path, SESSIONS, label="Jennifer & Katie")
    at.text_input(key="sessions.new.focus").input("On-call clashes")
    at.button(key="sessions.new.save").click().run()
    assert not at.exception
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Jennifer & Katie")
    (s,) = sessions.for_couple(demo_db, actor, cid)
    open_tab(at, "sessions.tab", "Homework")
    at.selectbox(key=f"sessions.{s['id']}.exercise").set_value("exercise_support_inventory")
    at.button(key=f"sessions.{s['id']}.assign").click().run()
    assert not at.exception
    assert len(sessions.homework_links(demo_db, actor, cid, s["id"])) == 2
    assert "New link for Jennifer" in visible_text(at)


def test_a_partners_homework_answers_are_one_element_under_their_name(demo_db, db_path):
    """Each question in bold with its answer under it, the partner's text as plain text."""
    from core import instruments, links
    from ui.widgets import plain

    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Jennifer & Katie")
    sid = sessions.create(demo_db, actor, cid, {"focus": "Support", "held_on": date(2026, 11, 20)})
    jennifer, _ = sessions.assign_homework(demo_db, actor, cid, sid, "exercise_support_inventory")
    form = instruments.load("exercise_support_inventory")
    typed = [i for i in form.items if i.type in instruments.TEXT_TYPES]
    for item in form.items:
        value = "**Walks** on <b>Sundays</b>" if item in typed else item.options[0].value
        if item.required or item in typed:
            links.save_answer(demo_db, jennifer.token, item.id, value)
    assert links.submit(demo_db, jennifer.token)
    at = open_page(demo_db, db_path, SESSIONS, label="Jennifer & Katie")
    open_tab(at, "sessions.tab", "Homework")
    assert not at.exception
    (mine,) = [e for e in at.expander if e.label == "Jennifer's answers"]
    (answers,) = [m.value for m in mine.markdown]
    for item in typed:
        assert f"**{plain(item.prompt)}**\n\n\\*\\*Walks\\*\\* on" in answers, answers
    assert "<b>" not in answers
    assert "Jennifer's link: Submitted · Katie's link: Sent" in [c.value for c in at.caption]
    (other,) = [e for e in at.expander if e.label == "Katie's answers"]
    assert not other.markdown
    assert "No answers yet: they appear here once Katie submits." in [
        c.value for c in other.caption
    ]
    assert any(c.value.startswith("Submitted ") for c in mine.caption)


def test_a_session_recorded_by_mistake_can_be_deleted_after_asking(demo_db, db_path):
    at = open_page(demo_db, db_path, SESSIONS, label="Jennifer & Katie")
    at.button(key="sessions.new.save").click().run()  # an empty form still records a session
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Jennifer & Katie")
    (s,) = sessions.for_couple(demo_db, actor, cid)
    at.button(key=f"sessions.{s['id']}.delete").click().run()
    assert any("cannot be undone" in text_of(w) for w in at.warning)
    assert len(sessions.for_couple(demo_db, actor, cid)) == 1  # not until confirmed
    at.button(key="sessions.deleting.yes").click().run()
    assert not at.exception
    assert sessions.for_couple(demo_db, actor, cid) == []
    assert [t.value for t in at.toast] == ["Session deleted."]
    assert any(b.key.startswith("sessions.new") for b in at.button)  # a new session's form


EMOJI_IN_CHARTS = "Charts in the PDF show the emoji in Noa 🌈 as □; the text prints them."
NO_FONT = "The PDF's fonts lack some letters of Noa 𓂀: each prints as □."  # a hieroglyph


@pytest.mark.parametrize(
    ("names", "said"),
    [
        (("Noa 🌈", "Sven"), EMOJI_IN_CHARTS),  # the emoji's font prints it, the charts do not
        (("Noa 𓂀", "Sven"), NO_FONT),  # no font has it
        (("Zoë", "王芳"), None),
    ],
)
def test_the_export_says_before_the_download_which_names_print_a_square(
    demo_db, db_path, names, said
):
    actor = demo_actor(demo_db)
    cid = couples.create(demo_db, actor, {"name": names[0]}, {"name": names[1]}, "")
    sessions.create(demo_db, actor, cid, {"held_on": "2026-11-20", "focus": "The offer"})
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(SESSIONS).run()
    open_tab(at, "sessions.tab", "Summary and export")
    assert not at.exception
    captions = [c.value for c in at.caption if "□" in c.value]
    assert [c.split(" The Markdown")[0] for c in captions] == ([said] if said else [])
