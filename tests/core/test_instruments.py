"""Instrument files: the shipped ones load and say what they must; broken ones fail loudly."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest

from core import instruments
from core.errors import TandemError, ValidationError
from core.instruments import (
    COUNSELOR,
    INSTRUMENTS_DIR,
    InstrumentError,
    answer_label,
    load,
    load_file,
    missing_required,
    validate_answer,
)

# Homework exercises (issue 5): sent through private links, answers kept with the session.
EXERCISES = (
    "exercise_career_history",
    "exercise_day_in_life",
    "exercise_opportunity_cost",
    "exercise_support_inventory",
)
SHIPPED = ("checkin", "csi4", *EXERCISES, "intake")

# ---------------------------------------------------------------------------------------------
# The shipped instruments


@pytest.mark.parametrize("instrument_id", SHIPPED)
def test_shipped_instrument_loads_and_tells_the_partner_answers_are_saved_and_private(
    instrument_id,
):
    instrument = load(instrument_id)
    assert instrument.id == instrument_id
    assert instrument.version >= 1
    assert instrument.minutes >= 1
    assert "saved as you go" in instrument.intro
    assert "partner never sees" in instrument.intro


def test_all_instruments_lists_every_file_in_the_folder():
    assert tuple(i.id for i in instruments.all_instruments()) == SHIPPED
    assert {p.stem for p in INSTRUMENTS_DIR.glob("*.toml")} == set(SHIPPED)


def test_load_is_cached():
    assert load("csi4") is load("csi4")


def test_intake_is_about_fifteen_minutes_of_45_to_60_questions():
    intake = load("intake")
    assert intake.minutes == 15
    assert 45 <= len(intake.items) <= 60


@pytest.mark.parametrize(
    "section_id",
    [
        "work_and_me",
        "trajectory",
        "two_careers",
        "what_if",
        "family_values",
        "support",
        "mixed_feelings",
        "my_work_demands",
        "patterns",
        "safety",
    ],
)
def test_intake_covers_each_domain(section_id):
    assert section_id in {s.id for s in load("intake").sections}


@pytest.mark.parametrize("instrument_id", ["intake", "checkin"])
def test_safety_items_are_counselor_only_and_nothing_else_is(instrument_id):
    instrument = load(instrument_id)
    for section in instrument.sections:
        for item in section.items:
            assert item.is_private == (section.id == "safety"), item.id
    safety = next(s for s in instrument.sections if s.id == "safety")
    assert safety.private == COUNSELOR
    assert all(not i.required for i in safety.items)


def test_intake_has_the_five_warning_questions_and_six_red_flag_patterns():
    intake = load("intake")
    by_section = {s.id: s for s in intake.sections}
    assert len(by_section["my_work_demands"].items) == 5
    assert {i.type for i in by_section["my_work_demands"].items} == {"yes_no"}
    assert len(by_section["patterns"].items) == 6
    assert intake.score("red_flag_patterns").items == tuple(
        i.id for i in by_section["patterns"].items
    )


def test_household_and_mental_load_are_percentage_splits_in_intake_and_checkin():
    for instrument_id in ("intake", "checkin"):
        instrument = load(instrument_id)
        for item_id in ("household_share", "mental_load_share"):
            item = instrument.item(item_id)
            assert (item.type, item.min, item.max) == ("split", 0, 100)


# Words that would make a question about one gender or one "primary" partner.
GENDERED = re.compile(r"\b(he|she|him|his|her|hers|husband|wife|spouse|primary)\b", re.I)


@pytest.mark.parametrize("instrument_id", SHIPPED)
def test_wording_is_symmetric_and_never_gendered(instrument_id):
    instrument = load(instrument_id)
    texts = [instrument.title, instrument.intro]
    for section in instrument.sections:
        texts += [section.title, section.intro]
        for item in section.items:
            texts += [item.prompt, item.help, item.min_label, item.max_label]
            texts += [o.label for o in item.options]
    hits = [t for t in texts if GENDERED.search(t)]
    assert hits == []


# The CSI-4 exactly as published (Funk & Rogge, 2007): stem, then anchors in score order.
CSI4_PUBLISHED = [
    (
        "csi4_happiness",
        "Please indicate the degree of happiness, all things considered, of your relationship.",
        [
            "Extremely Unhappy",
            "Fairly Unhappy",
            "A Little Unhappy",
            "Happy",
            "Very Happy",
            "Extremely Happy",
            "Perfect",
        ],
    ),
    (
        "csi4_warm",
        "I have a warm and comfortable relationship with my partner",
        [
            "Not at all TRUE",
            "A little TRUE",
            "Somewhat TRUE",
            "Mostly TRUE",
            "Almost Completely TRUE",
            "Completely TRUE",
        ],
    ),
    (
        "csi4_rewarding",
        "How rewarding is your relationship with your partner?",
        ["Not at all", "A little", "Somewhat", "Mostly", "Almost Completely", "Completely"],
    ),
    (
        "csi4_satisfied",
        "In general, how satisfied are you with your relationship?",
        ["Not at all", "A little", "Somewhat", "Mostly", "Almost Completely", "Completely"],
    ),
]


@pytest.mark.parametrize(("item_id", "prompt", "labels"), CSI4_PUBLISHED)
def test_csi4_item_is_transcribed_exactly_and_scored_from_zero(item_id, prompt, labels):
    item = load("csi4").item(item_id)
    assert item.prompt == prompt
    assert [o.label for o in item.options] == labels
    assert [o.value for o in item.options] == list(range(len(labels)))
    assert item.required and not item.reverse and item.healthy == "high"


def test_csi4_is_a_cited_validated_measure_with_the_published_cutoff():
    csi4 = load("csi4")
    assert csi4.validated
    assert "Funk, J. L., & Rogge, R. D. (2007)" in csi4.citation
    assert "10.1037/0893-3200.21.4.572" in csi4.citation
    assert csi4.cutoff("csi4_total").below == 13.5
    total = csi4.score("csi4_total")
    assert (total.min, total.max, total.method) == (0, 21, "sum")
    assert total.reliable_change is None  # none published; see the note in the file
    assert total.reliable_change_note


def test_checkin_includes_the_csi4_items_instead_of_repeating_their_wording():
    checkin, csi4 = load("checkin"), load("csi4")
    section = checkin.sections[0]
    assert section.include == "csi4"
    assert section.items == csi4.items
    assert checkin.score("csi4_total") == csi4.score("csi4_total")
    assert checkin.cutoff("csi4_total") == csi4.cutoff("csi4_total")
    assert "warm and comfortable" not in Path(checkin.path).read_text(encoding="utf-8")


def test_checkin_asks_the_seven_success_indicators_on_a_1_to_5_scale():
    checkin = load("checkin")
    indicators = next(s for s in checkin.sections if s.id == "indicators").items
    assert len(indicators) == 7
    for item in indicators:
        assert [o.value for o in item.options] == [1, 2, 3, 4, 5]
    assert checkin.score("success_indicators").items == tuple(i.id for i in indicators)


@pytest.mark.parametrize(
    ("item_id", "healthy"),
    [("fairness_me", "high"), ("heard", "high"), ("resentment", "low"), ("stress", "low")],
)
def test_checkin_sliders_say_which_end_is_healthy(item_id, healthy):
    item = load("checkin").item(item_id)
    assert (item.type, item.min, item.max, item.healthy) == ("slider", 0, 10, healthy)


@pytest.mark.parametrize(
    ("item_id", "values"),
    [
        ("career_lead", ["mine", "my_partners", "balanced", "neither"]),
        ("last_decision", ["together", "mostly_me", "mostly_partner", "none_recent"]),
    ],
)
def test_checkin_choices_offer_every_perspective(item_id, values):
    assert [o.value for o in load("checkin").item(item_id).options] == values


# ---------------------------------------------------------------------------------------------
# Broken files fail loudly, naming the file and the problem

HEADER = """
id = "broken"
version = 1
title = "Broken"
intro = "Saved as you go."
minutes = 1
"""

SCALE_ITEM = """
  [[sections.items]]
  id = "q1"
  type = "scale"
  prompt = "A question"
  options = [{ value = 1, label = "Low" }, { value = 2, label = "High" }]
"""


def section(*items: str) -> str:
    """A [[sections]] table holding the given item tables."""
    return '\n[[sections]]\nid = "s1"\ntitle = "Section"\n' + "".join(items)


def item(body: str) -> str:
    """An item table from its key lines."""
    return "\n  [[sections.items]]\n" + body


BROKEN = [
    ("invalid TOML", "id = ", "is not valid TOML"),
    ("no sections", HEADER, "has no [[sections]]"),
    (
        "id differs from file name",
        HEADER.replace('"broken"', '"other"') + section(SCALE_ITEM),
        "does not match the file name",
    ),
    ("version missing", HEADER.replace("version = 1", "") + section(SCALE_ITEM), "version"),
    ("typo in a top-level key", HEADER + 'titel = "x"\n' + section(SCALE_ITEM), "titel"),
    (
        "unknown type",
        HEADER + section(item('id = "q1"\ntype = "likert"\nprompt = "A question"\n')),
        "unknown type 'likert'",
    ),
    ("duplicate item id", HEADER + section(SCALE_ITEM, SCALE_ITEM), "duplicate item id 'q1'"),
    (
        "scale without options",
        HEADER + section(item('id = "q1"\ntype = "scale"\nprompt = "A question"\n')),
        "a scale needs options",
    ),
    (
        "scale with one option",
        HEADER + section(SCALE_ITEM.replace(', { value = 2, label = "High" }', "")),
        "at least two options",
    ),
    (
        "scale option that is not a whole number",
        HEADER + section(SCALE_ITEM.replace("value = 2", "value = 2.5")),
        "must be whole numbers",
    ),
    (
        "duplicate option value",
        HEADER + section(SCALE_ITEM.replace("value = 2", "value = 1")),
        "duplicate option value",
    ),
    (
        "unknown option set",
        HEADER + section(item('id = "q1"\ntype = "scale"\nprompt = "Q"\noption_set = "agree9"\n')),
        "unknown option_set 'agree9'",
    ),
    (
        "key that does not apply to the type",
        HEADER + section(item('id = "q1"\ntype = "short_text"\nprompt = "Q"\nmin = 1\n')),
        "min does not apply to a short_text item",
    ),
    (
        "slider without end labels",
        HEADER + section(item('id = "q1"\ntype = "slider"\nprompt = "Q"\nmax_label = "Hi"\n')),
        "missing min_label",
    ),
    (
        "slider range that is not whole steps",
        HEADER
        + section(
            item(
                'id = "q1"\ntype = "slider"\nprompt = "Q"\nstep = 3\n'
                'min_label = "Lo"\nmax_label = "Hi"\n'
            )
        ),
        "not a whole number of steps",
    ),
    (
        "number without a range",
        HEADER + section(item('id = "q1"\ntype = "number"\nprompt = "Q"\nmax = 10\n')),
        "needs min and max",
    ),
    (
        "reverse-keyed item that is not a scale",
        HEADER
        + section(
            item(
                'id = "q1"\ntype = "slider"\nprompt = "Q"\nreverse = true\n'
                'min_label = "Lo"\nmax_label = "Hi"\n'
            )
        ),
        "reverse-keyed items must be scales",
    ),
    (
        "unknown healthy direction",
        HEADER + section(SCALE_ITEM + 'healthy = "up"\n'),
        "healthy must be one of",
    ),
    (
        "private for someone other than the counselor",
        HEADER + section(SCALE_ITEM + 'private = "partner"\n'),
        'private must be "counselor"',
    ),
    (
        "mirror that does not mirror back",
        HEADER
        + section(
            item(
                'id = "q1"\ntype = "single_choice"\nprompt = "Q"\noptions = [\n'
                '{ value = "mine", label = "Mine", mirror = "theirs" },\n'
                '{ value = "theirs", label = "Theirs" }]\n'
            )
        ),
        "must mirror 'mine' back",
    ),
    (
        "subscale naming an unknown item",
        HEADER
        + section(SCALE_ITEM)
        + '\n[[scores]]\nid = "t"\nlabel = "T"\nitems = ["q1", "nope"]\nmeaning = "M"\n',
        "score 't': names unknown item 'nope'",
    ),
    (
        "subscale over a text item",
        HEADER
        + section(item('id = "q1"\ntype = "long_text"\nprompt = "Q"\n'))
        + '\n[[scores]]\nid = "t"\nlabel = "T"\nitems = ["q1"]\nmeaning = "M"\n',
        "is a long_text, which cannot be scored",
    ),
    (
        "subscale over a counselor-only item",
        HEADER
        + section(SCALE_ITEM + 'private = "counselor"\n')
        + '\n[[scores]]\nid = "t"\nlabel = "T"\nitems = ["q1"]\nmeaning = "M"\n',
        "counselor-only and must not feed a score",
    ),
    (
        "unknown scoring method",
        HEADER
        + section(SCALE_ITEM)
        + '\n[[scores]]\nid = "t"\nlabel = "T"\nitems = ["q1"]\nmeaning = "M"\nmethod = "max"\n',
        "method must be one of sum, mean",
    ),
    (
        "reliable change without a source",
        HEADER
        + section(SCALE_ITEM)
        + '\n[[scores]]\nid = "t"\nlabel = "T"\nitems = ["q1"]\nmeaning = "M"\n'
        + "reliable_change = 3\n",
        "reliable_change needs a reliable_change_source",
    ),
    (
        "cutoff naming an unknown score",
        HEADER
        + section(SCALE_ITEM)
        + '\n[[cutoffs]]\nscore = "nope"\nbelow = 1.5\nbelow_meaning = "B"\nabove_meaning = "A"\n',
        "cutoff 1 names unknown score 'nope'",
    ),
    (
        "cutoff outside the score's range",
        HEADER
        + section(SCALE_ITEM)
        + '\n[[scores]]\nid = "t"\nlabel = "T"\nitems = ["q1"]\nmeaning = "M"\n'
        + '\n[[cutoffs]]\nscore = "t"\nbelow = 9\nbelow_meaning = "B"\nabove_meaning = "A"\n',
        "outside the score's range 1..2",
    ),
    (
        "validated measure with scores but no citation",
        HEADER
        + "validated = true\n"
        + section(SCALE_ITEM)
        + '\n[[scores]]\nid = "t"\nlabel = "T"\nitems = ["q1"]\nmeaning = "M"\n',
        "validated measure with scores but has no citation",
    ),
    (
        "include of an instrument that does not exist",
        HEADER + '\n[[sections]]\nid = "s1"\ninclude = "ghost"\n',
        "cannot include 'ghost'",
    ),
    (
        "include that points back at itself",
        HEADER + '\n[[sections]]\nid = "s1"\ninclude = "broken"\n',
        "include cycle: broken -> broken",
    ),
    (
        "section with both include and items",
        HEADER + '\n[[sections]]\nid = "s1"\ninclude = "x"\n' + SCALE_ITEM,
        "has both include and items",
    ),
    (
        "item opting out of a counselor-only section",
        HEADER
        + '\n[[sections]]\nid = "s1"\ntitle = "Safety"\nprivate = "counselor"\n'
        + item('id = "q1"\ntype = "yes_no"\nprompt = "Q"\nprivate = "nobody"\n'),
        'private must be "counselor"',
    ),
]


@pytest.mark.parametrize(("case", "text", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_instrument_file_is_rejected_naming_the_file_and_the_problem(
    tmp_path, case, text, problem
):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith("broken.toml: ")
    assert problem in message
    assert isinstance(caught.value, TandemError)


def test_loading_an_unknown_or_unsafe_id_fails_loudly(tmp_path):
    with pytest.raises(InstrumentError, match="no instrument called 'ghost'"):
        load("ghost", tmp_path)
    with pytest.raises(InstrumentError, match="not a valid instrument id"):
        load("../intake", tmp_path)


def test_an_include_reports_the_included_files_problem(tmp_path):
    (tmp_path / "inner.toml").write_text(HEADER.replace('"broken"', '"inner"'), encoding="utf-8")
    (tmp_path / "outer.toml").write_text(
        HEADER.replace('"broken"', '"outer"') + '\n[[sections]]\nid = "s1"\ninclude = "inner"\n',
        encoding="utf-8",
    )
    with pytest.raises(InstrumentError, match=r"outer.toml: .*inner.toml: has no \[\[sections\]\]"):
        load_file(tmp_path / "outer.toml")


# ---------------------------------------------------------------------------------------------
# Every response type, and the answers each accepts

EVERY_TYPE = """
id = "every"
version = 2
title = "Every type"
intro = "Saved as you go."
minutes = 3

[[sections]]
id = "all"
title = "All"

  [[sections.items]]
  id = "scale"
  type = "scale"
  prompt = "Scale"
  options = [
    { value = 1, label = "Low" }, { value = 2, label = "Mid" }, { value = 3, label = "High" },
  ]

  [[sections.items]]
  id = "slider"
  type = "slider"
  prompt = "Slider"
  min_label = "None"
  max_label = "Lots"

  [[sections.items]]
  id = "split"
  type = "split"
  prompt = "Split"
  step = 5

  [[sections.items]]
  id = "hours"
  type = "number"
  prompt = "Hours"
  min = 0
  max = 168
  step = 0.5
  unit = "hours a week"

  [[sections.items]]
  id = "single"
  type = "single_choice"
  prompt = "Single"
  options = [
    { value = "mine", label = "Mine", mirror = "theirs" },
    { value = "theirs", label = "My partner's", mirror = "mine" },
    { value = "both", label = "Both" },
  ]

  [[sections.items]]
  id = "multi"
  type = "multiple_choice"
  prompt = "Multi"
  max_choices = 2
  options = [
    { value = "a", label = "Apple" }, { value = "b", label = "Banana" },
    { value = "c", label = "Cherry" },
  ]

  [[sections.items]]
  id = "short"
  type = "short_text"
  prompt = "Short"

  [[sections.items]]
  id = "long"
  type = "long_text"
  prompt = "Long"
  required = true

  [[sections.items]]
  id = "yes_no"
  type = "yes_no"
  prompt = "Yes or no"

[[scores]]
id = "total"
label = "Total"
items = ["scale", "slider"]
meaning = "Higher is more."
"""


@pytest.fixture
def every(tmp_path):
    """An instrument with one item of every response type."""
    path = tmp_path / "every.toml"
    path.write_text(EVERY_TYPE, encoding="utf-8")
    return load_file(path)


def test_every_response_type_loads_with_its_defaults(every):
    got = {i.id: i for i in every.items}
    assert got["slider"].min == 0 and got["slider"].max == 10 and got["slider"].step == 1
    assert (got["split"].min, got["split"].max, got["split"].step) == (0, 100, 5)
    assert (got["split"].me_label, got["split"].partner_label) == ("Me", "My partner")
    assert got["short"].max_chars == 200
    assert got["long"].max_chars == 4000
    assert got["scale"].healthy == "high" and got["hours"].healthy == "none"
    assert got["single"].healthy is None


def test_scored_items_are_required_by_default_and_others_are_not(every):
    required = {i.id for i in every.items if i.required}
    assert required == {"scale", "slider", "long"}


TEN_MB = "x" * (10 * 1024 * 1024)

# (item id, raw answer, cleaned answer)
ACCEPTED = [
    ("scale", 3, 3),
    ("scale", 2.0, 2),
    ("slider", 0, 0),
    ("slider", 10, 10),
    ("slider", 7.0, 7),
    ("split", 70, 70),
    ("split", 0, 0),
    ("split", 100, 100),
    ("hours", 37.5, 37.5),
    ("hours", 168, 168),
    ("single", "both", "both"),
    ("multi", ["c", "a"], ["a", "c"]),
    ("multi", ("b",), ["b"]),
    ("short", "  hello\x00   there\x07 ", "hello there"),
    ("long", "line one\r\nline\u2028 two", "line one\nline two"),
    ("yes_no", True, True),
    ("yes_no", False, False),
    ("yes_no", "Yes", True),
    ("yes_no", "no", False),
    ("scale", None, None),
    ("short", "   ", None),
    ("multi", [], None),
    ("long", "\x00\x01", None),
]


@pytest.mark.parametrize(("item_id", "raw", "cleaned"), ACCEPTED)
def test_an_acceptable_answer_comes_back_cleaned(every, item_id, raw, cleaned):
    value = validate_answer(every.item(item_id), raw)
    assert value == cleaned
    assert type(value) is type(cleaned)


# (item id, raw answer, part of the message)
REFUSED = [
    ("scale", 4, "must be one of the listed answers (1, 2, 3)"),
    ("scale", 2.5, "must be one of the listed answers"),
    ("scale", "2", "must be a number"),
    ("scale", True, "must be a number"),
    ("scale", math.nan, "must be a finite number"),
    ("slider", 11, "must be between 0 and 10"),
    ("slider", -1, "must be between 0 and 10"),
    ("slider", 7.5, "must be in steps of 1"),
    ("slider", math.inf, "must be a finite number"),
    ("split", 101, "must be between 0 and 100"),
    ("split", 72, "must be in steps of 5"),
    ("hours", 168.5, "must be between 0 and 168"),
    ("hours", 40.25, "must be in steps of 0.5"),
    ("hours", -math.inf, "must be a finite number"),
    ("hours", "40", "must be a number"),
    ("single", "ours", "is not one of the listed answers"),
    ("single", 1, "must be one of the listed answers"),
    ("multi", "a", "must be a list"),
    ("multi", ["a", "a"], "lists the same answer twice"),
    ("multi", ["a", "z"], "is not a listed answer"),
    ("multi", ["a", "b", "c"], "at most 2 choices"),
    ("multi", [1], "must be a list of the listed answers"),
    ("short", "x" * 201, "is too long (201 characters; the limit is 200)"),
    ("short", 42, "must be text"),
    ("long", "y" * 4001, "the limit is 4,000"),
    ("yes_no", 1, "must be yes or no"),
    ("yes_no", "maybe", "must be yes or no"),
]


@pytest.mark.parametrize(("item_id", "raw", "problem"), REFUSED)
def test_a_bad_answer_is_refused_with_a_message_for_that_item(every, item_id, raw, problem):
    with pytest.raises(ValidationError) as caught:
        validate_answer(every.item(item_id), raw)
    assert list(caught.value.fields) == [item_id]
    assert problem in caught.value.fields[item_id]


@pytest.mark.parametrize("item_id", ["short", "long"])
def test_a_ten_megabyte_answer_is_refused_quickly(every, item_id):
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        validate_answer(every.item(item_id), TEN_MB)
    assert time.perf_counter() - started < 0.05
    assert "is too long (10,485,760 characters" in caught.value.fields[item_id]


def test_clean_answers_names_every_bad_and_unknown_item_at_once(every):
    with pytest.raises(ValidationError) as caught:
        instruments.clean_answers(every, {"scale": 9, "split": 7, "ghost": 1, "short": "ok"})
    assert set(caught.value.fields) == {"scale", "split", "ghost"}
    assert "not a question in this form" in caught.value.fields["ghost"]


MISSING = [
    ({}, ["scale", "slider", "long"]),
    ({"scale": 1, "slider": 0}, ["long"]),
    ({"scale": 1, "slider": 0, "long": "   "}, ["long"]),
    ({"long": "done", "slider": 5}, ["scale"]),
    ({"scale": 1, "slider": 0, "long": "done"}, []),
]


@pytest.mark.parametrize(("answers", "missing"), MISSING)
def test_missing_required_lists_unanswered_required_items_in_form_order(every, answers, missing):
    assert missing_required(every, answers) == missing


LABELS = [
    ("scale", 3, "High"),
    ("slider", 7, "7 of 10"),
    ("split", 70, "Me 70% · My partner 30%"),
    ("hours", 37.5, "37.5 hours a week"),
    ("single", "theirs", "My partner's"),
    ("multi", ["a", "c"], "Apple; Cherry"),
    ("yes_no", False, "No"),
    ("short", "hello", "hello"),
    ("scale", None, "Not answered"),
]


@pytest.mark.parametrize(("item_id", "value", "label"), LABELS)
def test_answer_label_reads_as_a_person_would_say_it(every, item_id, value, label):
    assert answer_label(every.item(item_id), value) == label
