"""What changed between two versions of an agreement: word-level, and safe to show."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core import agreements, markdown
from core.agreements import changes, word_diff


def rebuilt(segments, keep):
    """The text a diff describes on one side: 'delete' for before, 'insert' for after."""
    return "".join(text for op, text in segments if op in ("equal", keep))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("We take turns every two years.", "We take turns every three years."),
        ("", "A brand new agreement."),
        ("Something we dropped.", ""),
        ("Line one.\nLine two.", "Line one.\nLine two, changed.\nLine three."),
        ("Zoë leads until 2027.", "Łukasz leads until 2027; 王芳 advises."),
        ("Marcus can ask for a week to decide.", "Marcus gets until Friday to decide."),
        ("a b c d e f", "a x c y e z"),
        ("One.\n\nTwo two.", "Uno.\n\nDos two."),
    ],
)
def test_a_word_diff_rebuilds_both_versions_exactly(before, after):
    segments = word_diff(before, after)
    assert rebuilt(segments, "delete") == before
    assert rebuilt(segments, "insert") == after


def test_a_word_diff_marks_only_the_changed_word():
    assert word_diff("every two years", "every three years") == [
        ("equal", "every "),
        ("delete", "two"),
        ("insert", "three"),
        ("equal", " years"),
    ]


def test_a_change_reads_as_one_struck_phrase_then_one_added_phrase():
    """Word by word, the two versions interleaved ("~~can~~ gets ~~ask~~ until"): a changed
    stretch broken only by spaces or a short word or two is one removal and one addition."""
    assert word_diff(
        "Marcus can ask for a week to decide.", "Marcus gets until Friday to decide."
    ) == [
        ("equal", "Marcus "),
        ("delete", "can ask for a week"),
        ("insert", "gets until Friday"),
        ("equal", " to decide."),
    ]


def test_short_unchanged_words_between_changes_go_into_both_phrases():
    # "a" joins the two changes around it (it is in both phrases); "and talk it" is long
    # enough to read on its own and stays unchanged text between two changes.
    segments = word_diff(
        "We ask for a week and talk it through.",
        "We ask for at least a week, check the deadline, and talk it through with the matrix.",
    )
    assert segments == [
        ("equal", "We ask for "),
        ("delete", "a week"),
        ("insert", "at least a week, check the deadline,"),
        ("equal", " and talk it "),
        ("delete", "through."),  # a full stop is part of its word
        ("insert", "through with the matrix."),
    ]


@pytest.mark.parametrize(
    ("kept", "joined"),
    [
        (" ", True),
        (" to ", True),
        (" to the ", True),
        (" to the end ", False),  # three words
        (" review ", False),  # a word long enough to read on its own
        ("\n", False),  # a line break keeps each line's changes on its line
    ],
)
def test_which_unchanged_text_joins_the_changes_on_either_side(kept, joined):
    segments = word_diff(f"old{kept}old", f"new{kept}new")
    assert (len(segments) == 2) is joined, segments
    assert rebuilt(segments, "delete") == f"old{kept}old"
    assert rebuilt(segments, "insert") == f"new{kept}new"


def test_identical_texts_have_no_change():
    assert word_diff("same", "same") == [("equal", "same")]


def version(**fields):
    base = {
        "title": "Taking turns",
        "kind": "turns",
        "status": "draft",
        "body": "We alternate who leads.",
        "exit_plan": "",
        "review_on": None,
        "confirmed_on": None,
    }
    return {**base, **fields}


def test_changes_lists_each_changed_field_in_words():
    before = version()
    after = version(
        status="active", review_on=date(2027, 3, 7), body="We alternate who leads, yearly."
    )
    found = {c.field: c for c in changes(before, after)}
    assert set(found) == {"status", "review_on", "body"}
    assert (found["status"].before, found["status"].after) == ("Draft", "Active")
    assert (found["review_on"].before, found["review_on"].after) == ("none", "7 Mar 2027")
    assert ("insert", ", yearly.") in found["body"].words or any(
        op == "insert" and "yearly" in text for op, text in found["body"].words
    )
    assert found["status"].words == ()  # short fields are shown as before → after


def test_unchanged_versions_have_no_changes():
    assert changes(version(), version()) == []


# -- shown safely -------------------------------------------------------------------------------
HOSTILE = [
    "<script>alert(1)</script>",
    "[click me](https://evil.example)",
    "**bold** _it_ ~~gone~~",
    ":red[colour] $x^2$",
    "![img](https://evil.example/x.png)",
    "<img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_leaves_no_markdown_or_html_active(text):
    unescaped = re.sub(r"\\.", "", markdown.escape(text))  # drop every escaped character
    assert not set(unescaped) & set("<>[]()*_~:$!")


@pytest.mark.parametrize("text", HOSTILE)
def test_a_diff_of_hostile_text_renders_it_as_text(text):
    rendered = markdown.diff_markdown(word_diff("safe words", f"safe {text} words"))
    assert ":green-background[" in rendered
    inner = rendered.replace(":green-background[", "").replace(":red-background[~~", "")
    assert "<script" not in inner.replace("\\<", "")
    assert "](" not in inner.replace("\\]\\(", "")


def test_diff_markers_keep_spaces_outside_so_markdown_applies():
    rendered = markdown.diff_markdown(
        [("equal", "we "), ("delete", "never "), ("insert", "sometimes ")]
    )
    assert ":red-background[~~never~~] " in rendered
    assert ":green-background[**sometimes**] " in rendered


def test_added_and_removed_text_are_marked_by_more_than_colour():
    """Struck through and bold: colour alone does not tell a reader which is which."""
    rendered = markdown.diff_markdown(word_diff("we ask for a week", "we take a month"))
    assert rendered == "we :red-background[~~ask for a week~~]:green-background[**take a month**]"


def test_diff_keeps_line_breaks_as_hard_breaks():
    rendered = markdown.diff_markdown([("equal", "one\ntwo")])
    assert rendered == "one  \ntwo"


def test_the_kinds_include_time_bound_trials_and_offers():
    assert {"trial", "offers", "turns", "veto", "household"} <= set(agreements.KINDS)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("see https://evil.example/x", "https\\:\u2060//evil"),
        ("WWW.example.org", "WWW\u2060\\.example"),
        ("write to sam@example.org", "sam\u2060@example"),
    ],
)
def test_an_address_typed_into_text_does_not_become_a_link(typed, kept):
    """Escaping left GitHub-style autolinks: a bare address or e-mail was a live link."""
    assert kept in markdown.escape(typed)
    assert markdown.escape(typed).replace("\u2060", "").replace("\\", "") == typed
