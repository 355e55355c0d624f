"""Hypothesis strategies and checks shared by the bad-input campaign (tests/*/test_bad_input_*).

Every strategy mixes what a person can type or paste (huge, empty, invisible, control and NUL
characters, emoji, right-to-left text and bidi overrides, combining marks, SQL and HTML
metacharacters) with what a buggy caller or a tampered request could hand core instead (None,
lists, dicts, NaN, infinities, huge and negative numbers, impossible dates).

The campaign, in generated cases (the sum of each test's `max_examples`; the explicit
`@example`s come on top):

    tests/core/test_bad_input_validation.py   646  validators, answers, passwords, exports,
                                                   cookies
    tests/sql/test_bad_input_couples.py       215  couples: create, edit, notes, search, delete
    tests/sql/test_bad_input_records.py       530  agreements, decisions, seasons, ledger,
                                                   roadmap, sessions, check-in schedule
    tests/sql/test_bad_input_accounts.py      200  accounts, passwords, sign-in, audit search
    tests/sql/test_bad_input_links.py         135  a partner's answers, tokens, submit
    tests/sql/test_bad_input_exports.py        31  names into Markdown, PDF, the record zip and
                                                   a partner's own data
                                             ----
                                             1757

All of it runs in about 45 s on one core; `--hypothesis-show-statistics` shows, per test, how
many cases were accepted and how many refused (and with which error).
"""

from __future__ import annotations

import math
import unicodedata
from contextlib import contextmanager
from datetime import date, datetime

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from core.errors import TandemError
from core.validation import CONTROL

# One fixed seed and no example database: CI sees exactly the same cases on every run.
# A function-scoped fixture (the temp database) is shared by all examples of one test on
# purpose: rows accumulate, so each example also proves earlier rows were not corrupted.
CAMPAIGN = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Long(str):
    """Text that hypothesis reports by its length, not its 10 MB of characters."""

    def __repr__(self) -> str:
        return f"Long({self[:12]!r} … {len(self):,} characters)"


# 10 MB of text: far past every limit (an answer, a note), built once and reused.
TEN_MB = Long("x" * 10_000_000)

NASTY_STRINGS = (
    "",
    " ",
    " \t\n\r ",
    "\x00",
    "a\x00b",
    "\x00" * 50,
    "\x1b[31mred\x1b[0m",
    "\x7f\x08\x0c",
    "\u2028\u2029",
    "\ud800",  # a lone surrogate: not encodable as UTF-8 at all
    "Zo\ud83d",
    "\u200b",  # zero-width space only: looks blank
    "\ufeff\u200d\u2060",
    "\u202eevil\u202c",  # right-to-left override (Trojan Source, CVE-2021-42574)
    "\u2066isolate\u2069",
    "שלום עליכם",
    "مرحبا بالعالم",
    "Zoe\u0308",  # decomposed ë
    "e" + "\u0301" * 200,  # a letter drowned in combining accents
    "💑🏳️‍🌈👩🏽‍💻",
    "王芳",
    "Łukasz Żółć",
    "'; DROP TABLE couples; --",
    "Robert'); DELETE FROM partners WHERE ('1'='1",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}",
    "${7*7}",
    "$1",
    "$couple_id",
    "%s%s%n",
    "\\",
    '=HYPERLINK("http://x")',
    "**bold** [link](javascript:alert(1))",
    "NaN",
    "Infinity",
    "-1",
    "1e309",
    "2024-02-30",
    "null",
    "None",
    "[]",
    "{}",
    TEN_MB,
)

# Lengths at and around every limit the app has (100, 200, 2,000 … 50,000), and far past them.
TEXT_LENGTHS = (1, 40, 41, 99, 100, 101, 120, 121, 200, 201, 300, 301, 500, 501, 2000, 2001)
TEXT_LENGTHS += (4000, 4001, 5000, 5001, 10_000, 10_001, 20_000, 20_001, 50_000, 50_001, 200_000)


def _long(n: int) -> st.SearchStrategy[str]:
    return st.sampled_from(("x", "é", "💑", "ש", " a")).map(lambda piece: Long((piece * n)[:n]))


# Up to 200,000 characters here; the 10 MB text is rarer (one of NASTY_STRINGS) and is also
# given explicitly (@example) to the handlers that take long text, to keep the campaign fast.
huge_text = st.sampled_from(TEXT_LENGTHS).flatmap(_long)
# Any code point at all, lone surrogates included (browsers never send them; a bad client can).
any_char = st.characters(codec=None, categories=None)
weird_char = st.one_of(
    st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs", "Mn", "Me", "So"]),
    st.sampled_from("\x00\u202e\u202d\u2066\u200b\u200f'\"<>{}$%;\\`*_[]#|=@+-"),
)
fragments = st.lists(
    st.one_of(st.sampled_from(NASTY_STRINGS), st.text(weird_char, max_size=4), st.text(max_size=6)),
    max_size=6,
).map("".join)

nasty_text = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    fragments,
    st.text(max_size=30),
    st.text(any_char, max_size=12),
    huge_text,
)

wrong_type = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.just(10**400),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308]),
    st.binary(max_size=8),
    st.lists(st.text(max_size=3), max_size=3),
    st.tuples(st.integers(), st.text(max_size=2)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.builds(object),
)

nasty_value = st.one_of(nasty_text, wrong_type)

number_strings = st.sampled_from(
    ["12", " 7 ", "1e3", "NaN", "nan", "inf", "-inf", "-0", "1,000", "12.5", "0x10", "٣", "١٠"]
    + ["", "  ", "9" * 5000, "-1", "-40", "101", "150.5", "1_000", "+5", "5%"]
)
nasty_number = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-5, max_value=200),
    st.floats(),
    st.floats(min_value=-200, max_value=200),
    st.sampled_from([math.nan, math.inf, -math.inf, 10**400, -(10**400), 2**31, 2**63]),
    number_strings,
    wrong_type,
)

date_strings = st.sampled_from(
    ["2024-02-30", "2023-02-29", "2024-02-29", "0000-01-01", "0001-01-01", "9999-12-31"]
    + ["2024-13-01", "2024-00-10", "2024-01-01T25:00", "2024-01-01T10:30", "01/02/2024"]
    + ["2024-1-1", "20240101", "2024-W01-1", "", " ", "today", "2024-02-03<script>"]
    + ["2024-02-03'; DROP TABLE seasons; --", "1899-12-31", "2151-01-01", "2150-12-31"]
)
nasty_date = st.one_of(
    st.dates(),
    st.dates(min_value=date(1890, 1, 1), max_value=date(2160, 1, 1)),
    st.datetimes(),
    date_strings,
    st.dates().map(date.isoformat),
    nasty_value,
)

# An id as a page or a tampered session could give it.
nasty_id = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from([0, -1, 2**31, 2**63, 10**30, 10**400, True, False, math.nan, math.inf]),
    st.sampled_from(["1", " 2 ", "abc", "1 OR 1=1", "1; DROP TABLE couples", "", "1.5", "\ud800"]),
    st.floats(),
    wrong_type,
)


# Odd but acceptable text a person could type or paste: it must be stored, not refused.
TYPED_STRINGS = (
    "Rachel",
    "Zoë",
    "王芳",
    "Łukasz Żółć",
    "שלום עליכם",
    "مرحبا بالعالم",
    "Zoe\u0308",
    "e" + "\u0301" * 20,
    "💑🏳️‍🌈👩🏽‍💻",
    "'; DROP TABLE couples; --",
    "Robert'); DELETE FROM partners WHERE ('1'='1",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}",
    "${7*7}",
    "$1",
    "$couple_id",
    "%s%s%n",
    "\\",
    '=HYPERLINK("http://x")',
    "@SUM(A1)",
    "-1",
    "**bold** [link](javascript:alert(1))",
    "\u202eevil\u202c twin",
    "tab\there",
    "a\x00b",
    "two\nlines",
    "NaN",
    "null",
)
typed_text = st.one_of(
    st.sampled_from(TYPED_STRINGS),
    st.text(min_size=1, max_size=40),
    st.lists(st.sampled_from(TYPED_STRINGS), min_size=1, max_size=4).map(" ".join),
)


def mostly(good: st.SearchStrategy, bad: st.SearchStrategy | None = None, one_in: int = 6):
    """`good` most of the time and `bad` (any nonsense by default) one time in `one_in`, so a
    form with many fields is still often accepted and what it stored can be read back."""
    bad = nasty_value if bad is None else bad
    return st.integers(min_value=0, max_value=one_in - 1).flatmap(lambda i: bad if i == 0 else good)


def valid_dates(start: date = date(1950, 1, 1), end: date = date(2100, 12, 31)):
    """Dates a date widget gives, and the same as ISO text."""
    days = st.dates(min_value=start, max_value=end)
    return st.one_of(days, days.map(date.isoformat))


def visible(text: str) -> bool:
    """True when text has a character that is not whitespace or an invisible format mark."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def assert_clean_text(value: str, limit: int) -> None:
    """What cleaning promises about any stored text."""
    assert isinstance(value, str)
    assert len(value) <= limit
    assert not CONTROL.search(value), repr(value[:80])
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    assert not any(ch in value for ch in BIDI_CONTROLS), repr(value[:80])
    assert value == value.strip()
    assert unicodedata.is_normalized("NFC", value)
    value.encode("utf-8")


# Explicit embeddings, overrides and isolates: they reorder text after them on screen.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def plain_typed(value: object) -> bool:
    """True when `value` is text a person could have typed that needs no cleaning at all."""
    return (
        isinstance(value, str)
        and value == value.strip()
        and unicodedata.is_normalized("NFC", value)
        and not CONTROL.search(value)
        and not any(ch in value for ch in BIDI_CONTROLS)
        and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
        and "  " not in value
        and not any(ch.isspace() and ch != " " for ch in value)
    )


@contextmanager
def calm_or_stored():
    """Run a handler: it may refuse with Tandem's own error; any other exception is a bug.

    Yields a one-item list that holds the TandemError when the input was refused.
    """
    outcome: list[TandemError] = []
    try:
        yield outcome
    except TandemError as e:
        assert str(e).strip(), "a refusal must say why"
        assert "Traceback" not in str(e)
        outcome.append(e)
        event(f"refused ({type(e).__name__})")  # see --hypothesis-show-statistics
    else:
        event("accepted")


def snapshot(db, tables: tuple[str, ...]) -> dict[str, list[dict]]:
    """Every row of the given tables as dicts, in a stable order (to compare before and after)."""
    out = {}
    with db.cursor() as cur:
        for table in tables:
            cur.execute(f'SELECT * FROM "{table}"')  # test-only SQL on our own table names
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            out[table] = sorted(rows, key=repr)
    return out


def intact(before: dict, after: dict, changed=lambda table, row: False) -> None:
    """Every row that existed before is still there, unchanged, except those `changed` names
    (the record an accepted edit was about). New rows may have been added."""
    for table, rows in before.items():
        now = {repr(r) for r in after[table]}
        lost = [r for r in rows if not changed(table, r) and repr(r) not in now]
        assert not lost, f"{table}: {lost[:1]!r:.300}"


def is_datetime(value: object) -> bool:
    """True for a date or datetime."""
    return isinstance(value, date | datetime)
