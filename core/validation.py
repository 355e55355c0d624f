"""Cleaning and checking of everything a person types, before it reaches the database."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from core.errors import NotFound, ValidationError

# Longest free text a single field accepts: a long counselor note is ~20 pages of prose.
NOTES_MAX_CHARS = 50_000
SHORT_TEXT_MAX_CHARS = 200
NAME_MAX_CHARS = 100
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{5,30}$")
# Control characters other than tab and newline never belong in typed text; nor do lone
# surrogates (not UTF-8 at all: DuckDB refuses them) or explicit bidi embeddings, overrides and
# isolates, which reorder everything after them on screen ("Trojan Source", CVE-2021-42574).
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)


def clean_text(value: Any, max_chars: int, *, multiline: bool = False) -> str:
    """NFC-normalised text without control characters, trimmed; raises ValueError if too long."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("must be text")  # a list or dict is never stored as its repr
    try:
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    except ValueError:  # an int of more than 4,300 digits
        raise ValueError(f"is too long (the limit is {max_chars:,} characters)") from None
    # Controls go before NFC: one between a letter and its accent would leave it decomposed.
    text = unicodedata.normalize("NFC", CONTROL.sub("", text))
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if len(text) > max_chars:
        raise ValueError(f"is too long ({len(text):,} characters; the limit is {max_chars:,})")
    if not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text):
        return ""  # only zero-width or direction marks: nothing visible, so blank
    return text


# Ids come from sequences into BIGINT columns; a number outside this range names no record
# (and DuckDB could not even bind 10**40).
ID_LIMIT = 2**63


# Letters that Unicode does not split into a base letter and an accent, as people type them
# on a keyboard without them ("Lukasz" for "Łukasz").
PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ß": "ss", "æ": "ae",
     "œ": "oe", "þ": "th"}
)  # fmt: skip


def plain_letters(text: str) -> str:
    """`text` without case, accents or compatibility forms: "ZOË", "Zoe" and "zoë" read alike,
    as "Łukasz" and "lukasz" do."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).translate(PLAIN_LETTERS)


def record_id(value: Any, what: str) -> int:
    """An id from session state, a widget or a form as int; anything else is NotFound(what)."""
    if isinstance(value, bool):
        raise NotFound(what)
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        raise NotFound(what) from None
    if not 0 < number < ID_LIMIT or number != value and not isinstance(value, str):
        raise NotFound(what)  # out of range, or a fraction (3.7 is no id, not id 3)
    return number


def as_text(value: Any) -> str:
    """`str(value)` for comparing a chosen id with the ids on offer; '' for an int too long to
    write out (Python refuses more than 4,300 digits), which matches nothing."""
    try:
        return str(value)
    except ValueError:
        return ""


def clean_int(value: Any, lo: int, hi: int) -> int | None:
    """An optional whole number within [lo, hi]; blank gives None; raises ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or value != int(value):
            raise ValueError("must be a whole number")
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("must be a whole number") from None
    if not lo <= number <= hi:
        raise ValueError(f"must be between {lo} and {hi}")
    return number


class Form:
    """Collects cleaned values and per-field errors; `done()` raises them all at once."""

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def text(self, field: str, label: str, max_chars: int, *, required=False, multiline=False):
        """Clean a text field; a required one must not be blank."""
        try:
            value = clean_text(self.raw.get(field), max_chars, multiline=multiline)
        except ValueError as e:
            self.errors[field] = f"{label} {e}."
            return
        if required and not value:
            self.errors[field] = f"{label} is required."
        self.values[field] = value

    def choice(self, field: str, label: str, options: tuple[str, ...], *, required=False):
        """A value from a fixed list (blank allowed unless required)."""
        value = self.raw.get(field) or ""
        if value and value not in options:
            self.errors[field] = f"{label} must be one of: {', '.join(options)}."
        elif required and not value:
            self.errors[field] = f"{label} is required."
        self.values[field] = value

    def integer(self, field: str, label: str, lo: int, hi: int):
        """An optional whole number in range."""
        try:
            self.values[field] = clean_int(self.raw.get(field), lo, hi)
        except ValueError as e:
            self.errors[field] = f"{label} {e}."

    def pattern(self, field: str, label: str, regex: re.Pattern, example: str):
        """Optional text that must match a shape (e-mail, phone) when given."""
        try:
            value = clean_text(self.raw.get(field), SHORT_TEXT_MAX_CHARS)
        except ValueError as e:
            self.errors[field] = f"{label} {e}."
            return
        if value and not regex.match(value):
            self.errors[field] = f"{label} does not look right (for example {example})."
        self.values[field] = value

    def done(self) -> dict[str, Any]:
        """The cleaned values, or ValidationError naming every bad field."""
        if self.errors:
            raise ValidationError(self.errors)
        return self.values
