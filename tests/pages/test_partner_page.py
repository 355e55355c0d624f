"""The partner's questionnaire page: a token in the URL opens one partner's own form, nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from core import instruments, links
from core.clock import utcnow
from tests.conftest import rows
from tests.pages.conftest import ROOT, fake_client, text_of, visible_text

PAGE = ROOT / "pages" / "5_Questionnaire.py"
CLIENT_IP = "203.0.113.5"
THANKS = "Your answers are with your counselor. Thank you. You can close this page."


@pytest.fixture(autouse=True)
def _client_address(monkeypatch):
    """Give the page a real-looking client address.

    AppTest mocks the runtime, so `st.context.ip_address` is a MagicMock there; a real server
    hands the page a string (or None on localhost), which is what the page is written for.
    """
    fake_client(monkeypatch, CLIENT_IP)


def open_page(db_path, token: str | None) -> AppTest:
    """The questionnaire page, run once, as a partner's browser opening the link."""
    at = AppTest.from_file(str(PAGE), default_timeout=30)
    at.secrets["database_path"] = str(db_path)
    at.secrets["demo"] = "0"
    if token is not None:
        at.query_params["t"] = token
    at.run()
    assert not at.exception
    return at


def key(token: str, name: str) -> str:
    """A widget key of ui/fill.py for this token."""
    return f"fill.{links.hash_token(token)[:12]}.{name}"


def answer(at: AppTest, token: str, item: str, value) -> AppTest:
    """Pick an answer on a radio, as a tap does (which reruns the page)."""
    at.radio(key=key(token, f"a.{item}")).set_value(value).run()
    assert not at.exception
    return at


def everything_on_screen(at: AppTest) -> str:
    """Every element the page sent, as text (labels, options, help and values included)."""
    return "\n".join(str(node.proto) for node in at.main if hasattr(node, "proto"))


def drawn(at: AppTest) -> list[str]:
    """The kinds of element on the page, in order, without the containers that hold them."""
    return [node.type for node in at.main if node.type not in ("main", "flex_container")]


def shows_a_form(at: AppTest) -> bool:
    """True when any input or button is on the page."""
    kinds = ("radio", "button", "text_input", "text_area", "number_input", "button_group")
    return any(len(getattr(at, kind)) for kind in kinds)


def test_no_token_or_a_bad_token_shows_one_calm_message_and_nothing_else(
    db, db_path, counselor, couple_id, partners, issue
):
    revoked = issue("csi4")
    links.revoke(db, counselor, couple_id, revoked.link_id)
    for token in (None, "", "not-a-token", "A" * 43, revoked.token):
        at = open_page(db_path, token)
        assert [text_of(i) for i in at.info] == [links.LinkUnavailable.MESSAGE], token
        assert not shows_a_form(at)
        assert drawn(at) == ["info"]  # one message, nothing more
        shown = everything_on_screen(at)
        assert "Rachel" not in shown and "Marcus" not in shown and "CSI-4" not in shown


def test_a_valid_link_greets_the_partner_by_their_own_name_only(db_path, issue):
    token = issue("csi4").token
    at = open_page(db_path, token)
    shown = everything_on_screen(at)
    assert "Hello Rachel." in visible_text(at)
    assert "Marcus" not in shown
    assert "How things are between you (CSI-4)" in visible_text(at)
    assert "From Tandem practice · About" in visible_text(at)  # who sent it
    assert [b.label for b in at.button] == ["Start"]
    assert not at.radio  # the welcome screen asks nothing yet


def test_a_link_that_reached_the_sites_root_opens_the_partners_page_not_the_sign_in(db_path, issue):
    token = issue("csi4").token
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["database_path"] = str(db_path)
    at.secrets["demo"] = "0"
    at.query_params["t"] = token
    at.run()
    assert not at.exception
    assert "Hello Rachel." in visible_text(at)
    assert not at.text_input and not at.get("password")  # no sign-in form
    assert [b.label for b in at.button] == ["Start"]


def test_start_shows_the_first_section_and_a_tap_saves_the_answer_at_once(db, db_path, issue):
    token = issue("csi4").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    assert [s.value for s in at.title] == ["Your relationship overall"]
    assert len(at.radio) == 4
    assert instruments.COUNSELOR_ONLY_NOTE not in visible_text(at)  # not a private section
    shown = everything_on_screen(at)
    assert "Extremely Unhappy" in shown and "Marcus" not in shown

    answer(at, token, "csi4_happiness", 3)
    assert links.my_answers(db, token) == {"csi4_happiness": 3}
    answer(at, token, "csi4_happiness", 5)  # a changed mind replaces the answer
    assert links.my_answers(db, token) == {"csi4_happiness": 5}
    saved = [c.value for c in at.caption if c.value.startswith("✓ Saved")]
    assert len(saved) == 1 and saved[0].startswith("✓ Saved: “Please indicate the degree of")
    at.run()  # a run without a new answer claims no new save
    assert not any(c.value.startswith("✓ Saved") for c in at.caption)


def test_several_unanswered_questions_are_listed_one_a_line(db_path, issue):
    token = issue("checkin").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    at.button(key=key(token, "next")).click().run()
    notice = at.error[-1].value
    # A list, not a run of quotes joined by "; " (a red wall on a phone).
    head, *lines = notice.split("\n")
    assert head == "Before going on, please answer these 4 questions:"
    assert [line[:3] for line in lines if line] == ["- “"] * 4
    assert "; “" not in notice


def test_going_on_with_a_required_item_unanswered_shows_a_message_and_stays(db, db_path, issue):
    token = issue("checkin").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    first = [s.value for s in at.title]
    for item in ("csi4_happiness", "csi4_warm", "csi4_rewarding"):
        answer(at, token, item, 2)
    place = [n.type for n in at.main].index("button")  # Next's place among what is drawn

    at.button(key=key(token, "next")).click().run()
    notice, mark = at.error[-1], at.error[0]  # the mark on the question, the notice after it
    assert len(at.error) == 2 and mark.value == "This question needs an answer."
    assert notice.value.startswith("Before going on, please answer this question: “In general")
    # Read top to bottom (a screen reader), the notice comes before the Next it explains.
    order = [n for n in at.main if n.type in ("error", "button")]
    assert order.index(notice) < order.index(at.button(key=key(token, "next")))
    # In the place of the line on saving, which goes below the buttons meanwhile: Next keeps its
    # place, so the browser keeps it, and the focus on it (one place down, it was drawn anew).
    assert [n.type for n in at.main].index("button") == place
    assert at.caption[-1].value.startswith("Each answer is saved")
    assert "satisfied" in notice.value and "warm" not in notice.value
    assert [s.value for s in at.title] == first
    assert at.radio(key=key(token, "a.csi4_warm")).value == 2  # nothing lost

    answer(at, token, "csi4_satisfied", 4)
    at.button(key=key(token, "next")).click().run()
    assert not at.error
    assert [s.value for s in at.title] != first
    assert "Part 2 of" in at.get("progress")[0].proto.text

    at.button(key=key(token, "back")).click().run()
    assert [s.value for s in at.title] == first
    assert at.radio(key=key(token, "a.csi4_satisfied")).value == 4
    assert links.open_link(db, token).submitted is False


def test_a_closed_browser_continues_where_it_left_off_with_answers_filled_in(db, db_path, issue):
    token = issue("csi4").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    answer(at, token, "csi4_happiness", 4)
    answer(at, token, "csi4_rewarding", 1)
    del at  # the browser is closed

    again = open_page(db_path, token)
    assert [b.label for b in again.button] == ["Continue where you left off"]
    again.button(key=key(token, "start")).click().run()
    assert not again.exception
    assert [s.value for s in again.title] == ["Your relationship overall"]
    values = {r.key.rsplit(".", 1)[1]: r.value for r in again.radio}
    assert values == {
        "csi4_happiness": 4,
        "csi4_warm": None,
        "csi4_rewarding": 1,
        "csi4_satisfied": None,
    }


def test_resuming_opens_the_first_section_with_a_required_answer_missing(db, db_path, issue):
    token = issue("checkin").token
    form = instruments.load("checkin")
    for item in form.sections[0].items:
        links.save_answer(db, token, item.id, 3)
    links.save_answer(db, token, "fairness_me", 7)  # optional, in section 2; "stress" is not

    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    assert [s.value for s in at.title] == [form.sections[1].title]
    assert at.button_group(key=key(token, "a.fairness_me")).value == 7


def test_sending_shows_thanks_and_no_answers_and_the_link_then_says_complete(
    db, db_path, counselor, couple_id, partners, issue
):
    token = issue("csi4").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    for item, value in (("csi4_happiness", 6), ("csi4_warm", 5), ("csi4_rewarding", 4)):
        answer(at, token, item, value)
    answer(at, token, "csi4_satisfied", 3)
    send = at.button(key=key(token, "next"))
    assert send.label == "Send my answers"
    send.click().run()
    assert not at.exception
    assert [text_of(s) for s in at.success] == [THANKS]
    assert not shows_a_form(at)
    assert "Perfect" not in everything_on_screen(at)  # the answer given is not shown back
    assert links.open_link(db, token).submitted is True
    sent = links.submitted_answers(db, counselor, couple_id, "csi4")[partners[0]]["answers"]
    assert sent == {"csi4_happiness": 6, "csi4_warm": 5, "csi4_rewarding": 4, "csi4_satisfied": 3}

    reopened = open_page(db_path, token)
    assert [text_of(s) for s in reopened.success] == [THANKS]
    assert not shows_a_form(reopened)
    assert "Perfect" not in everything_on_screen(reopened)


def test_a_sent_link_opened_after_it_closed_thanks_without_naming_anyone(
    db, db_path, counselor, couple_id, partners, issue
):
    token = issue("csi4").token
    for item, value in (("csi4_happiness", 6), ("csi4_warm", 5), ("csi4_rewarding", 4)):
        links.save_answer(db, token, item, value)
    links.save_answer(db, token, "csi4_satisfied", 3)
    assert links.submit(db, token)
    rows(db, "UPDATE links SET expires_at = $t", t=utcnow() - timedelta(minutes=1))
    at = open_page(db_path, token)
    assert [text_of(s) for s in at.success] == [links.AlreadySubmitted().args[0]]
    screen = everything_on_screen(at)
    form = instruments.load("csi4")
    assert form.title not in screen and "Rachel" not in screen and "Hello" not in screen
    assert not shows_a_form(at)


def test_a_link_revoked_while_answering_stops_calmly(db, db_path, counselor, couple_id, issue):
    issued = issue("csi4")
    at = open_page(db_path, issued.token)
    at.button(key=key(issued.token, "start")).click().run()
    answer(at, issued.token, "csi4_warm", 2)
    links.revoke(db, counselor, couple_id, issued.link_id)
    at.radio(key=key(issued.token, "a.csi4_happiness")).set_value(1).run()
    assert not at.exception
    assert [text_of(i) for i in at.info] == [links.LinkUnavailable.MESSAGE]
    assert not shows_a_form(at)
    (link,) = links.for_couple(db, counselor, couple_id)
    assert (link["status"], link["answered"]) == ("revoked", 1)  # the late tap saved nothing


def test_the_safety_section_says_only_the_counselor_reads_it(db, db_path, issue):
    token = issue("intake").token
    form = instruments.load("intake")
    for item in form.items:  # every required answer given: resuming opens the last section
        if item.required:
            links.save_answer(db, token, item.id, item.options[0].value)
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    safety = form.sections[-1]
    assert safety.private == instruments.COUNSELOR
    assert [s.value for s in at.title] == [safety.title]
    assert instruments.COUNSELOR_ONLY_NOTE in [text_of(i) for i in at.info]


def test_an_expired_link_shows_the_calm_message(db, db_path, counselor, couple_id, partners):
    old = utcnow() - timedelta(days=3)
    issued = links.issue(db, counselor, couple_id, partners[0], "csi4", 1, now=old)
    at = open_page(db_path, issued.token)
    assert [text_of(i) for i in at.info] == [links.LinkUnavailable.MESSAGE]
    assert not shows_a_form(at)


def test_the_saved_tick_sits_under_the_question_just_answered_and_only_there(db_path, issue):
    token = issue("csi4").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    answer(at, token, "csi4_warm", 2)
    kinds = [
        node.key.rsplit(".", 1)[-1] if node.type == "radio" else node.type
        for node in at.main
        if node.type in ("radio", "caption")
    ]
    ticks = [c.value for c in at.caption if c.value.startswith("✓ Saved")]
    assert ticks == ["✓ Saved: “I have a warm and comfortable relationship with my partner”"]
    assert kinds[kinds.index("csi4_warm") + 1] == "caption"  # the tick, right under it


def test_sending_with_an_earlier_answer_cleared_goes_back_to_it_and_says_so(db, db_path, issue):
    token = issue("checkin").token
    form = instruments.load("checkin")
    for item in form.items:
        if item.required:
            links.save_answer(db, token, item.id, item.options[0].value if item.options else 5)
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()  # everything answered: the last section
    assert [s.value for s in at.title] == [form.sections[-1].title]
    links.save_answer(db, token, "csi4_warm", None)  # cleared meanwhile (another tab)

    at.button(key=key(token, "next")).click().run()
    assert not at.exception
    assert [s.value for s in at.title] == [form.sections[0].title]
    assert [text_of(e) for e in at.error] == [
        "A few questions still need an answer; they are shown now."
    ]
    assert at.radio(key=key(token, "a.csi4_warm")).value is None
    assert at.radio(key=key(token, "a.csi4_happiness")).value == form.items[0].options[0].value
    assert links.open_link(db, token).submitted is False


def answered_up_to_the_hours(db, token: str, including: bool = False):
    """Every required answer of the check-in's parts before the hours question's (and of its
    own, `including`): (the form, the index of that part)."""
    form = instruments.load("checkin")
    work = next(
        n for n, s in enumerate(form.sections) if any(i.id == "work_hours" for i in s.items)
    )
    for section in form.sections[: work + 1 if including else work]:
        for item in section.items:
            if item.required:
                links.save_answer(db, token, item.id, item.options[0].value if item.options else 5)
    return form, work


def test_the_check_ins_hours_question_takes_half_hours_and_shows_a_saved_whole_number(
    db, db_path, issue
):
    token = issue("checkin").token
    form, work = answered_up_to_the_hours(db, token)
    links.save_answer(db, token, "work_hours", 40)  # a whole number is stored as an int
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()  # resumes where the last answer was given
    assert not at.exception
    assert [s.value for s in at.title] == [form.sections[work].title]
    hours = at.number_input(key=key(token, "a.work_hours"))
    assert hours.value == 40
    hours.set_value(37.5).run()
    assert not at.exception
    assert links.my_answers(db, token)["work_hours"] == 37.5


def test_an_hours_answer_out_of_range_is_refused_in_words_and_next_waits_until_it_is_put_right(
    db, db_path, issue
):
    token = issue("checkin").token
    form, work = answered_up_to_the_hours(db, token, including=True)
    links.save_answer(db, token, "work_hours", 40)
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    assert [s.value for s in at.title] == [form.sections[work].title]

    # The widget has no bounds of its own (the browser would only turn the box red on a phone):
    # the server says what is wrong, under the question, and keeps the answer it had.
    at.number_input(key=key(token, "a.work_hours")).set_value(500).run()
    assert not at.exception
    assert any("between 0 and 168, so it was not saved" in text_of(e) for e in at.error)
    assert not any(c.value.startswith("✓ Saved") for c in at.caption)
    assert links.my_answers(db, token)["work_hours"] == 40

    at.button(key=key(token, "next")).click().run()
    assert [s.value for s in at.title] == [form.sections[work].title]  # still here
    assert any("was not saved: put right the one marked in red" in text_of(e) for e in at.error)

    # Back and forth again: the refused number is gone with its widget, the saved one shows.
    at.button(key=key(token, "back")).click().run()
    at.button(key=key(token, "next")).click().run()
    assert [s.value for s in at.title] == [form.sections[work].title]
    assert not at.error and at.number_input(key=key(token, "a.work_hours")).value == 40

    at.number_input(key=key(token, "a.work_hours")).set_value(45).run()
    assert not at.error and links.my_answers(db, token)["work_hours"] == 45
    at.button(key=key(token, "next")).click().run()
    assert [s.value for s in at.title] != [form.sections[work].title]


def test_a_question_next_stopped_for_is_marked_until_it_has_an_answer(db, db_path, issue):
    token = issue("checkin").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    for item in ("csi4_happiness", "csi4_warm"):
        answer(at, token, item, 2)
    at.button(key=key(token, "next")).click().run()
    marks = [e for e in at.error if text_of(e) == "This question needs an answer."]
    assert len(marks) == 2  # csi4_rewarding and csi4_satisfied
    answer(at, token, "csi4_rewarding", 3)
    marks = [e for e in at.error if text_of(e) == "This question needs an answer."]
    assert len(marks) == 1
    answer(at, token, "csi4_satisfied", 3)
    at.button(key=key(token, "next")).click().run()
    assert not at.error
    at.button(key=key(token, "back")).click().run()
    assert not at.error  # a section come back to starts unmarked


def test_the_safety_questions_help_is_shown_under_it_not_behind_a_tooltip(db, db_path, issue):
    token = issue("checkin").token
    form = instruments.load("checkin")
    last = len(form.sections) - 1
    for section in form.sections[:last]:
        for item in section.items:
            if item.required:
                links.save_answer(db, token, item.id, item.options[0].value if item.options else 5)
        answered = section.items[-1]
        if not answered.required:
            value = answered.options[0].value if answered.options else None
            if value is not None:
                links.save_answer(db, token, answered.id, value)
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    while not any(s.value == form.sections[last].title for s in at.title):
        at.button(key=key(token, "next")).click().run()
        assert not at.exception
    afraid = at.radio(key=key(token, "a.safety_afraid"))
    assert not afraid.help
    assert any("emergency number" in c.value for c in at.caption)
