"""Bad input, pure tier: every validator in core given nonsense either cleans it or says why.

Property-based (hypothesis), deterministic (`derandomize=True`, no example database). The
validators here take no database; the form handlers that store what they clean are in
tests/sql/test_bad_input_*.py. Generated cases in this module (sum of `max_examples`):

    clean_text 120 + clean_int 60 + clean_date 80 + partner form 40 + agreement form 40
    + answers 120 + passwords and usernames 60 + markdown 40 + PDF 6 + CSV 40 + time zones 20
    + cookies 20 = 646

The whole campaign and its total: tests/bad_input.py.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import accounts, agreements, audit, exports, instruments, markdown, partners, record
from core.dates import EARLIEST, LATEST, clean_date
from core.errors import ValidationError
from core.schedule import valid_timezone
from core.validation import NAME_MAX_CHARS, clean_int, clean_text
from tests.bad_input import (
    CAMPAIGN,
    assert_clean_text,
    date_strings,
    mostly,
    nasty_date,
    nasty_number,
    nasty_text,
    nasty_value,
    plain_typed,
    typed_text,
    valid_dates,
    visible,
)

LIMITS = st.sampled_from([40, 100, 200, 2_000, 50_000])


# -- text ---------------------------------------------------------------------------------------
@settings(CAMPAIGN, max_examples=120)
@given(value=nasty_value, limit=LIMITS, multiline=st.booleans())
def test_clean_text_gives_clean_text_or_says_what_is_wrong(value, limit, multiline):
    try:
        cleaned = clean_text(value, limit, multiline=multiline)
    except ValueError as e:
        assert str(e).startswith(("is too long", "must be text"))
        return
    assert_clean_text(cleaned, limit)
    if isinstance(value, list | tuple | dict | set | frozenset | bytes | bytearray):
        raise AssertionError(f"a {type(value).__name__} was stored as the text {cleaned!r}")
    if plain_typed(value) and len(value) <= limit:
        assert cleaned == value  # ordinary text is stored exactly as typed
    if isinstance(value, str) and not visible(value):
        assert cleaned == ""  # nothing visible is nothing at all (a required field stays empty)


@settings(CAMPAIGN, max_examples=60)
@given(value=nasty_number, bounds=st.sampled_from([(0, 168), (1, 10), (0, 100), (-90, 300)]))
def test_clean_int_gives_a_whole_number_in_range_or_says_why(value, bounds):
    lo, hi = bounds
    try:
        number = clean_int(value, lo, hi)
    except ValueError as e:
        assert str(e) in ("must be a whole number", f"must be between {lo} and {hi}")
        return
    if number is None:
        assert value is None or (isinstance(value, str) and not value.strip())
        return
    assert type(number) is int and lo <= number <= hi
    assert not isinstance(value, bool | list | dict | tuple | set)
    if isinstance(value, float):
        assert value == number  # 7.0 is 7; 7.5 is never silently 7


# -- dates --------------------------------------------------------------------------------------
@settings(CAMPAIGN, max_examples=80)
@given(value=st.one_of(nasty_date, date_strings))
def test_clean_date_gives_a_date_in_the_window_or_says_why(value):
    try:
        cleaned = clean_date(value)
    except ValueError as e:
        assert str(e).startswith(("is not a date", "must be between"))
        return
    if cleaned is None:
        assert value is None or (isinstance(value, str) and not value.strip())
        return
    assert type(cleaned) is date and EARLIEST <= cleaned <= LATEST
    if isinstance(value, str):
        # Only a whole date (or date and time) is read; trailing junk is refused, not cut off.
        text = value.strip()
        assert text == cleaned.isoformat() or datetime.fromisoformat(text).date() == cleaned
    elif isinstance(value, datetime):
        assert cleaned == value.date()
    else:
        assert cleaned == value


def test_impossible_and_padded_dates_are_refused():
    for bad in ("2024-02-30", "2023-02-29", "0000-01-01", "9999-12-31", "2024-02-03<script>"):
        try:
            clean_date(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
    assert clean_date(" 2024-02-29 ") == date(2024, 2, 29)
    assert clean_date("2024-02-29T10:30") == date(2024, 2, 29)


# -- whole forms --------------------------------------------------------------------------------
partner_raw = st.fixed_dictionaries(
    {"name": mostly(typed_text)},
    optional={
        field: mostly(
            st.one_of(typed_text, st.integers(0, 168)), st.one_of(nasty_value, nasty_number)
        )
        for field in partners.FIELDS
        if field != "name"
    },
)


@settings(CAMPAIGN, max_examples=40)
@given(raw=partner_raw)
def test_a_partner_form_is_cleaned_or_every_bad_field_is_named(raw):
    form = partners.clean_partner(raw, "p1")
    for field, message in form.errors.items():
        assert field.startswith("p1.") and message.endswith(".")
    try:
        values = form.done()
    except ValidationError as e:
        assert e.fields
        return
    name = values["p1.name"]
    assert_clean_text(name, NAME_MAX_CHARS)
    assert visible(name)  # a required name is never blank or invisible
    hours = values.get("p1.weekly_hours")
    assert hours is None or (type(hours) is int and 0 <= hours <= partners.MAX_WEEKLY_HOURS)
    assert values.get("p1.industry") in ("", None, *partners.INDUSTRIES)


agreement_raw = st.fixed_dictionaries(
    {},
    optional={
        "title": mostly(typed_text),
        "body": mostly(typed_text),
        "exit_plan": mostly(typed_text),
        "change_note": mostly(typed_text),
        "kind": mostly(st.sampled_from(list(agreements.KINDS))),
        "status": mostly(st.sampled_from(list(agreements.STATUSES))),
        "review_on": mostly(valid_dates(), nasty_date),
        "confirmed_on": mostly(valid_dates(end=date(2026, 11, 22)), nasty_date),
    },
)


@settings(CAMPAIGN, max_examples=40)
@given(raw=agreement_raw)
def test_an_agreement_form_is_cleaned_or_every_bad_field_is_named(raw):
    try:
        values = agreements.clean(raw, date(2026, 11, 22))
    except ValidationError as e:
        assert e.fields and all(str(m).strip() for m in e.fields.values())
        return
    assert values["kind"] in agreements.KINDS and values["status"] in agreements.STATUSES
    assert visible(values["title"]) and visible(values["body"])
    assert_clean_text(values["title"], agreements.TITLE_MAX_CHARS)
    assert_clean_text(values["body"], agreements.BODY_MAX_CHARS)


# -- questionnaire answers ------------------------------------------------------------------------
ITEMS = [item for i in instruments.all_instruments() for item in i.items]


@st.composite
def item_and_answer(draw):
    item = draw(st.sampled_from(ITEMS))
    option_values = [o.value for o in item.options]
    near = []
    if option_values:
        near.append(st.sampled_from(option_values))
        near.append(st.lists(st.sampled_from(option_values + ["nope", "\x00"]), max_size=6))
    if item.min is not None:
        near.append(st.floats(min_value=item.min - 5, max_value=item.max + 5))
        near.append(st.integers(min_value=int(item.min) - 5, max_value=int(item.max) + 5))
    value = draw(st.one_of(*near, nasty_value, nasty_number))
    return item, value


@settings(CAMPAIGN, max_examples=120)
@given(pair=item_and_answer())
def test_every_answer_is_cleaned_or_refused_with_a_message(pair):
    item, value = pair
    try:
        cleaned = instruments.validate_answer(item, value)
    except ValidationError as e:
        assert list(e.fields) == [item.id]
        return
    if cleaned is None:
        assert not instruments.is_answered(value) or isinstance(value, str)
        return
    # What is stored is valid again as it is, survives JSON, and reads as a label.
    assert instruments.validate_answer(item, cleaned) == cleaned
    assert json.loads(json.dumps(cleaned, ensure_ascii=False)) == cleaned
    json.dumps(cleaned, ensure_ascii=False).encode("utf-8")
    assert instruments.answer_label(item, cleaned)
    if isinstance(cleaned, int | float) and not isinstance(cleaned, bool):
        lo, hi = item.bounds
        assert math.isfinite(cleaned) and lo <= cleaned <= hi
    if isinstance(cleaned, str) and item.type in instruments.TEXT_TYPES:
        assert_clean_text(cleaned, item.max_chars)


# -- accounts -------------------------------------------------------------------------------------
@settings(CAMPAIGN, max_examples=60)
@given(password=st.one_of(nasty_value, st.text(min_size=10, max_size=80)), username=nasty_value)
def test_password_rules_and_usernames_answer_calmly(password, username):
    problem = accounts.password_problem(password, "alex")
    if problem is None:
        assert isinstance(password, str)
        password.encode("utf-8")  # a password that is accepted can be hashed
        assert len(password.encode("utf-8")) <= accounts.PASSWORD_MAX_BYTES
    else:
        assert problem.endswith(".")
    assert accounts.password_matches(password, None) is False
    typed = accounts.normalize_username(username)
    assert isinstance(typed, str)
    typed.encode("utf-8")
    if accounts.USERNAME.match(typed):
        assert typed == typed.strip().lower()


# -- what goes out: Markdown, PDF, CSV ---------------------------------------------------------------
def summary_with(text: str) -> exports.Summary:
    """A summary whose every block carries people's text, each cut to what its field holds."""
    name, label, title = text[:NAME_MAX_CHARS], text[:120], text[:200]
    s = exports.Summary(
        title=f"Session with {name} & {name}",
        lines=[title, "12 Mar 2026"],
        document="Session summary",
        practice="Harbour Street Counselling",
        dated="12 Mar 2026",
    )
    s.add("h2", title)
    s.add("h3", f"Option: {label}")
    s.add("p", text)
    s.add("muted", title)
    s.add("facts", [("Outcome", text), (f"{name}'s veto", f"protects {text[:10_000]}")])
    s.add("bullets", [title, text[:2_000]])
    s.add("table", (["Option", name, name, "Together"], [[label, "7.5", "—", "7.5"]]))
    return s


stored_text = st.one_of(nasty_text, st.text(max_size=40)).map(
    lambda t: clean_text(t[:50_000], 50_000, multiline=True)  # as any stored text is
)


def unescape(escaped: str) -> str:
    """Read escaped Markdown back as plain text, failing on any special left unescaped."""
    out, chars = [], iter(escaped.replace("  \n", "\n"))
    for ch in chars:
        if ch == "\\":
            out.append(next(chars))
        else:
            assert ch not in markdown.SPECIALS, f"unescaped {ch!r}"
            out.append(ch)
    return "".join(out)


def unescape_file(escaped: str) -> str:
    """Read a summary file's escaped text back, failing on markup left unescaped: a character
    that makes markup anywhere, or a heading, list, quote or rule at the start of a line."""
    out = []
    for line in escaped.split("  \n"):
        bare = line.lstrip(" \t")
        assert not bare[:1] or bare[0] not in "#>+=-", f"line starts markup: {line[:20]!r}"
        digits = len(bare) - len(bare.lstrip("0123456789"))
        assert not (digits and bare[digits : digits + 1] in (".", ")")), f"a list: {line[:20]!r}"
        chars = iter(line)
        for ch in chars:
            if ch == "\\":
                out.append(next(chars))
            else:
                assert ch not in markdown.FILE_SPECIALS, f"unescaped {ch!r}"
                out.append(ch)
        out.append("\n")
    return "".join(out)[:-1]


@settings(CAMPAIGN, max_examples=40)
@given(text=stored_text)
def test_markdown_export_keeps_peoples_text_as_text(text):
    # As typed, but for the word joiners that keep an address from becoming a link.
    assert unescape(markdown.escape(text)) == markdown.unlinked(text).replace("\r\n", "\n")
    assert unescape_file(markdown.escape_file(text)) == text.replace("\r\n", "\n")
    out = exports.to_markdown(summary_with(text))
    out.encode("utf-8")
    # Every special character arrives escaped: no tag, link or template survives as such.
    assert "{{" not in out and "<script" not in out.replace("\\<script", "")
    assert "](" not in out.replace("\\](", "")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Zoë's lessons move to mornings: 9.30, not 8.",
            "Zoë's lessons move to mornings: 9.30, not 8.",
        ),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list\n- nor this", "1\\. not a list  \n\\- nor this"),
        (
            "[link](https://evil.example) **bold** <b>",
            "\\[link\\](https://evil.example) \\*\\*bold\\*\\* \\<b\\>",
        ),
    ],
)
def test_a_summary_file_reads_as_plain_text_too(text, shown):
    # Escaping only what can form markup: opened in a text editor, "Zoë's" is not "Zoë\\'s".
    assert markdown.escape_file(text) == shown


def test_an_ampersand_and_a_cells_number_stay_as_typed_in_a_summary_file():
    """'Rachel \\& Marcus' and a matrix cell '5\\.1' (walkthrough, 2026-11-23): an ampersand
    makes markup only as an entity, a number only at the start of a line."""
    assert markdown.escape_file("Rachel & Marcus") == "Rachel & Marcus"
    assert markdown.escape_file("&amp; and &#38;") == "\\&amp; and \\&#38;"
    assert markdown.escape_file("5.1", line_start=False) == "5.1"
    assert markdown.escape_file("5.1") == "5\\.1"
    # A later line still starts a line of the file.
    assert markdown.escape_file("a\n1. b", line_start=False) == "a  \n1\\. b"


@settings(CAMPAIGN, max_examples=6)
@given(
    text=st.sampled_from(
        [
            "Zoë & Łukasz 王芳 💑 שלום مرحبا e\u0301\u0301",
            "\u202eevil\u202c <script>alert(1)</script> '; DROP TABLE couples; --",
            "x" * 20_000,
            "w" * 3000 + " " + "💑" * 500,
            "{{7*7}} $1 %s \\ **bold** [link](javascript:alert(1))",
            "",
        ]
    )
)
def test_pdf_export_prints_any_stored_text(text):
    text = clean_text(text, 50_000, multiline=True)
    pdf = exports.to_pdf(summary_with(text))
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


@settings(CAMPAIGN, max_examples=40)
@given(
    cells=st.lists(
        st.one_of(nasty_text.filter(lambda t: len(t) < 5000), nasty_number), min_size=1, max_size=5
    )
)
def test_csv_cells_never_run_as_formulas_and_read_back(cells):
    rows = [{f"c{i}": v for i, v in enumerate(cells)}]
    for text in (audit.to_csv(rows), record.table_csv(rows, list(rows[0]))):
        text.encode("utf-8", "surrogatepass")
        (header, *body) = list(csv.reader(io.StringIO(text)))
        assert header == list(rows[0])
        for cell, value in zip(body[0], cells, strict=True):
            if isinstance(value, str):  # numbers stay numbers: -40 is not a formula
                assert not cell.startswith(audit.FORMULA_STARTS), cell[:40]


@settings(CAMPAIGN, max_examples=20)
@given(name=st.one_of(nasty_value, st.sampled_from(["UTC", "Europe/London", "../etc/passwd"])))
def test_a_time_zone_is_one_of_the_list_or_refused(name):
    assert valid_timezone(name) in (True, False)


@settings(CAMPAIGN, max_examples=20)
@given(
    token=st.one_of(
        nasty_value,
        st.sampled_from(
            [
                accounts.make_cookie("alex", 1e12, "another key, long enough for HS256 use"),
                accounts.make_cookie("alex", 1e12, "k" * 40)[:-3] + "abc",
                "eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6ImFsZXgifQ.",  # alg "none"
                "a.b.c",
                "x" * 5000,
            ]
        ),
    )
)
def test_a_forged_or_nonsense_remember_me_cookie_signs_no_one_in(token):
    assert accounts.read_cookie(token, "k" * 40) is None


@pytest.mark.parametrize(
    ("url", "secure"),
    [
        ("https://tandem.example.org/", True),
        ("HTTPS://tandem.example.org/Sessions", True),
        ("http://localhost:8501/", False),
        ("http://192.0.2.7/", False),
        ("", False),
        (None, False),
    ],
)
def test_the_remember_me_cookie_is_secure_whenever_the_page_is_on_https(url, secure):
    assert accounts.cookie_secure(url) is secure
