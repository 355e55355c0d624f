"""Cleaning and checking of typed input: text, numbers, shapes, and whole forms."""

from __future__ import annotations

import pytest

from core import partners, validation
from core.errors import NotFound, ValidationError
from core.validation import EMAIL, PHONE, Form, clean_int, clean_text


@pytest.mark.parametrize(
    ("raw", "multiline", "expected"),
    [
        (None, False, ""),
        ("  Rachel  ", False, "Rachel"),
        ("Zoe\u0308", False, "Zoë"),  # decomposed input is stored composed (NFC)
        ("\tŁukasz ", False, "Łukasz"),
        ("王芳", False, "王芳"),
        ("Anna\x00\x07 Maria", False, "Anna Maria"),
        ("Anna\u2028Maria", False, "AnnaMaria"),
        ("two\n\nlines\ttab", False, "two lines tab"),
        ("line 1\r\nline 2\rline 3", True, "line 1\nline 2\nline 3"),
        ("keeps\ttabs\nand  spaces", True, "keeps\ttabs\nand  spaces"),
        (42, False, "42"),
    ],
)
def test_clean_text_normalises_what_people_type(raw, multiline, expected):
    assert clean_text(raw, 100, multiline=multiline) == expected


def test_clean_text_counts_the_limit_after_trimming():
    assert clean_text("  " + "a" * 10 + "  ", 10) == "a" * 10
    with pytest.raises(ValueError, match="limit is 10"):
        clean_text("a" * 11, 10)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, None), ("", None), ("   ", None), ("5", 5), (5, 5), (5.0, 5), (" 7 ", 7), (0, 0)],
)
def test_clean_int_accepts_blank_and_whole_numbers(raw, expected):
    assert clean_int(raw, 0, 168) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (True, "whole number"),
        (3.7, "whole number"),
        (float("nan"), "whole number"),
        (float("inf"), "whole number"),
        ("abc", "whole number"),
        ("4.5", "whole number"),
        (-1, "between 0 and 168"),
        (169, "between 0 and 168"),
        ("10**100", "whole number"),
    ],
)
def test_clean_int_refuses_anything_else(raw, message):
    with pytest.raises(ValueError, match=message):
        clean_int(raw, 0, 168)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("sam@example.org", True),
        ("zoë@exemple.pt", True),
        ("sam@example", False),
        ("sam example@x.org", False),
        ("@example.org", False),
        ("", False),
    ],
)
def test_email_shape(value, ok):
    assert bool(EMAIL.match(value)) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("+44 20 7946 0000", True),
        ("(555) 010-0199", True),
        ("555.0100", True),
        ("1234", False),
        ("call me", False),
        ("+1" + "2" * 40, False),
    ],
)
def test_phone_shape(value, ok):
    assert bool(PHONE.match(value)) is ok


def test_form_reports_every_bad_field_at_once():
    form = Form({"name": " ", "email": "nope", "role": "boss", "hours": "x"})
    form.text("name", "Name", 10, required=True)
    form.pattern("email", "E-mail", EMAIL, "sam@example.org")
    form.choice("role", "Role", ("counselor", "admin"), required=True)
    form.integer("hours", "Hours", 0, 10)
    with pytest.raises(ValidationError) as caught:
        form.done()
    assert caught.value.fields == {
        "name": "Name is required.",
        "email": "E-mail does not look right (for example sam@example.org).",
        "role": "Role must be one of: counselor, admin.",
        "hours": "Hours must be a whole number.",
    }
    assert "name: Name is required." in str(caught.value)


def test_form_returns_cleaned_values_when_all_is_well():
    form = Form({"name": " Zoe\u0308 ", "role": "admin", "hours": "12"})
    form.text("name", "Name", 10, required=True)
    form.pattern("email", "E-mail", EMAIL, "sam@example.org")
    form.choice("role", "Role", ("counselor", "admin"), required=True)
    form.integer("hours", "Hours", 0, 168)
    assert form.done() == {"name": "Zoë", "email": "", "role": "admin", "hours": 12}


def test_form_names_a_too_long_field_with_its_limit():
    form = Form({"notes": "x" * 11})
    form.text("notes", "Notes", 10, multiline=True)
    with pytest.raises(ValidationError, match="Notes is too long"):
        form.done()


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"name": ""}, "p2.name"),
        ({"name": "Zoë", "weekly_hours": 169}, "p2.weekly_hours"),
        ({"name": "Zoë", "industry": "Astrology"}, "p2.industry"),
        ({"name": "Zoë", "career_stage": "Retired early"}, "p2.career_stage"),
        ({"name": "Zoë", "email": "zoe@"}, "p2.email"),
        ({"name": "Zoë", "phone": "ring me"}, "p2.phone"),
        ({"name": "Z" * 101}, "p2.name"),
    ],
)
def test_partner_errors_are_keyed_by_partner_and_field(raw, field):
    form = partners.clean_partner(raw, "p2")
    assert list(form.errors) == [field]


def test_partner_fields_are_the_same_for_both_partners():
    one = partners.clean_partner({"name": "A", "industry": "Law"}, "p1")
    two = partners.clean_partner({"name": "B", "industry": "Law"}, "p2")
    assert partners.strip_prefix(one.values, "p1").keys() == set(partners.FIELDS)
    assert partners.strip_prefix(one.values, "p1").keys() == (
        partners.strip_prefix(two.values, "p2").keys()
    )


@pytest.mark.parametrize("value", [7, "7", " 7 ", 7.0])
def test_a_record_id_is_read_as_an_int(value):
    assert validation.record_id(value, "season") == 7


@pytest.mark.parametrize(
    "value", [None, True, "", "abc", 0, -3, 10**40, float("nan"), [1], "7.5", 7.5]
)
def test_anything_else_names_no_record(value):
    with pytest.raises(NotFound, match="season"):
        validation.record_id(value, "season")
