"""Counselor-only (safety) answers that call for attention: flagged, never shared."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core import comparison, instruments
from core.instruments import Instrument

# Where "less is better" (fear, thinking of leaving), any answer but the healthiest is a flag:
# even "rarely afraid" is something a counselor must know. Where "more is better" (feeling
# safe to be honest), the unsure middle and below are flags. Positions run 0..1, 1 = healthy.
FLAG_UNLESS_HEALTHIEST = ("low", "no")
FLAG_AT_OR_BELOW_POSITION = 0.5


@dataclass(frozen=True)
class SafetyFlag:
    """One counselor-only answer worth attention, in words."""

    item_id: str
    prompt: str
    answer: str


def flags(instrument: Instrument, answers: Mapping[str, Any]) -> list[SafetyFlag]:
    """Counselor-only answers on the unhealthy side, and any private note that was written."""
    out = []
    for item in instrument.items:
        if not item.is_private or not instruments.is_answered(answers.get(item.id)):
            continue
        value = answers[item.id]
        if item.type in instruments.TEXT_TYPES:
            flagged = True
        else:
            where = comparison.position(item, value)
            if where is None:
                flagged = False
            elif item.healthy in FLAG_UNLESS_HEALTHIEST:
                flagged = where < 1
            else:
                flagged = where <= FLAG_AT_OR_BELOW_POSITION
        if flagged:
            out.append(SafetyFlag(item.id, item.prompt, instruments.answer_label(item, value)))
    return out
