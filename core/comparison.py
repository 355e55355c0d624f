"""Two partners' answers to one instrument side by side: gaps, agreement bands, starters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.instruments import (
    MULTI,
    ORDINAL_TYPES,
    SINGLE,
    SPLIT,
    YES_NO,
    Instrument,
    Item,
    answer_label,
    clean_answers,
    is_answered,
)

# Bands, as couple-assessment tools report item agreement (positive agreement, shared concern,
# disagreement), plus "unsure" when an answer sits exactly on the midpoint of its scale.
BOTH_POSITIVE = "both positive"
BOTH_CONCERNED = "both concerned"
SPLIT_VIEWS = "split"
UNSURE = "unsure"
SAME = "same"
DIFFERENT = "different"

# An answer leans positive when it is past the middle of its range towards the healthy end.
MIDPOINT = 0.5
# Shares are given in 5-point steps, so two accounts within one step are the same picture.
SPLIT_SAME_VIEW_POINTS = 5


@dataclass(frozen=True)
class ComparisonRow:
    """One item: both answers as labels, a 0..1 gap where comparable, and an agreement band.

    For a percentage split, `views` is partner A's share as A sees it and as B sees it
    (B's "my partner's share" = 100 - B's own share), and the gap is the distance between them.
    Its two answers name the partners in the same order on both sides ("Maya 70% · Jonas 30%"
    and, as Jonas sees it, "Maya 90% · Jonas 10%"): each partner's own "Me 70% · My partner
    30%" put the two accounts in opposite orders, so a counselor had to flip one to compare.
    """

    item_id: str
    section_id: str
    prompt: str
    type: str
    answer_a: str
    answer_b: str
    value_a: Any
    value_b: Any
    gap: float | None
    band: str | None
    detail: str = ""
    private: bool = False
    views: tuple[float, float] | None = None


@dataclass(frozen=True)
class SectionComparison:
    """The rows of one section, in form order."""

    id: str
    title: str
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class Comparison:
    """A whole side-by-side comparison; `starters` lists the largest gaps first."""

    instrument_id: str
    instrument_version: int
    names: tuple[str, str]
    sections: tuple[SectionComparison, ...]
    starters: tuple[ComparisonRow, ...]

    @property
    def rows(self) -> tuple[ComparisonRow, ...]:
        """Every row in form order."""
        return tuple(r for s in self.sections for r in s.rows)


def compare(
    instrument: Instrument,
    answers_a: Mapping[str, Any],
    answers_b: Mapping[str, Any],
    *,
    names: tuple[str, str] = ("Partner A", "Partner B"),
    include_safety: bool = False,
) -> Comparison:
    """Both partners' answers per section; counselor-only items only with include_safety=True."""
    a = clean_answers(instrument, answers_a)
    b = clean_answers(instrument, answers_b)
    sections = []
    for section in instrument.sections:
        rows = tuple(
            _row(section.id, item, a.get(item.id), b.get(item.id), names)
            for item in section.items
            if include_safety or not item.is_private
        )
        if rows:
            sections.append(SectionComparison(section.id, section.title, rows))
    every = [r for s in sections for r in s.rows]
    order = {r.item_id: n for n, r in enumerate(every)}
    starters = sorted(
        (r for r in every if r.gap is not None and r.gap > 0),
        key=lambda r: (-r.gap, order[r.item_id]),
    )
    return Comparison(
        instrument.id, instrument.version, tuple(names), tuple(sections), tuple(starters)
    )


def position(item: Item, value: Any) -> float | None:
    """Where an answer sits on its range, 0..1 with 1 = the healthy end (None if no direction)."""
    if item.type == YES_NO:
        if item.healthy in (None, "none"):
            return None
        return 1.0 if value == (item.healthy == "yes") else 0.0
    raw = _fraction(item, value)
    if raw is None or item.healthy in (None, "none"):
        return None
    return raw if item.healthy == "high" else 1.0 - raw


def _fraction(item: Item, value: Any) -> float | None:
    """An ordinal answer as a fraction of its range, 0 at the bottom, 1 at the top."""
    if item.type not in ORDINAL_TYPES:
        return None
    lo, hi = item.bounds
    return (value - lo) / (hi - lo)


def _row(section_id: str, item: Item, va: Any, vb: Any, names: tuple[str, str]) -> ComparisonRow:
    """Build one row; gap and band stay None unless both partners answered."""
    gap: float | None = None
    band: str | None = None
    detail = ""
    views = None
    if is_answered(va) and is_answered(vb):
        if item.type in ORDINAL_TYPES:
            gap = abs(_fraction(item, va) - _fraction(item, vb))
            band = _lean_band(item, va, vb, gap)
        elif item.type == YES_NO:
            gap = 0.0 if va == vb else 1.0
            band = _lean_band(item, va, vb, gap)
        elif item.type == SPLIT:
            views = (va, 100 - vb)
            points = abs(views[0] - views[1])
            gap = points / 100
            band = SAME if points <= SPLIT_SAME_VIEW_POINTS else DIFFERENT
            detail = (
                f"{names[0]}'s share: {va:g}% by {names[0]}'s account, "
                f"{views[1]:g}% by {names[1]}'s ({points:g} points apart)."
            )
        elif item.type == SINGLE:
            mirror = item.option(va).mirror or va
            gap = 0.0 if vb == mirror else 1.0
            band = SAME if gap == 0 else DIFFERENT
            if gap == 0 and mirror != va:
                detail = "The same answer, seen from each side."
        elif item.type == MULTI:
            union = set(va) | set(vb)
            gap = 1 - len(set(va) & set(vb)) / len(union)
            band = SAME if gap == 0 else DIFFERENT
    answer_a, answer_b = answer_label(item, va), answer_label(item, vb)
    if item.type == SPLIT:
        if is_answered(va):
            answer_a = _shares(names, va)
        if is_answered(vb):
            answer_b = _shares(names, 100 - vb)
    return ComparisonRow(
        item_id=item.id,
        section_id=section_id,
        prompt=item.prompt,
        type=item.type,
        answer_a=answer_a,
        answer_b=answer_b,
        value_a=va,
        value_b=vb,
        gap=gap,
        band=band,
        detail=detail,
        private=item.is_private,
        views=views,
    )


def _shares(names: tuple[str, str], share_a: float) -> str:
    """A split in the partners' names, the first partner first: "Maya 70% · Jonas 30%"."""
    return f"{names[0]} {share_a:g}% · {names[1]} {100 - share_a:g}%"


def _lean_band(item: Item, va: Any, vb: Any, gap: float) -> str:
    """both positive / both concerned / split / unsure by healthy direction; else same/different."""
    pa, pb = position(item, va), position(item, vb)
    if pa is None or pb is None:
        return SAME if gap == 0 else DIFFERENT
    if pa > MIDPOINT and pb > MIDPOINT:
        return BOTH_POSITIVE
    if pa < MIDPOINT and pb < MIDPOINT:
        return BOTH_CONCERNED
    if (pa > MIDPOINT and pb < MIDPOINT) or (pa < MIDPOINT and pb > MIDPOINT):
        return SPLIT_VIEWS
    return UNSURE
