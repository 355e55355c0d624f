"""Cleaning and checking of everything a person types, before it reaches the database."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from core.errors import ValidationError

# Longest free text a single field accepts: a long counselor note is ~20 pages of prose.
NOTES_MAX_CHARS = 50_000
SHORT_TEXT_MAX_CHARS = 200
NAME_MAX_CHARS = 100
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{5,30}$")
# Control characters other than tab and newline never belong in typed text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def clean_text(value: Any, max_chars: int, *, multiline: bool = False) -> str:
    """NFC-normalised text without control characters, trimmed; raises ValueError if too long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    text = unicodedata.normalize("NFC", value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if len(text) > max_chars:
        raise ValueError(f"is too long ({len(text):,} characters; the limit is {max_chars:,})")
    return text


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
