"""Scoring one partner's answers: subscales and totals exactly as each instrument file says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.instruments import Instrument, Item, Score, clean_answers, is_answered


@dataclass(frozen=True)
class ScoreResult:
    """One score: its value (None when any of its items is unanswered), range and meaning."""

    id: str
    label: str
    value: float | None
    min: float
    max: float
    method: str
    healthy: str
    meaning: str
    below_cutoff: bool | None
    cutoff: float | None
    missing: tuple[str, ...]
    citation: str | None

    @property
    def complete(self) -> bool:
        """True when every item was answered and the score could be computed."""
        return self.value is not None


@dataclass(frozen=True)
class ScoreReport:
    """All of an instrument's scores for one set of answers."""

    instrument_id: str
    instrument_version: int
    scores: tuple[ScoreResult, ...]

    def get(self, score_id: str) -> ScoreResult:
        """The result for one score id (KeyError if the instrument has no such score)."""
        for s in self.scores:
            if s.id == score_id:
                return s
        raise KeyError(score_id)


def score(instrument: Instrument, answers: Mapping[str, Any]) -> ScoreReport:
    """Score every subscale/total; bad answers raise ValidationError, never a guessed score."""
    cleaned = clean_answers(instrument, answers)
    results = tuple(_one(instrument, s, cleaned) for s in instrument.scores)
    return ScoreReport(instrument.id, instrument.version, results)


def item_points(item: Item, value: Any) -> float:
    """An answer's contribution to a score: reverse-keyed items count min + max - value."""
    points = int(value) if isinstance(value, bool) else value
    if item.reverse:
        lo, hi = item.bounds
        return lo + hi - points
    return points


def _one(instrument: Instrument, s: Score, answers: Mapping[str, Any]) -> ScoreResult:
    """Compute one score, or say plainly which answers are missing."""
    missing = tuple(i for i in s.items if not is_answered(answers.get(i)))
    cutoff = instrument.cutoff(s.id)
    value: float | None = None
    below: bool | None = None
    if missing:
        meaning = (
            f"Not scored: {len(missing)} of {len(s.items)} questions "
            f"{'is' if len(missing) == 1 else 'are'} unanswered."
        )
    else:
        points = [item_points(instrument.item(i), answers[i]) for i in s.items]
        value = sum(points) if s.method == "sum" else sum(points) / len(points)
        if cutoff is not None:
            below = value < cutoff.below
            meaning = cutoff.below_meaning if below else cutoff.above_meaning
        else:
            meaning = s.meaning
    return ScoreResult(
        id=s.id,
        label=s.label,
        value=value,
        min=s.min,
        max=s.max,
        method=s.method,
        healthy=s.healthy,
        meaning=meaning,
        below_cutoff=below,
        cutoff=cutoff.below if cutoff else None,
        missing=missing,
        citation=s.citation,
    )
