"""Big decisions: the framework record, money per option, and the opportunity matrix.

The framework follows the seeds (003): full facts, a concrete week in each option, the impact
on both careers, real or movable urgency, money, the 1/5/10-year view, vetoes kept for core
needs, then the outcome and a follow-up. The matrix (001): factors, each partner's own weights
(1-10), each option scored by each partner (1-10), compared before deciding.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from core import couples, instruments, markdown
from core.accounts import Actor
from core.audit import audited
from core.charts import SCHEMA_URL, Datasets, Spec, as_altair
from core.clock import utcnow
from core.dates import clean_date, local_or_utc, shown
from core.db import Database, Tx
from core.errors import Conflict, NotFound, ValidationError
from core.instruments import Instrument, Item, Section
from core.palette import distinct_names, partner_colours
from core.validation import as_text, clean_text, record_id

if TYPE_CHECKING:
    import altair as alt

KINDS = {
    "job_offer": "A job offer",
    "relocation": "A move to another place",
    "career_change": "A change of career",
    "hours": "Going part-time or changing hours",
    "study": "Study or training",
    "other": "Something else",
}
STATUSES = {"open": "Open", "decided": "Decided", "set_aside": "Set aside"}
# Real urgency cannot move; much urgency is manufactured and can be negotiated (seed 003).
URGENCY = {
    "real": "Real: the date cannot move",
    "movable": "Movable: the date could be negotiated",
    "unsure": "Not checked yet",
}
# Weights and scores run 1-10, as the opportunity-matrix exercise suggests (seed 001).
SCALE_MIN, SCALE_MAX = 1, 10
TITLE_MAX_CHARS = 200
LABEL_MAX_CHARS = 120
LONG_MAX_CHARS = 10_000
# A matrix with more rows than this stops being a conversation and becomes a spreadsheet.
MAX_FACTORS = 12
MAX_OPTIONS = 6
# Money fields: monthly amounts in the couple's own currency, within a sane range.
MONEY_MAX = 10_000_000
COST_OF_LIVING_RANGE = (-90.0, 300.0)  # percent change in living costs

OPTION_TEXT = ("label", "week", "impact_1", "impact_2", "view_1y", "view_5y", "view_10y")
OPTION_TEXT += ("veto_need_1", "veto_need_2")
OPTION_MONEY = ("income_1", "income_2", "costs", "one_off")
# The fields as the Decisions page labels them, for messages that name them ({0} and {1}: the
# partners' names). "Income 1 must be between…" named a field the page calls "Noor's income".
DECISION_LABELS = {
    "facts": "The facts gathered",
    "urgency_note": "What we found out about the deadline",
    "outcome": "What was decided, and why",
}
OPTION_LABELS = {
    "label": "Option",
    "week": "A concrete week in this option",
    "impact_1": "For {0}'s career",
    "impact_2": "For {1}'s career",
    "view_1y": "In one year",
    "view_5y": "In five years",
    "view_10y": "In ten years",
    "income_1": "{0}'s income",
    "income_2": "{1}'s income",
    "costs": "Household costs today",
    "one_off": "One-off cost",
    "veto_need_1": "The core need {0}'s veto protects",
    "veto_need_2": "The core need {1}'s veto protects",
}


# -- access ---------------------------------------------------------------------------------
def _decision(tx: Tx | Database, couple_id: int, decision_id: Any) -> dict[str, Any]:
    row = tx.one(
        "decisions/get", decision_id=record_id(decision_id, "decision"), couple_id=couple_id
    )
    if row is None:
        raise NotFound("decision")
    return row


@audited("view", "decision")
def get(db: Database, actor: Actor, couple_id: Any, decision_id: Any) -> dict[str, Any]:
    """One decision of a couple the actor may see."""
    return _decision(db, couples.check_access(db, actor, couple_id), decision_id)


@audited("view", "decisions")
def for_couple(db: Database, actor: Actor, couple_id: Any) -> list[dict[str, Any]]:
    """Every decision of a couple: open ones first."""
    return db.all("decisions/for_couple", couple_id=couples.check_access(db, actor, couple_id))


# -- the record -----------------------------------------------------------------------------
def _text(errors: dict, values: dict, raw: Mapping, name: str, label: str, limit: int, **kw):
    try:
        values[name] = clean_text(raw.get(name), limit, **kw)
    except ValueError as e:
        errors[name] = f"{label} {e}."


@audited("create", "decision")
def create(db: Database, actor: Actor, couple_id: Any, title: Any, kind: Any = "other") -> int:
    """Start a decision record; returns its id."""
    cid = couples.check_access(db, actor, couple_id)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    _text(errors, values, {"title": title}, "title", "Title", TITLE_MAX_CHARS)
    if not values.get("title") and "title" not in errors:
        errors["title"] = "Name the decision, e.g. “Offer in Seattle”."
    if not isinstance(kind, str) or kind not in KINDS:
        errors["kind"] = "Choose one of the listed kinds."
    if errors:
        raise ValidationError(errors)
    return db.scalar(
        "decisions/insert", couple_id=cid, title=values["title"], kind=kind, now=utcnow()
    )


@audited("update", "decision")
def update(
    db: Database,
    actor: Actor,
    couple_id: Any,
    decision_id: Any,
    raw: Mapping[str, Any],
    seen: datetime | None = None,
    zone: str | None = None,
) -> None:
    """Replace the framework fields of a decision (title, facts, urgency, outcome, dates).

    `seen` is the `updated_at` the form was drawn from: if the decision changed since (a save
    from another tab), Conflict is raised and nothing is written. The same fields sent again
    (a double-click's second half) are not refused: there is nothing to write. `zone` is the
    counselor's time zone, which dates the record's opening in messages."""
    cid = couples.check_access(db, actor, couple_id)
    current = _decision(db, cid, decision_id)
    merged = {**current, **raw}
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    _text(errors, values, merged, "title", "Title", TITLE_MAX_CHARS)
    if not values.get("title") and "title" not in errors:
        errors["title"] = "The decision needs a title."
    for name, label in DECISION_LABELS.items():  # as the page labels them
        _text(errors, values, merged, name, label, LONG_MAX_CHARS, multiline=True)
    for name, label in (
        ("deadline_on", "Deadline"),
        ("decided_on", "Decided on"),
        ("follow_up_on", "Follow-up"),
    ):
        try:
            values[name] = clean_date(merged.get(name))
        except ValueError as e:
            errors[name] = f"{label} {e}."
    _dates_in_order(errors, values, local_or_utc(current["created_at"], zone).date())
    for name, allowed in (("kind", KINDS), ("status", STATUSES), ("urgency", URGENCY)):
        if not isinstance(merged.get(name), str) or merged.get(name) not in allowed:
            errors[name] = "Choose one of the listed answers."
        values[name] = merged.get(name)
    chosen = merged.get("chosen_option_id")
    if chosen in ("", None):
        values["chosen_option_id"] = None
    else:
        ids = {
            o["id"] for o in db.all("decisions/options", decision_id=current["id"], couple_id=cid)
        }
        try:
            values["chosen_option_id"] = record_id(chosen, "option")
        except NotFound:
            values["chosen_option_id"] = None
        if values["chosen_option_id"] not in ids:
            errors["chosen_option_id"] = "Choose one of this decision's options."
    if values.get("status") == "open" and values.get("chosen_option_id") and not errors:
        # An option chosen on a record still "Open" (walkthrough): the list, the summary and
        # the roadmap would call it open, with an outcome beside it.
        errors["status"] = (
            "“Chosen option” says what they chose, but the status is still Open: set the status "
            "to Decided, or keep “Not decided yet” while they are still deciding."
        )
    decided_blank = not values.get("chosen_option_id") and not values.get("outcome")
    if values.get("status") == "decided" and decided_blank and not errors:
        # A record marked "Decided" that says nothing of what (walkthrough): the summary and
        # the follow-up would carry an empty decision.
        errors["outcome"] = (
            "Marked as decided: choose the option they chose, or say in “What was decided, "
            "and why” what they decided (none of the options, say)."
        )
    if errors:
        raise ValidationError(errors)

    def write(tx: Tx) -> None:
        stored = _decision(tx, cid, current["id"])
        if all(stored[k] == v for k, v in values.items()):
            return
        if seen is not None and stored["updated_at"] != seen:
            raise Conflict("decision")
        tx.all("decisions/update", decision_id=current["id"], couple_id=cid, now=utcnow(), **values)

    db.write(write)


ONE_DAY = timedelta(days=1)


def _dates_in_order(errors: dict[str, str], values: dict[str, Any], opened: date) -> None:
    """A deadline is not before the record was opened, and a follow-up is not before the
    decision (or, undecided, before the record was opened): such a date is a slip of the year,
    and it would reach the couple's summary and the roadmap as it stands."""
    deadline, decided, follow_up = (
        values.get(k) for k in ("deadline_on", "decided_on", "follow_up_on")
    )
    # A day's grace: without the counselor's zone `opened` is the UTC date, which runs a day
    # ahead of or behind the counselor's own on either side of midnight.
    if deadline is not None and "deadline_on" not in errors and deadline < opened - ONE_DAY:
        errors["deadline_on"] = (
            f"The deadline ({shown(deadline)}) is before this record was opened "
            f"({shown(opened)}): check the year."
        )
    after, what = (decided, "the decision") if decided is not None else (opened, "this record")
    grace = ONE_DAY if decided is None else timedelta(0)
    if follow_up is not None and "follow_up_on" not in errors and follow_up < after - grace:
        errors["follow_up_on"] = (
            f"The follow-up ({shown(follow_up)}) is before {what} ({shown(after)}): a follow-up "
            "comes after."
        )


@audited("view", "decision options")
def options(db: Database, actor: Actor, couple_id: Any, decision_id: Any) -> list[dict[str, Any]]:
    """The options of a decision, in order."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    return db.all("decisions/options", decision_id=d["id"], couple_id=cid)


@audited("create", "decision option")
def add_option(db: Database, actor: Actor, couple_id: Any, decision_id: Any, label: Any) -> int:
    """Add an option (e.g. “Stay in Chicago”) at the end of the list, with the household costs
    today of the last option that has them; returns its id."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    text = _label(label, "label", "Name the option.")
    existing = db.all("decisions/options", decision_id=d["id"], couple_id=cid)
    if len(existing) >= MAX_OPTIONS:
        raise ValidationError({"label": f"A decision can weigh up to {MAX_OPTIONS} options."})
    taken = _name_taken(text, existing)
    if taken:
        raise ValidationError({"label": taken})
    # The household's costs today are the same whatever is chosen (an option's cost of living
    # adjusts them), so a new option starts with the last ones entered: they were typed again
    # for every option (a walkthrough).
    costs = next((o["costs"] for o in reversed(existing) if o["costs"] is not None), None)
    return db.scalar(
        "decisions/insert_option", decision_id=d["id"], couple_id=cid, label=text, costs=costs
    )


def _name_taken(text: str, others: list[dict[str, Any]]) -> str | None:
    """Why `text` cannot name an option beside `others` (None if it can). Two options of one
    name read as one in the matrix's results and its chart (which drew them as one bar of both
    totals stacked), so a name is used once per decision."""
    if text.casefold() in {o["label"].casefold() for o in others}:
        return f"There is already an option named “{text}”."
    return None


def _label(value: Any, name: str, blank: str) -> str:
    try:
        text = clean_text(value, LABEL_MAX_CHARS)
    except ValueError as e:
        raise ValidationError({name: f"The name {e}."}) from None
    if not text:
        raise ValidationError({name: blank})
    return text


def _money(value: Any, label: str, lo: float, hi: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label} must be a number.")
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise ValueError(f"{label} must be a number.") from None
    if number != number or not lo <= number <= hi:  # NaN, or out of range
        raise ValueError(f"{label} must be between {lo:,.0f} and {hi:,.0f}.")
    return number


@audited("update", "decision option")
def update_option(
    db: Database,
    actor: Actor,
    couple_id: Any,
    decision_id: Any,
    option_id: Any,
    raw: Mapping[str, Any],
) -> None:
    """Replace everything written about one option: its week, careers, long view, money, vetoes."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    oid = record_id(option_id, "option")
    options = db.all("decisions/options", decision_id=d["id"], couple_id=cid)
    current = next((o for o in options if o["id"] == oid), None)
    if current is None:
        raise NotFound("option")
    names = distinct_names(db.all("couples/partners", couple_id=cid))
    labels = {field: label.format(*names) for field, label in OPTION_LABELS.items()}
    merged = {**current, **raw}
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in OPTION_TEXT:
        limit = LABEL_MAX_CHARS if name == "label" else LONG_MAX_CHARS
        _text(errors, values, merged, name, labels[name], limit, multiline=name != "label")
    if not values.get("label") and "label" not in errors:
        errors["label"] = "Name the option."
    elif values.get("label"):
        taken = _name_taken(values["label"], [o for o in options if o["id"] != oid])
        if taken:
            errors["label"] = taken
    for name in OPTION_MONEY:
        try:
            values[name] = _money(merged.get(name), labels[name], 0, MONEY_MAX)
        except ValueError as e:
            errors[name] = str(e)
    try:
        values["cost_of_living"] = _money(
            merged.get("cost_of_living"), "Cost-of-living change", *COST_OF_LIVING_RANGE
        )
    except ValueError as e:
        errors["cost_of_living"] = str(e)
    for n in (1, 2):
        values[f"veto_{n}"] = bool(merged.get(f"veto_{n}"))
        if values[f"veto_{n}"] and not values.get(f"veto_need_{n}"):
            # A veto is for core needs only, and says which one (seed 003).
            errors[f"veto_need_{n}"] = "A veto names the core need it protects."
    if errors:
        raise ValidationError(errors)
    db.all("decisions/update_option", option_id=oid, decision_id=d["id"], couple_id=cid, **values)


@audited("delete", "decision option")
def remove_option(
    db: Database, actor: Actor, couple_id: Any, decision_id: Any, option_id: Any
) -> None:
    """Remove an option and every matrix score given to it."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    oid = record_id(option_id, "option")

    def write(tx: Tx) -> None:
        tx.all("decisions/delete_option_scores", option_id=oid, decision_id=d["id"], couple_id=cid)
        if not tx.all("decisions/delete_option", option_id=oid, decision_id=d["id"], couple_id=cid):
            raise NotFound("option")  # not the decision's: the trail says "refused"

    db.write(write)


@audited("create", "decision factor")
def add_factor(db: Database, actor: Actor, couple_id: Any, decision_id: Any, label: Any) -> int:
    """Add a matrix factor (salary, family nearby, growth…); returns its id."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    text = _label(label, "factor", "Name the factor.")
    existing = db.all("decisions/factors", decision_id=d["id"], couple_id=cid)
    if len(existing) >= MAX_FACTORS:
        raise ValidationError({"factor": f"A matrix holds up to {MAX_FACTORS} factors."})
    if text.casefold() in {f["label"].casefold() for f in existing}:
        raise ValidationError({"factor": "That factor is already in the matrix."})
    return db.scalar("decisions/insert_factor", decision_id=d["id"], couple_id=cid, label=text)


@audited("delete", "decision factor")
def remove_factor(
    db: Database, actor: Actor, couple_id: Any, decision_id: Any, factor_id: Any
) -> None:
    """Remove a factor with both partners' weights and scores for it."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    fid = record_id(factor_id, "factor")

    def write(tx: Tx) -> None:
        for query in ("decisions/delete_factor_weights", "decisions/delete_factor_scores"):
            tx.all(query, factor_id=fid, decision_id=d["id"], couple_id=cid)
        if not tx.all("decisions/delete_factor", factor_id=fid, decision_id=d["id"], couple_id=cid):
            raise NotFound("factor")  # not the decision's: the trail says "refused"

    db.write(write)


# -- the opportunity matrix -------------------------------------------------------------------
@dataclass(frozen=True)
class Matrix:
    """Everything the matrix holds for one decision; weights/scores keyed by ids."""

    decision_id: int
    factors: tuple[dict[str, Any], ...]
    options: tuple[dict[str, Any], ...]
    partners: tuple[dict[str, Any], ...]
    weights: Mapping[tuple[int, int], int] = field(default_factory=dict)  # (factor, partner)
    scores: Mapping[tuple[int, int, int], int] = field(default_factory=dict)  # (f, option, p)


@dataclass(frozen=True)
class Total:
    """One partner's (or both partners') result for one option.

    `points` is the sum of weight x score over the factors this partner has both for;
    `mean` is points / sum of those weights: a weighted score on the 1-10 scale. Both are None
    while no factor has both a weight and a score from this partner (nothing rated is not 0).
    """

    points: int | None
    weight_sum: int
    mean: float | None
    complete: bool


@dataclass(frozen=True)
class OptionResult:
    """An option's totals: per partner id, and together (the mean of the two partners' means,
    so neither partner's larger weights count for more)."""

    option_id: int
    label: str
    by_partner: Mapping[int, Total]
    together: float | None
    complete: bool


def _matrix(tx: Tx | Database, couple_id: int, decision: dict[str, Any]) -> Matrix:
    did = decision["id"]
    weights = {
        (r["factor_id"], r["partner_id"]): r["weight"]
        for r in tx.all("decisions/weights", decision_id=did, couple_id=couple_id)
    }
    scores = {
        (r["factor_id"], r["option_id"], r["partner_id"]): r["score"]
        for r in tx.all("decisions/scores", decision_id=did, couple_id=couple_id)
    }
    return Matrix(
        decision_id=did,
        factors=tuple(tx.all("decisions/factors", decision_id=did, couple_id=couple_id)),
        options=tuple(tx.all("decisions/options", decision_id=did, couple_id=couple_id)),
        partners=tuple(tx.all("couples/partners", couple_id=couple_id)),
        weights=MappingProxyType(weights),
        scores=MappingProxyType(scores),
    )


@audited("view", "decision matrix")
def matrix(db: Database, actor: Actor, couple_id: Any, decision_id: Any) -> Matrix:
    """The factors, options, both partners' weights and scores of a decision."""
    cid = couples.check_access(db, actor, couple_id)
    return _matrix(db, cid, _decision(db, cid, decision_id))


def partner_total(m: Matrix, option_id: int, partner_id: int) -> Total:
    """One partner's weighted total for one option (factors they have not rated are left out)."""
    points = weight_sum = 0
    complete = bool(m.factors)
    for f in m.factors:
        w = m.weights.get((f["id"], partner_id))
        s = m.scores.get((f["id"], option_id, partner_id))
        if w is None or s is None:
            complete = False
            continue
        points += w * s
        weight_sum += w
    if not weight_sum:
        return Total(None, 0, None, complete)
    return Total(points, weight_sum, points / weight_sum, complete)


def filled_cells(m: Matrix, partner_id: int) -> tuple[int, int]:
    """(filled, all) of one partner's cells: a cell is one factor for one option, and it is
    filled when the partner has given that factor a weight and that option a score on it."""
    cells = [(f["id"], o["id"]) for f in m.factors for o in m.options]
    filled = sum((f, partner_id) in m.weights and (f, o, partner_id) in m.scores for f, o in cells)
    return filled, len(cells)


def results(m: Matrix) -> list[OptionResult]:
    """Every option's totals per partner and together."""
    out = []
    for o in m.options:
        by_partner = {p["id"]: partner_total(m, o["id"], p["id"]) for p in m.partners}
        means = [t.mean for t in by_partner.values()]
        together = sum(means) / len(means) if means and None not in means else None
        out.append(
            OptionResult(
                option_id=o["id"],
                label=o["label"],
                by_partner=MappingProxyType(by_partner),
                together=together,
                complete=all(t.complete for t in by_partner.values()),
            )
        )
    return out


def _grade(value: Any, name: str, what: str = "") -> int | None:
    """A 1-10 grade or None for a blank; `what` names the cell in the message (Markdown)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    problem = f"Use a whole number from {SCALE_MIN} to {SCALE_MAX}."
    if what:  # in a matrix of twenty cells, which one
        problem = f"{what}: use a whole number from {SCALE_MIN} to {SCALE_MAX}."
    if isinstance(value, bool):
        raise ValidationError({name: problem})
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({name: problem}) from None
    # The range first: NaN and infinity fail it, and int() would raise on them.
    if not SCALE_MIN <= number <= SCALE_MAX or number != int(number):
        raise ValidationError({name: problem})
    return int(number)


@audited("update", "decision matrix")
def save_partner_grid(
    db: Database,
    actor: Actor,
    couple_id: Any,
    decision_id: Any,
    partner_id: Any,
    weights: Mapping[Any, Any],
    scores: Mapping[tuple[Any, Any], Any],
    now: datetime | None = None,
) -> None:
    """Store one partner's weights {factor: 1-10} and scores {(factor, option): 1-10} given in
    session; a blank clears that cell."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    m = _matrix(db, cid, d)
    pid = next((p["id"] for p in m.partners if str(p["id"]) == as_text(partner_id)), None)
    if pid is None:
        raise NotFound("partner")
    factor = {f["id"]: markdown.escape(f["label"]) for f in m.factors}
    option = {o["id"]: markdown.escape(o["label"]) for o in m.options}
    errors: dict[str, str] = {}

    def grade(value: Any, name: str, what: str) -> int | None:
        try:
            return _grade(value, name, what)
        except ValidationError as e:  # every bad cell named at once
            errors.update(e.fields)
            return None

    clean_w = {}
    for key, value in weights.items():
        fid = record_id(key, "factor")
        if fid not in factor:
            raise NotFound("factor")
        clean_w[fid] = grade(value, f"w_{fid}", f"Weight of {factor[fid]}")
    clean_s = {}
    for key, value in scores.items():
        try:
            fid, oid = (record_id(part, "factor") for part in key)
        except (TypeError, ValueError):  # not a (factor, option) pair
            raise NotFound("factor") from None
        if fid not in factor or oid not in option:
            raise NotFound("factor")
        clean_s[(fid, oid)] = grade(value, f"s_{oid}_{fid}", f"{option[oid]} on {factor[fid]}")
    if errors:
        raise ValidationError(errors)
    now = now or utcnow()
    common = {"decision_id": d["id"], "couple_id": cid, "partner_id": pid}

    def write(tx: Tx) -> None:
        for fid, w in clean_w.items():
            if w is None:
                tx.all("decisions/delete_weight", factor_id=fid, partner_id=pid, couple_id=cid)
            else:
                tx.all(
                    "decisions/put_weight",
                    factor_id=fid,
                    weight=w,
                    source="session",
                    now=now,
                    **common,
                )
        for (fid, oid), s in clean_s.items():
            if s is None:
                tx.all(
                    "decisions/delete_score",
                    factor_id=fid,
                    option_id=oid,
                    partner_id=pid,
                    couple_id=cid,
                )
            else:
                tx.all(
                    "decisions/put_score",
                    factor_id=fid,
                    option_id=oid,
                    score=s,
                    source="session",
                    now=now,
                    **common,
                )

    db.write(write)


def results_frame(m: Matrix, res: list[OptionResult]) -> pd.DataFrame:
    """Long table for the chart: option, who (a partner's name or 'Together'), score 1-10."""
    names = dict(zip((p["id"] for p in m.partners), distinct_names(m.partners), strict=True))
    rows = []
    for r in res:
        for pid, total in r.by_partner.items():
            rows.append(
                {"option": r.label, "who": names[pid], "score": total.mean, "points": total.points}
            )
    return pd.DataFrame(rows, columns=["option", "who", "score", "points"])


def matrix_chart(
    frame: pd.DataFrame, names: list[str], width: int | str = "container"
) -> alt.LayerChart:
    """`matrix_spec` as an Altair chart, whose to_dict() checks it against the schema (tests)."""
    return as_altair(matrix_spec(frame, names, width))


def matrix_spec(frame: pd.DataFrame, names: list[str], width: int | str = "container") -> Spec:
    """Options x partners: each partner's weighted score (1-10) side by side, per option. A
    Vega-Lite dict, the one Altair's classes made of it (built through them it took ~0.1 s)."""
    colours = partner_colours(names)
    data = frame.dropna(subset=["score"]).assign(label=lambda f: f["score"].round(1))
    order = list(dict.fromkeys(frame["option"]))
    rows = Datasets()
    base = {
        "x": {
            "axis": {"labelAngle": 0, "labelLimit": 160},
            "field": "option",
            "sort": order,
            "title": None,
            "type": "nominal",
        },
        "xOffset": {"field": "who", "sort": names, "type": "nominal"},
    }
    bars = {
        "color": {
            "field": "who",
            "legend": {"orient": "top"},
            "scale": {"domain": list(colours), "range": list(colours.values())},
            "title": None,
            "type": "nominal",
        },
        "tooltip": [
            {"field": "option", "title": "Option", "type": "nominal"},
            {"field": "who", "title": "Partner", "type": "nominal"},
            {"field": "score", "format": ".1f", "title": "Weighted score", "type": "quantitative"},
            {"field": "points", "title": "Points (weight × score)", "type": "quantitative"},
        ],
        "y": {
            "field": "score",
            "scale": {"domain": [0, 10]},
            "title": "Weighted score (1–10)",
            "type": "quantitative",
        },
    }
    text = {
        "text": {"field": "label", "format": ".1f", "type": "quantitative"},
        "y": {"field": "score", "type": "quantitative"},
    }
    return {
        "layer": [
            {"mark": {"type": "bar"}, "encoding": {**base, **bars}},
            {"mark": {"type": "text", "dy": -7, "fontSize": 11}, "encoding": {**base, **text}},
        ],
        "data": rows.add(data),
        "height": 260,
        "title": "Opportunity matrix",
        "width": width,
        "$schema": SCHEMA_URL,
        "datasets": rows.rows,
    }


# -- money ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Money:
    """One option's simple monthly picture: both incomes less costs adjusted for cost of
    living. `first_year` also takes off any one-off cost."""

    income: float
    costs: float
    monthly_net: float
    first_year: float
    complete: bool


def money(option: Mapping[str, Any]) -> Money | None:
    """The financial scenario of an option, or None when nothing about money was entered."""
    fields = ("income_1", "income_2", "costs", "cost_of_living", "one_off")
    if all(option.get(f) is None for f in fields):
        return None
    income = (option.get("income_1") or 0.0) + (option.get("income_2") or 0.0)
    costs = (option.get("costs") or 0.0) * (1 + (option.get("cost_of_living") or 0.0) / 100)
    net = income - costs
    complete = all(option.get(f) is not None for f in ("income_1", "income_2", "costs"))
    return Money(
        income=round(income, 2),
        costs=round(costs, 2),
        monthly_net=round(net, 2),
        first_year=round(12 * net - (option.get("one_off") or 0.0), 2),
        complete=complete,
    )


# -- the partner's form (a private link whose questions come from the matrix) -------------------
FORM_VERSION = 1
ITEM_ID = re.compile(r"^(?:w_(\d+)|s_(\d+)_(\d+))$")


def _form(decision: dict[str, Any], factors, options) -> Instrument:
    """The generated form: one page of weights, then one page of scores per option."""
    if not factors or not options:
        raise ValidationError(
            {"matrix": "Add at least one factor and one option before sending the matrix."}
        )

    def slider(item_id: str, factor: dict[str, Any], low: str, high: str) -> Item:
        return Item(
            id=item_id,
            prompt=markdown.escape(factor["label"]),
            type=instruments.SLIDER,
            min=SCALE_MIN,
            max=SCALE_MAX,
            step=1,
            required=True,
            healthy="none",
            min_label=low,
            max_label=high,
        )

    weights = tuple(
        slider(f"w_{f['id']}", f, "Hardly matters to me", "Matters enormously to me")
        for f in factors
    )
    sections = [
        Section(
            id="weights",
            title="What matters to you",
            intro=(
                "For each factor: how much does it matter to you in this decision? "
                f"{SCALE_MIN} = hardly at all, {SCALE_MAX} = enormously. Your own view; your "
                "partner gives theirs."
            ),
            items=weights,
        )
    ]
    for o in options:
        sections.append(
            Section(
                id=f"option_{o['id']}",
                # Markdown on the partner's page, like the prompts: the counselor's words as typed.
                title=f"Option: {markdown.escape(o['label'])}",
                intro=(
                    "How well does this option do on each factor, as you see it? "
                    f"{SCALE_MIN} = very badly, {SCALE_MAX} = very well."
                ),
                items=tuple(
                    slider(f"s_{o['id']}_{f['id']}", f, "Very badly", "Very well") for f in factors
                ),
            )
        )
    items = {i.id: i for s in sections for i in s.items}
    return Instrument(
        id="decision_matrix",
        version=FORM_VERSION,
        title=f"Weighing up: {decision['title']}",
        intro=(
            "You and your partner each fill in this page on your own: first how much each "
            "factor matters to you, then how each option does on it. Your answers are saved as "
            "you go, so you can stop and come back. Unlike your questionnaires, these numbers "
            "are made to be compared: your counselor will show both of yours side by side in "
            "a session."
        ),
        minutes=max(2, round(len(items) / 6)),
        sections=tuple(sections),
        _items=MappingProxyType(items),
    )


@audited("view", "decision matrix")
def matrix_form(db: Database, actor: Actor, couple_id: Any, decision_id: Any) -> Instrument:
    """The partner form for a decision (checks the actor may see the couple)."""
    cid = couples.check_access(db, actor, couple_id)
    d = _decision(db, cid, decision_id)
    return _form(
        d,
        db.all("decisions/factors", decision_id=d["id"], couple_id=cid),
        db.all("decisions/options", decision_id=d["id"], couple_id=cid),
    )


def matrix_form_for_link(db: Database | Tx, couple_id: int, decision_id: int) -> Instrument:
    """The same form for a partner's link (the link's token already named couple and decision)."""
    from core.links import LinkUnavailable

    d = db.one("decisions/get", decision_id=decision_id, couple_id=couple_id)
    if d is None:
        raise LinkUnavailable()
    try:
        return _form(
            d,
            db.all("decisions/factors", decision_id=d["id"], couple_id=couple_id),
            db.all("decisions/options", decision_id=d["id"], couple_id=couple_id),
        )
    except ValidationError:
        raise LinkUnavailable() from None


def apply_form_answers(
    tx: Tx, link: Mapping[str, Any], form: Instrument, answers: Mapping[str, Any], now
) -> None:
    """Inside the submit: copy a partner's submitted weights and scores into the matrix."""
    common = {
        "decision_id": link["decision_id"],
        "couple_id": link["couple_id"],
        "partner_id": link["partner_id"],
        "source": "link",
        "now": now,
    }
    for item_id, value in answers.items():
        m = ITEM_ID.match(item_id)
        if not m or value is None:
            continue
        try:
            form.item(item_id)  # still a question of the form (the matrix may have changed)
        except KeyError:
            continue
        if m.group(1):
            tx.all("decisions/put_weight", factor_id=int(m.group(1)), weight=int(value), **common)
        else:
            tx.all(
                "decisions/put_score",
                factor_id=int(m.group(3)),
                option_id=int(m.group(2)),
                score=int(value),
                **common,
            )
