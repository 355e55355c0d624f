"""The partner's form after the phone review: where it resumes, written answers, long pastes,
honest wording, number and choice widgets, and the dates on the welcome screen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from core import checkins, dates, instruments, links, schedule
from core.clock import utcnow
from core.dates import shown
from core.errors import ValidationError
from tests.pages.conftest import fake_client, text_of, visible_text
from tests.pages.test_partner_page import answer, everything_on_screen, key, open_page
from ui import fill

INTAKE = instruments.load("intake")
CHECKIN = instruments.load("checkin")
# The partner's form drawn the way ui/handover.py draws it (a device handed over in session).
HANDOVER_SCRIPT = """
import streamlit as st
from ui.app import get_app
from ui import fill
fill.render(get_app().db, st.query_params.get("t", ""), "handover")
"""


@pytest.fixture(autouse=True)
def _client_address(monkeypatch):
    """A real-looking client address, as a server hands the page (see test_partner_page)."""
    fake_client(monkeypatch, "203.0.113.9")


def section_of(form: instruments.Instrument, item_id: str) -> int:
    return next(n for n, s in enumerate(form.sections) if any(i.id == item_id for i in s.items))


def resume(db_path, token: str) -> AppTest:
    """Open the link again in a new browser and tap "Continue where you left off"."""
    at = open_page(db_path, token)
    assert [b.label for b in at.button] == ["Continue where you left off"]
    at.button(key=key(token, "start")).click().run()
    assert not at.exception
    return at


def part(at: AppTest) -> str:
    """'Part 2 of 10', from the progress bar's '<form's name> · Part 2 of 10'."""
    return at.get("progress")[0].proto.text.rsplit(" · ", 1)[-1]


def a_value(item: instruments.Item):
    """Some valid answer for any item."""
    if item.options:
        return [item.options[0].value] if item.type == instruments.MULTI else item.options[0].value
    if item.type in instruments.TEXT_TYPES:
        return "Something I wrote."
    if item.type == instruments.YES_NO:
        return True
    return int(item.min or 0)


# -- 1. Resuming -------------------------------------------------------------------------------
def test_resuming_after_a_partly_answered_first_part_opens_that_part_not_a_later_one(
    db, db_path, issue
):
    token = issue("intake").token
    links.save_answer(db, token, "work_identity", 7)  # Part 1, then she left (on Part 2)
    at = resume(db_path, token)
    assert part(at) == f"Part 1 of {len(INTAKE.sections)}"  # before: Part 4 (first required)
    assert at.button_group(key=key(token, "a.work_identity")).value == 7


def test_resuming_after_a_finished_part_opens_the_next_one_without_skipping_optional_parts(
    db, db_path, issue
):
    token = issue("intake").token
    for item in INTAKE.sections[0].items:
        links.save_answer(db, token, item.id, a_value(item))
    at = resume(db_path, token)
    assert part(at) == f"Part 2 of {len(INTAKE.sections)}"  # optional questions, not skipped
    assert [s.value for s in at.title] == [INTAKE.sections[1].title]


def test_resuming_never_passes_a_part_with_a_required_answer_missing(db, db_path, issue):
    token = issue("intake").token
    required = section_of(INTAKE, "if_relocation")
    links.save_answer(db, token, "safety_can_be_honest", 4)  # the last part (another tab?)
    at = resume(db_path, token)
    assert part(at) == f"Part {required + 1} of {len(INTAKE.sections)}"


def test_where_to_resume_for_each_pattern_of_saved_answers():
    last = len(INTAKE.sections) - 1
    everything = {i.id: a_value(i) for i in INTAKE.items}
    first_part = {i.id: a_value(i) for i in INTAKE.sections[0].items}
    cases = [
        ({}, 0),
        ({"work_identity": 3}, 0),
        (first_part, 1),
        (first_part | {"in_five_years": "x"}, 1),
        (everything, last),
        ({k: v for k, v in everything.items() if k != "pattern_wont_discuss"}, 8),
    ]
    for answers, expected in cases:
        assert fill._resume_section(INTAKE, answers) == expected, answers


# -- 2. One tap on Next after typing ------------------------------------------------------------
def test_text_typed_and_next_tapped_in_one_run_saves_the_text_and_goes_on(db, db_path, issue):
    token = issue("exercise_opportunity_cost").token
    form = instruments.load("exercise_opportunity_cost")
    box = next(i for i in form.sections[0].items if i.required)
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    # What a phone sends when Next is tapped right after typing: the text and the tap together.
    at.text_area(key=key(token, f"a.{box.id}")).input("We moved for her job in 2019.")
    at.button(key=key(token, "next")).click().run()
    assert not at.exception
    assert not at.error
    assert part(at) == f"Part 2 of {len(form.sections)}"
    assert links.my_answers(db, token)[box.id] == "We moved for her job in 2019."


# -- 3. Pasting past a box's limit -------------------------------------------------------------
@pytest.mark.parametrize("size", [4_480, 200_000, 10_000_000])
def test_a_paste_over_the_limit_keeps_what_fits_and_says_so(db, db_path, issue, size):
    token = issue("intake").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    limit = INTAKE.item("success_means").max_chars
    pasted = "A" * (size - 1) + "Z"
    at.text_area(key=key(token, "a.success_means")).input(pasted).run()
    assert not at.exception
    kept = at.text_area(key=key(token, "a.success_means")).value
    assert kept == pasted[:limit]  # the widget holds only what fits, never the whole paste
    assert links.my_answers(db, token)["success_means"] == pasted[:limit]
    (warning,) = [text_of(w) for w in at.warning]
    assert f"up to {limit:,} characters" in warning
    assert f"had {size:,}" in warning and f"only the first {limit:,} were kept" in warning
    assert f"{limit:,} of {limit:,} characters" in [c.value for c in at.caption]


def test_a_short_answer_typed_past_its_limit_keeps_what_fits_and_says_so(db, db_path, issue):
    token = issue("intake").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    limit = INTAKE.item("work_legacy").max_chars
    at.text_input(key=key(token, "a.work_legacy")).input("b" * (limit + 3)).run()
    assert at.text_input(key=key(token, "a.work_legacy")).value == "b" * limit
    assert links.my_answers(db, token)["work_legacy"] == "b" * limit
    assert any(f"only the first {limit:,} were kept" in text_of(w) for w in at.warning)


def test_text_that_fits_after_a_cut_clears_the_message(db, db_path, issue):
    token = issue("intake").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    area = key(token, "a.success_means")
    at.text_area(key=area).input("x" * 5000).run()
    assert at.warning
    at.text_area(key=area).input("A shorter answer.").run()
    assert not at.warning
    assert links.my_answers(db, token)["success_means"] == "A shorter answer."


def test_core_still_refuses_an_over_long_answer(db, issue):
    token = issue("intake").token
    limit = INTAKE.item("success_means").max_chars
    with pytest.raises(ValidationError):
        links.save_answer(db, token, "success_means", "x" * (limit + 1))
    assert "success_means" not in links.my_answers(db, token)


def test_text_boxes_carry_no_browser_limit_and_the_phone_hides_streamlits_hint(db_path, issue):
    token = issue("intake").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    # With max_chars the browser silently refused a paste over it (the box stayed empty).
    assert at.text_area(key=key(token, "a.success_means")).proto.max_chars == 0
    assert at.text_input(key=key(token, "a.work_legacy")).proto.max_chars == 0
    assert '[data-testid="InputInstructions"] { display: none; }' in fill.PHONE_CSS
    captions = [c.value for c in at.caption]
    assert "0 of 4,000 characters" in captions and "0 of 200 characters" in captions


# -- 4. Honest saving ----------------------------------------------------------------------------
def test_a_part_with_a_text_box_says_when_written_answers_are_saved(db_path, issue):
    token = issue("intake").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    shown = visible_text(at)
    assert fill.SAVED_AS_YOU_GO in shown
    assert "tap outside its box" in fill.TEXT_SAVED and fill.TEXT_SAVED in shown


def test_a_part_without_text_boxes_does_not_mention_them(db_path, issue):
    token = issue("csi4").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    assert fill.SAVED_AS_YOU_GO in visible_text(at)
    assert fill.TEXT_SAVED not in visible_text(at)


def test_every_intro_that_promises_saving_qualifies_written_answers():
    for form in instruments.all_instruments():
        if any(i.type in instruments.TEXT_TYPES for i in form.items):
            assert "once you tap outside its box" in form.intro, form.id


# -- 5. and 6. The counselor-only part -----------------------------------------------------------
@pytest.mark.parametrize("form", [INTAKE, CHECKIN], ids=lambda f: f.id)
def test_the_counselor_only_part_says_who_reads_it_once(db, db_path, issue, form):
    token = issue(form.id).token
    for item in form.items:
        if item.required:
            links.save_answer(db, token, item.id, a_value(item))
    safety = form.sections[-1]
    links.save_answer(db, token, safety.items[0].id, a_value(safety.items[0]))
    at = resume(db_path, token)
    assert [s.value for s in at.title] == [safety.title]
    shown = visible_text(at)
    assert shown.count(instruments.COUNSELOR_ONLY_NOTE) == 1
    assert shown.count("never sees") == 1  # the intro no longer repeats the blue box
    assert [text_of(i) for i in at.info] == [instruments.COUNSELOR_ONLY_NOTE]


def test_no_text_a_partner_sees_claims_that_only_the_counselor_reads_answers():
    texts = [instruments.COUNSELOR_ONLY_NOTE]
    for form in instruments.all_instruments():
        texts += [form.intro] + [s.intro for s in form.sections]
        texts += [t for i in form.items for t in (i.prompt, i.help)]
    for text in texts:
        assert not re.search(r"\bonly your counselor\b", text, re.IGNORECASE), text
    assert instruments.COUNSELOR_ONLY_NOTE.startswith("Your counselor reads your answers here;")
    # The practice's admins can open every couple: the partner is told so where it matters.
    assert "so can the practice's administrator" in instruments.COUNSELOR_ONLY_NOTE
    assert "Your partner never sees them" in instruments.COUNSELOR_ONLY_NOTE


# -- 7. The hours question ---------------------------------------------------------------------
def test_the_hours_question_names_its_unit_once_and_shows_no_decimals_for_whole_hours(
    db, db_path, issue
):
    token = issue("intake").token
    links.save_answer(db, token, "work_hours", 40)
    at = resume(db_path, token)  # Part 3, where the hours question is
    hours = at.number_input(key=key(token, "a.work_hours"))
    assert hours.label == INTAKE.item("work_hours").prompt  # no "(hours a week)" after it
    assert hours.proto.format == "%g"  # 40 shows as "40", 37.5 as "37.5" (not "40.00")
    assert hours.value == 40


def test_a_number_label_adds_the_unit_only_when_the_prompt_does_not_name_it():
    item = INTAKE.item("work_hours")
    assert fill._number_label(item) == item.prompt
    other = instruments.Item("x", instruments.NUMBER, "How long is the commute?", unit="minutes")
    assert fill._number_label(other) == "How long is the commute? (minutes)"


# -- 8. Buttons, not sliders ---------------------------------------------------------------------
def test_no_text_a_partner_sees_speaks_of_sliders():
    for form in instruments.all_instruments():
        texts = [form.intro] + [s.intro for s in form.sections]
        texts += [t for i in form.items for t in (i.prompt, i.help)]
        for text in texts:
            assert not re.search(r"\bslid(e|er|ers|ing)\b", text, re.IGNORECASE), (form.id, text)


def test_number_buttons_are_laid_out_in_even_rows_that_fit_a_phone():
    assert fill._grid_columns([str(n) for n in range(11)]) == 11  # 0-10: one row
    assert fill._grid_columns([f"{n}%" for n in range(0, 101, 5)]) == 7  # shares: 3 rows of 7
    assert fill._grid_columns([f"{n}%" for n in range(0, 101, 10)]) == 6  # 6 + 5
    for n in (6, 7, 11):
        assert f'[class*="-numbers{n}-"] [role="radiogroup"]' in fill.PHONE_CSS
    assert '[aria-orientation="horizontal"] [data-testid="stRadioOption"]' in fill.PHONE_CSS


def test_sliders_and_shares_sit_in_a_container_naming_their_column_count(db_path, issue):
    token = issue("checkin").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    for item in CHECKIN.sections[0].items:
        answer(at, token, item.id, item.options[0].value)
    at.button(key=key(token, "next")).click().run()
    keys = {getattr(node, "key", None) for node in at.main}
    # Eleven to a row on a phone, six (6 + 5) on a narrow one or at a large text size.
    assert key(token, "narrow6-numbers11-fairness_me") in keys
    assert key(token, "narrow3-numbers7-load_share") not in keys  # the next part's shares


def test_number_buttons_wrap_into_fewer_even_columns_on_a_narrow_screen():
    assert fill._grid_columns([str(n) for n in range(11)], fill.GRID_NARROW_COLUMNS) == 6
    assert fill._grid_columns([f"{n}%" for n in range(0, 101, 5)], fill.GRID_NARROW_COLUMNS) == 3
    assert fill._grid_columns([f"{n}%" for n in range(0, 101, 10)], fill.GRID_NARROW_COLUMNS) == 3
    narrow = fill.PHONE_CSS.split(f"@media (max-width: {fill.NARROW_EM - 0.01}em)", 1)[1]
    for n in (3, 6):
        assert f'[class*="-narrow{n}-"] [role="radiogroup"]' in narrow
    assert ":root { font-size: 100%; }" in fill.PHONE_CSS  # the partner's own text size


# -- 9. The note on required questions comes first -----------------------------------------------
def test_the_required_note_comes_before_the_questions(db_path, issue):
    token = issue("checkin").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    order = [
        "note" if node.type == "caption" and node.value == fill.REQUIRED_NOTE else node.type
        for node in at.main
        if node.type in ("caption", "radio")
    ]
    assert order.index("note") < order.index("radio")


# -- 10. "Up to three" -------------------------------------------------------------------------
def test_a_fourth_choice_is_refused_and_the_screen_shows_the_three_saved(db, db_path, issue):
    token = issue("intake").token
    item = INTAKE.item("work_values")
    three = [o.value for o in item.options[:3]]
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    pills = key(token, "a.work_values")
    at.button_group(key=pills).set_value(three).run()
    assert links.my_answers(db, token)["work_values"] == three
    at.button_group(key=pills).set_value([*three, item.options[3].value]).run()
    assert not at.exception
    assert at.button_group(key=pills).value == three  # what is stored, not four
    assert links.my_answers(db, token)["work_values"] == three
    (error,) = [text_of(e) for e in at.error]
    assert "up to 3" in error and "earlier choices are kept" in error
    at.button_group(key=key(token, "a.work_identity")).set_value(5).run()  # another tap
    assert at.button_group(key=pills).value == three
    assert not at.error  # said once: nothing is left to fix


# -- 11. Dates on the welcome screen -------------------------------------------------------------
def test_an_ordinary_link_says_until_when_it_works(db_path, issue):
    issued = issue("csi4")
    at = open_page(db_path, issued.token)
    assert f"link valid until {shown(issued.expires_at)}" in visible_text(at)  # 7 Mar 2027


def test_a_personal_check_in_link_says_until_when_this_check_in_is_open(
    db, db_path, counselor, couple_id, partners
):
    now = utcnow()
    zone = "America/New_York"
    start = schedule.local_date(now, zone) - timedelta(days=2)
    checkins.set_schedule(db, counselor, couple_id, "weekly", start.isoformat(), zone)
    standing = checkins.issue_standing(db, counselor, couple_id, partners[0])
    plan = checkins.get_schedule(db, couple_id)
    current = schedule.period_at(plan, now)
    last_day = current.end_local - timedelta(days=1)

    at = open_page(db_path, standing.token)
    shown = visible_text(at)
    assert f"this check-in is open until {checkins._day(last_day)}" in shown
    assert "link valid until" not in shown  # the personal link itself lasts a year
    assert f"{standing.expires_at:%d %b %Y}" not in shown


def test_a_partner_on_another_clock_reads_when_the_check_in_closes_on_their_own(
    db, db_path, counselor, couple_id, partners, monkeypatch
):
    """The couple's weeks begin at midnight in Tokyo; a partner in Chicago is told the hour
    it closes on his own clock (the browser's zone, which the page hands to core)."""
    now = utcnow()
    zone = "Asia/Tokyo"
    start = schedule.local_date(now, zone) - timedelta(days=2)
    checkins.set_schedule(db, counselor, couple_id, "weekly", start.isoformat(), zone)
    standing = checkins.issue_standing(db, counselor, couple_id, partners[0])
    current = schedule.period_at(checkins.get_schedule(db, couple_id), now)
    closes = dates.local(current.end_utc, "America/Chicago")
    monkeypatch.setattr(fill, "browser_zone", lambda: "America/Chicago")
    shown = visible_text(open_page(db_path, standing.token))
    assert f"open until {closes:%H:%M} on {checkins._day(closes.date())}, your time" in shown


def handed_over(db_path, token: str) -> AppTest:
    """The partner form as a hand-over draws it (the counselor's device), opened on `token`."""
    at = AppTest.from_string(HANDOVER_SCRIPT, default_timeout=30)
    at.secrets["database_path"] = str(db_path)
    at.secrets["demo"] = "0"
    at.query_params["t"] = token
    return at.run()


def test_a_handed_over_form_shows_no_expiry(db, db_path, issue):
    at = handed_over(db_path, issue("checkin").token)
    assert not at.exception
    captions = [c.value.split("  \n")[0] for c in at.caption]
    assert f"About {CHECKIN.minutes} minutes" in captions
    assert "valid until" not in visible_text(at) and "open until" not in visible_text(at)


def test_a_handed_over_form_does_not_say_the_partner_can_close_it_and_come_back(db, db_path, issue):
    """On the counselor's device a closed page waits for the counselor's password: the partner
    cannot come back to it by themselves."""
    token = issue("checkin").token
    at = handed_over(db_path, token)
    assert not at.exception
    welcome = visible_text(at)
    assert "Each answer is saved as you go." in welcome and "come back" not in welcome
    assert "close this page" not in welcome  # the counselor hands it to the partner named
    at.button(key=key(token, "start")).click().run()
    assert not at.exception
    shown = visible_text(at)
    assert fill.SAVED_HERE in shown and "come back" not in shown


def test_every_intro_says_come_back_as_a_hand_over_leaves_it_out():
    for instrument in instruments.all_instruments():
        assert instrument.intro.count(fill.COME_BACK) == 1, instrument.id


def test_the_hand_over_client_name_is_the_one_ui_handover_passes():
    from ui import handover

    assert handover.CLIENT == fill.HANDOVER


def test_hello_gives_a_name_ending_in_a_full_stop_no_second_one():
    from ui.fill import _hello

    assert _hello("Alex R.") == "Hello Alex R\\."  # Markdown: the name's own full stop
    assert _hello("Sam") == "Hello Sam."


# -- 11. For a screen reader -------------------------------------------------------------------
def labels(at: AppTest, token: str) -> dict[str, str]:
    """The label of each question on screen, by its item id."""
    prefix = key(token, "a.")
    return {
        node.key.removeprefix(prefix): node.label
        for node in at.main
        if str(getattr(node, "key", "")).startswith(prefix)
    }


def test_required_questions_say_so_in_words_not_with_a_star(db_path, issue):
    """A bare "*" after a question is read out as "star"."""
    token = issue("checkin").token
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    shown = labels(at, token)
    assert shown == {i.id: f"{i.prompt} (required)" for i in CHECKIN.sections[0].items}
    assert fill.REQUIRED_NOTE in visible_text(at) and fill.REQUIRED.strip() in fill.REQUIRED_NOTE
    for item in CHECKIN.sections[0].items:
        answer(at, token, item.id, item.options[0].value)
    at.button(key=key(token, "next")).click().run()
    shown = labels(at, token)
    assert shown, "the second part's questions"
    for item in CHECKIN.sections[1].items:  # required and optional ones side by side
        assert shown[item.id] == item.prompt + (" (required)" if item.required else "")
    assert not any("*" in label for label in shown.values())


def test_the_welcome_heading_is_a_heading_without_a_link_to_itself(db_path, issue):
    """A Markdown heading gets Streamlit's link to it, which a screen reader reads out."""
    token = issue("intake").token
    at = open_page(db_path, token)
    assert [h.value.replace("\\", "") for h in at.title] == [INTAKE.title]
    assert at.title[0].proto.hide_anchor
    assert not [m.value for m in at.markdown if m.value.lstrip().startswith("#")]
    assert "Hello Rachel." in visible_text(at)


# -- counselor-only answers are not shown again on a later visit ----------------------------------
def at_safety_part(db, db_path, token: str) -> AppTest:
    """The intake opened in a fresh browser, on its counselor-only part (every required answer
    given, so resuming opens the last part)."""
    form = instruments.load("intake")
    for item in form.items:
        if item.required:
            links.save_answer(db, token, item.id, item.options[0].value)
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    assert [s.value for s in at.title] == [form.sections[-1].title]
    return at


def test_a_counselor_only_answer_from_an_earlier_visit_is_kept_but_not_shown(
    db, db_path, counselor, couple_id, partners, issue
):
    """A privacy review: the link stays in the phone's history for months, and opening it again
    showed "I feel afraid of my partner: often" to whoever held the phone."""
    token = issue("intake").token
    first = at_safety_part(db, db_path, token)  # the first visit: answered here, shown here
    answer(first, token, "safety_afraid", 4)
    first.text_area(key=key(token, "a.safety_note")).input("Something private").run()
    assert first.radio(key=key(token, "a.safety_afraid")).value == 4
    assert fill.KEPT_HIDDEN not in [c.value for c in first.caption]

    later = at_safety_part(db, db_path, token)  # the link opened again, in another browser
    assert later.radio(key=key(token, "a.safety_afraid")).value is None
    assert later.text_area(key=key(token, "a.safety_note")).value == ""
    assert "Something private" not in everything_on_screen(later)
    assert [c.value for c in later.caption].count(fill.KEPT_HIDDEN) == 2
    # Sent from there, both are kept: the empty box is not an answer taken back.
    later.button(key=key(token, "next")).click().run()
    assert not later.exception
    sent = links.submitted_answers(db, counselor, couple_id, "intake")[partners[0]]["answers"]
    assert sent["safety_afraid"] == 4 and sent["safety_note"] == "Something private"


def test_a_counselor_only_answer_given_again_replaces_the_kept_one(db, db_path, issue):
    token = issue("intake").token
    links.save_answer(db, token, "safety_afraid", 4)
    at = at_safety_part(db, db_path, token)
    assert at.radio(key=key(token, "a.safety_afraid")).value is None
    answer(at, token, "safety_afraid", 1)
    assert links.my_answers(db, token)["safety_afraid"] == 1
    assert at.radio(key=key(token, "a.safety_afraid")).value == 1  # given here: shown


def test_the_last_part_says_how_many_earlier_questions_were_left_unanswered(db, db_path, issue):
    """A partner who skipped a whole part sent without a word (a walkthrough)."""
    token = issue("intake").token
    at = at_safety_part(db, db_path, token)  # only the required answers given
    form = instruments.load("intake")
    left = {n + 1: sum(not i.required for i in s.items) for n, s in enumerate(form.sections[:-1])}
    total = sum(left.values())
    (said,) = [c.value for c in at.caption if "unanswered" in c.value]
    assert said.startswith(f"You left {total} questions unanswered in parts ")
    assert "they are optional" in said


def test_no_word_about_unanswered_questions_when_every_one_was_answered(db, db_path, issue):
    token = issue("checkin").token
    form = instruments.load("checkin")
    for item in form.items:
        if item.is_private:
            continue
        value = item.options[0].value if item.options else (item.min or 0)
        if item.type in instruments.TEXT_TYPES:
            value = "An answer"
        elif item.type == instruments.MULTI:
            value = [item.options[0].value]
        elif item.type == instruments.SPLIT:
            value = 50
        links.save_answer(db, token, item.id, value)
    at = open_page(db_path, token)
    at.button(key=key(token, "start")).click().run()
    assert [s.value for s in at.title] == [form.sections[-1].title]
    assert not [c.value for c in at.caption if "unanswered" in c.value]
