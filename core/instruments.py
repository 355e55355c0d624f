"""Questionnaires ("instruments") as versioned TOML files: loading, validation and answer checks."""

from __future__ import annotations

import functools
import math
import numbers
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from core.errors import TandemError, ValidationError
from core.validation import NOTES_MAX_CHARS, SHORT_TEXT_MAX_CHARS, clean_text

INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"

# Ids appear in URLs, database rows and file names: lower-case words joined by underscores.
ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

SCALE = "scale"
SLIDER = "slider"
SPLIT = "split"
NUMBER = "number"
SINGLE = "single_choice"
MULTI = "multiple_choice"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
YES_NO = "yes_no"

# Keys every item may carry, whatever its type; `reverse` is checked by its own rule below.
COMMON_ITEM_KEYS = frozenset({"id", "type", "prompt", "help", "required", "private", "reverse"})

# Per type: the extra keys it accepts, the healthy directions it allows, its default direction.
# "high"/"low" name the healthy end of an ordinal answer; "yes"/"no" the healthy yes/no answer;
# "none" means neither answer is better (a fact, a preference); None means it does not apply.
TYPES: dict[str, tuple[frozenset[str], tuple[str, ...], str | None]] = {
    SCALE: (
        frozenset({"options", "option_set", "healthy"}),
        ("high", "low", "none"),
        "high",
    ),
    SLIDER: (
        frozenset({"min", "max", "step", "min_label", "max_label", "healthy"}),
        ("high", "low", "none"),
        "high",
    ),
    SPLIT: (frozenset({"step", "me_label", "partner_label"}), (), None),
    NUMBER: (frozenset({"min", "max", "step", "unit", "healthy"}), ("high", "low", "none"), "none"),
    SINGLE: (frozenset({"options", "option_set"}), (), None),
    MULTI: (frozenset({"options", "option_set", "max_choices"}), (), None),
    SHORT_TEXT: (frozenset({"max_chars"}), (), None),
    LONG_TEXT: (frozenset({"max_chars"}), (), None),
    YES_NO: (frozenset({"healthy"}), ("yes", "no", "none"), "none"),
}
# Answers on a numeric range with a low and a high end (compared as fractions of the range).
ORDINAL_TYPES = frozenset({SCALE, SLIDER, NUMBER})
# Answers picked from listed options.
CHOICE_TYPES = frozenset({SCALE, SINGLE, MULTI})
# Only answers that are numbers on a fixed range can be added into a score.
SCORABLE_TYPES = frozenset({SCALE, SLIDER, NUMBER, YES_NO})
TEXT_TYPES = frozenset({SHORT_TEXT, LONG_TEXT})

# A short answer is a line or two; a long one is about a page of prose (~600 words).
DEFAULT_MAX_CHARS = {SHORT_TEXT: SHORT_TEXT_MAX_CHARS, LONG_TEXT: 4000}
# Raw text more than twice the limit is refused before any cleaning, so a 10 MB paste costs
# nothing; only text padded out with that much whitespace would have fitted once cleaned.
RAW_TEXT_SLACK = 2
# A percentage split is "my share" of something the two partners share, 0-100.
SPLIT_MIN, SPLIT_MAX = 0, 100
# Sliders are 0-10 unless the file says otherwise (the common "rate from 0 to 10" form).
SLIDER_DEFAULT_MIN, SLIDER_DEFAULT_MAX = 0, 10
# Steps closer than this to a whole step are floating-point noise (0.1 + 0.2), not off-grid.
STEP_TOLERANCE = 1e-9

COUNSELOR = "counselor"
# Shown beside every counselor-only item, so a partner knows before answering who reads it.
# Not "only your counselor": the practice admin can open every record too, by design.
# Said as it is: a practice's admins can open every couple (to move one to another counselor,
# to answer a request for a client's record), so "only your counselor" would not be true.
COUNSELOR_ONLY_NOTE = (
    "Your counselor reads your answers here; so can the practice's administrator, who looks "
    "after its records. Your partner never sees them, and they are left out of anything shared "
    "with the two of you."
)
METHODS = ("sum", "mean")

TOP_KEYS = frozenset(
    {
        "id",
        "version",
        "title",
        "intro",
        "minutes",
        "citation",
        "validated",
        "source",
        "licence",
        "option_sets",
        "sections",
        "scores",
        "cutoffs",
    }
)
SECTION_KEYS = frozenset({"id", "title", "intro", "items", "include", "private"})
OPTION_KEYS = frozenset({"value", "label", "mirror"})
SCORE_KEYS = frozenset(
    {
        "id",
        "label",
        "items",
        "method",
        "meaning",
        "healthy",
        "citation",
        "reliable_change",
        "reliable_change_source",
        "reliable_change_note",
    }
)
CUTOFF_KEYS = frozenset({"score", "below", "below_meaning", "above_meaning", "source"})


class InstrumentError(TandemError):
    """An instrument file is missing or malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Option:
    """One answer on a labelled scale or choice list; `mirror` is the same answer seen by the
    other partner (e.g. "mine" <-> "my partner's")."""

    value: int | str
    label: str
    mirror: str | None = None


@dataclass(frozen=True)
class Item:
    """One question. Fields that do not apply to its type keep their defaults."""

    id: str
    type: str
    prompt: str
    help: str = ""
    required: bool = False
    reverse: bool = False
    private: str | None = None
    healthy: str | None = None
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit: str = ""
    min_label: str = ""
    max_label: str = ""
    max_chars: int | None = None
    max_choices: int | None = None
    me_label: str = "Me"
    partner_label: str = "My partner"

    @property
    def is_private(self) -> bool:
        """True for counselor-only (safety) items."""
        return self.private == COUNSELOR

    @property
    def bounds(self) -> tuple[float, float] | None:
        """Lowest and highest possible numeric answer, or None for non-numeric types."""
        if self.type == SCALE:
            values = [int(o.value) for o in self.options]
            return min(values), max(values)
        if self.type in (SLIDER, NUMBER, SPLIT):
            return self.min, self.max
        if self.type == YES_NO:
            return 0, 1
        return None

    def option(self, value: Any) -> Option | None:
        """The option with this stored value, if any."""
        for o in self.options:
            if o.value == value and type(o.value) is type(value):
                return o
        return None


@dataclass(frozen=True)
class Section:
    """A page of the form. `include` names the instrument its items were taken from."""

    id: str
    title: str
    intro: str
    items: tuple[Item, ...]
    include: str | None = None
    private: str | None = None


@dataclass(frozen=True)
class Score:
    """A subscale or total: the sum or mean of some items, reverse-keyed ones reversed."""

    id: str
    label: str
    items: tuple[str, ...]
    method: str
    meaning: str
    healthy: str
    min: float
    max: float
    citation: str | None = None
    reliable_change: float | None = None
    reliable_change_source: str | None = None
    reliable_change_note: str | None = None


@dataclass(frozen=True)
class Cutoff:
    """A published threshold: a score strictly below `below` means `below_meaning`."""

    score: str
    below: float
    below_meaning: str
    above_meaning: str
    source: str | None = None


@dataclass(frozen=True)
class Instrument:
    """A whole questionnaire, validated, with includes resolved."""

    id: str
    version: int
    title: str
    intro: str
    minutes: int
    sections: tuple[Section, ...]
    scores: tuple[Score, ...] = ()
    cutoffs: tuple[Cutoff, ...] = ()
    citation: str | None = None
    validated: bool = False
    source: str | None = None
    licence: str | None = None
    path: str = ""
    _items: Mapping[str, Item] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item in form order."""
        return tuple(i for s in self.sections for i in s.items)

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if none)."""
        return self._items[item_id]

    def score(self, score_id: str) -> Score:
        """The score with this id (KeyError if none)."""
        for s in self.scores:
            if s.id == score_id:
                return s
        raise KeyError(score_id)

    def cutoff(self, score_id: str) -> Cutoff | None:
        """The cut-off for a score, if one is published."""
        for c in self.cutoffs:
            if c.score == score_id:
                return c
        return None


# ---------------------------------------------------------------------------------------------
# Loading


@functools.lru_cache(maxsize=64)
def load(instrument_id: str, directory: Path | None = None) -> Instrument:
    """The instrument `instruments/<id>.toml`, validated (cached); InstrumentError if bad."""
    folder = Path(directory) if directory is not None else INSTRUMENTS_DIR
    return _load_id(instrument_id, folder, ())


def load_file(path: Path | str) -> Instrument:
    """Load and validate one instrument file (uncached); includes resolve beside it."""
    path = Path(path)
    return _build(path, ())


def all_instruments(directory: Path | None = None) -> tuple[Instrument, ...]:
    """Every instrument in the folder, by id."""
    folder = Path(directory) if directory is not None else INSTRUMENTS_DIR
    return tuple(load(p.stem, directory) for p in sorted(folder.glob("*.toml")))


def _load_id(instrument_id: str, folder: Path, chain: tuple[str, ...]) -> Instrument:
    """Find `<id>.toml` in the folder and build it."""
    if not isinstance(instrument_id, str) or not ID.match(instrument_id):
        raise InstrumentError(f"{instrument_id!r} is not a valid instrument id.")
    path = folder / f"{instrument_id}.toml"
    if not path.is_file():
        raise InstrumentError(f"There is no instrument called '{instrument_id}' in {folder}.")
    return _build(path, chain)


class _Problems:
    """Raises InstrumentError prefixed with the file name."""

    def __init__(self, path: Path):
        self.name = path.name

    def fail(self, problem: str) -> NoReturn:
        """Stop loading: this file has this problem."""
        raise InstrumentError(f"{self.name}: {problem}")


def _build(path: Path, chain: tuple[str, ...]) -> Instrument:
    """Parse and validate one file; `chain` is the include path so far (to catch cycles)."""
    p = _Problems(path)
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        p.fail("file not found")
    except tomllib.TOMLDecodeError as e:
        p.fail(f"is not valid TOML ({e})")

    _unknown_keys(p, raw, TOP_KEYS, "the top level")
    iid = _text(p, raw, "id", "the top level")
    if not ID.match(iid):
        p.fail(f"id '{iid}' must be lower-case letters, digits and underscores")
    if iid != path.stem:
        p.fail(f"id '{iid}' does not match the file name (expected '{path.stem}')")
    if iid in chain:
        p.fail(f"include cycle: {' -> '.join((*chain, iid))}")
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        p.fail("version must be a whole number of at least 1")
    minutes = raw.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
        p.fail("minutes must be a whole number of at least 1")
    title = _text(p, raw, "title", "the top level")
    intro = _text(p, raw, "intro", "the top level")
    citation = _text(p, raw, "citation", "the top level", required=False) or None
    validated = raw.get("validated", False)
    if not isinstance(validated, bool):
        p.fail("validated must be true or false")

    option_sets = _option_sets(p, raw.get("option_sets", {}))
    raw_sections = raw.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        p.fail("has no [[sections]]")
    raw_scores = raw.get("scores", [])
    if not isinstance(raw_scores, list):
        p.fail("scores must be a list of [[scores]] tables")

    # Items named by a score are required unless the file says otherwise.
    scored_ids = {
        i
        for s in raw_scores
        if isinstance(s, dict)
        for i in s.get("items", [])
        if isinstance(i, str)
    }

    sections: list[Section] = []
    imported_scores: list[Score] = []
    imported_cutoffs: list[Cutoff] = []
    for n, rs in enumerate(raw_sections, start=1):
        if not isinstance(rs, dict):
            p.fail(f"section {n} is not a table")
        section, included = _section(p, rs, n, option_sets, scored_ids, path.parent, (*chain, iid))
        sections.append(section)
        if included is not None:
            imported_scores.extend(included.scores)
            imported_cutoffs.extend(included.cutoffs)

    _unique(p, [s.id for s in sections], "section id")
    all_items = [i for s in sections for i in s.items]
    _unique(p, [i.id for i in all_items], "item id")
    items = {i.id: i for i in all_items}

    scores = list(imported_scores)
    for n, rs in enumerate(raw_scores, start=1):
        scores.append(_score(p, rs, n, items, citation))
    _unique(p, [s.id for s in scores], "score id")
    if validated and raw_scores and not citation:
        p.fail("is a validated measure with scores but has no citation")

    raw_cutoffs = raw.get("cutoffs", [])
    if not isinstance(raw_cutoffs, list):
        p.fail("cutoffs must be a list of [[cutoffs]] tables")
    by_score = {s.id: s for s in scores}
    cutoffs = list(imported_cutoffs)
    for n, rc in enumerate(raw_cutoffs, start=1):
        cutoffs.append(_cutoff(p, rc, n, by_score))
    _unique(p, [c.score for c in cutoffs], "cutoff for score")

    return Instrument(
        id=iid,
        version=version,
        title=title,
        intro=intro,
        minutes=minutes,
        sections=tuple(sections),
        scores=tuple(scores),
        cutoffs=tuple(cutoffs),
        citation=citation,
        validated=validated,
        source=_text(p, raw, "source", "the top level", required=False) or None,
        licence=_text(p, raw, "licence", "the top level", required=False) or None,
        path=str(path),
        _items=MappingProxyType(items),
    )


def _section(
    p: _Problems,
    rs: dict,
    n: int,
    option_sets: dict[str, tuple[Option, ...]],
    scored_ids: set[str],
    folder: Path,
    chain: tuple[str, ...],
) -> tuple[Section, Instrument | None]:
    """One [[sections]] table; an `include` section copies another instrument's items."""
    _unknown_keys(p, rs, SECTION_KEYS, f"section {n}")
    sid = _text(p, rs, "id", f"section {n}")
    where = f"section '{sid}'"
    if not ID.match(sid):
        p.fail(f"{where}: id must be lower-case letters, digits and underscores")
    private = rs.get("private")
    if private is not None and private != COUNSELOR:
        p.fail(f'{where}: private must be "{COUNSELOR}" (the only audience besides the partner)')
    include = rs.get("include")
    if include is not None:
        if "items" in rs:
            p.fail(f"{where}: has both include and items; use one or the other")
        if not isinstance(include, str) or not ID.match(include):
            p.fail(f"{where}: include must name an instrument id")
        try:
            included = _load_id(include, folder, chain)
        except InstrumentError as e:
            p.fail(f"{where}: cannot include '{include}' ({e})")
        items = tuple(i for s in included.sections for i in s.items)
        title = _text(p, rs, "title", where, required=False) or included.sections[0].title
        intro = _text(p, rs, "intro", where, required=False) or included.intro
        return Section(sid, title, intro, items, include=include, private=private), included

    title = _text(p, rs, "title", where)
    intro = _text(p, rs, "intro", where, required=False)
    raw_items = rs.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        p.fail(f"{where}: has no items")
    items = []
    for k, ri in enumerate(raw_items, start=1):
        if not isinstance(ri, dict):
            p.fail(f"{where}: item {k} is not a table")
        items.append(_item(p, ri, f"{where}, item {k}", option_sets, scored_ids, private))
    return Section(sid, title, intro, tuple(items), private=private), None


def _item(
    p: _Problems,
    ri: dict,
    where: str,
    option_sets: dict[str, tuple[Option, ...]],
    scored_ids: set[str],
    section_private: str | None,
) -> Item:
    """One [[sections.items]] table, checked against the rules for its type."""
    iid = _text(p, ri, "id", where)
    where = f"item '{iid}'"
    if not ID.match(iid):
        p.fail(f"{where}: id must be lower-case letters, digits and underscores")
    kind = ri.get("type")
    if kind not in TYPES:
        p.fail(f"{where}: unknown type {kind!r} (known types: {', '.join(TYPES)})")
    extra, directions, default_healthy = TYPES[kind]
    unknown = set(ri) - COMMON_ITEM_KEYS - extra
    if unknown:
        verb = "does" if len(unknown) == 1 else "do"
        p.fail(f"{where}: {', '.join(sorted(unknown))} {verb} not apply to a {kind} item")
    prompt = _text(p, ri, "prompt", where)
    help_text = _text(p, ri, "help", where, required=False)
    required = _flag(p, ri, "required", where, iid in scored_ids)
    reverse = _flag(p, ri, "reverse", where, False)
    private = ri.get("private", section_private)
    if private is not None and private != COUNSELOR:
        p.fail(f'{where}: private must be "{COUNSELOR}"')

    if reverse and kind != SCALE:
        p.fail(f"{where}: reverse-keyed items must be scales (this is a {kind})")
    if reverse:
        default_healthy = "low"
    healthy = ri.get("healthy", default_healthy)
    if directions and healthy not in directions:
        p.fail(f"{where}: healthy must be one of {', '.join(directions)} (got {healthy!r})")

    fields: dict[str, Any] = {}
    if kind in CHOICE_TYPES:
        fields["options"] = _item_options(p, ri, where, kind, option_sets)
    if kind == MULTI and "max_choices" in ri:
        fields["max_choices"] = _whole(p, ri, "max_choices", where, 1, len(fields["options"]))
    if kind == SLIDER:
        fields.update(_range(p, ri, where, SLIDER_DEFAULT_MIN, SLIDER_DEFAULT_MAX))
        fields["min_label"] = _text(p, ri, "min_label", where)
        fields["max_label"] = _text(p, ri, "max_label", where)
    if kind == NUMBER:
        if "min" not in ri or "max" not in ri:
            p.fail(f"{where}: a number item needs min and max")
        fields.update(_range(p, ri, where, None, None))
        fields["unit"] = _text(p, ri, "unit", where, required=False)
    if kind == SPLIT:
        fields.update(_range(p, {**ri, "min": SPLIT_MIN, "max": SPLIT_MAX}, where, None, None))
        fields["me_label"] = _text(p, ri, "me_label", where, required=False) or "Me"
        fields["partner_label"] = (
            _text(p, ri, "partner_label", where, required=False) or "My partner"
        )
    if kind in TEXT_TYPES:
        fields["max_chars"] = (
            _whole(p, ri, "max_chars", where, 1, NOTES_MAX_CHARS)
            if "max_chars" in ri
            else DEFAULT_MAX_CHARS[kind]
        )
    return Item(
        id=iid,
        type=kind,
        prompt=prompt,
        help=help_text,
        required=required,
        reverse=reverse,
        private=private,
        healthy=healthy if directions else None,
        **fields,
    )


def _item_options(
    p: _Problems, ri: dict, where: str, kind: str, option_sets: dict[str, tuple[Option, ...]]
) -> tuple[Option, ...]:
    """The options of a scale or choice item, given inline or by `option_set` name."""
    if "options" in ri and "option_set" in ri:
        p.fail(f"{where}: has both options and option_set; use one")
    if "option_set" in ri:
        name = ri["option_set"]
        if name not in option_sets:
            p.fail(f"{where}: unknown option_set {name!r}")
        options = option_sets[name]
    elif "options" in ri:
        options = _options(p, ri["options"], where)
    else:
        what = "a scale" if kind == SCALE else "a choice item"
        p.fail(f"{where}: {what} needs options (or an option_set)")
    if len(options) < 2:
        p.fail(f"{where}: needs at least two options")
    for o in options:
        if kind == SCALE and (isinstance(o.value, bool) or not isinstance(o.value, int)):
            p.fail(f"{where}: scale option values must be whole numbers (got {o.value!r})")
        if kind != SCALE and not (isinstance(o.value, str) and ID.match(o.value)):
            p.fail(f"{where}: choice option values must be short ids (got {o.value!r})")
        if o.mirror is not None and kind != SINGLE:
            p.fail(f"{where}: mirror only applies to single_choice options")
    _unique(p, [o.value for o in options], "option value", where)
    _unique(p, [o.label for o in options], "option label", where)
    values = {o.value: o for o in options}
    for o in options:
        if o.mirror is None:
            continue
        twin = values.get(o.mirror)
        if twin is None:
            p.fail(f"{where}: option '{o.value}' mirrors unknown option '{o.mirror}'")
        if twin.mirror != o.value:
            p.fail(f"{where}: option '{o.mirror}' must mirror '{o.value}' back")
    return options


def _options(p: _Problems, raw: Any, where: str) -> tuple[Option, ...]:
    """A list of {value, label, mirror?} tables."""
    if not isinstance(raw, list):
        p.fail(f"{where}: options must be a list of {{ value, label }} tables")
    out = []
    for k, ro in enumerate(raw, start=1):
        if not isinstance(ro, dict):
            p.fail(f"{where}: option {k} must be a {{ value, label }} table")
        _unknown_keys(p, ro, OPTION_KEYS, f"{where}, option {k}")
        if "value" not in ro:
            p.fail(f"{where}: option {k} has no value")
        label = _text(p, ro, "label", f"{where}, option {k}")
        mirror = ro.get("mirror")
        if mirror is not None and not isinstance(mirror, str):
            p.fail(f"{where}: option {k} mirror must name another option")
        out.append(Option(ro["value"], label, mirror))
    return tuple(out)


def _option_sets(p: _Problems, raw: Any) -> dict[str, tuple[Option, ...]]:
    """Named option lists shared by many items: `[option_sets] agree5 = [...]`."""
    if not isinstance(raw, dict):
        p.fail("option_sets must be a table of named option lists")
    return {name: _options(p, opts, f"option_set '{name}'") for name, opts in raw.items()}


def _range(
    p: _Problems, ri: dict, where: str, default_min: float | None, default_max: float | None
) -> dict[str, float]:
    """min, max and step of a numeric item: finite, min < max, a whole number of steps."""
    lo = ri.get("min", default_min)
    hi = ri.get("max", default_max)
    step = ri.get("step", 1)
    for name, v in (("min", lo), ("max", hi), ("step", step)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            p.fail(f"{where}: {name} must be a number")
    if lo >= hi:
        p.fail(f"{where}: min ({lo}) must be below max ({hi})")
    if step <= 0:
        p.fail(f"{where}: step must be above zero")
    if not _on_grid(hi, lo, step):
        p.fail(f"{where}: the range {lo}..{hi} is not a whole number of steps of {step}")
    return {"min": lo, "max": hi, "step": step}


def _score(p: _Problems, rs: Any, n: int, items: dict[str, Item], citation: str | None) -> Score:
    """One [[scores]] table: every item known, numeric, not counselor-only."""
    if not isinstance(rs, dict):
        p.fail(f"score {n} is not a table")
    _unknown_keys(p, rs, SCORE_KEYS, f"score {n}")
    sid = _text(p, rs, "id", f"score {n}")
    where = f"score '{sid}'"
    if not ID.match(sid):
        p.fail(f"{where}: id must be lower-case letters, digits and underscores")
    names = rs.get("items")
    if not isinstance(names, list) or not names or not all(isinstance(i, str) for i in names):
        p.fail(f"{where}: items must be a non-empty list of item ids")
    _unique(p, names, "item", where)
    for name in names:
        if name not in items:
            p.fail(f"{where}: names unknown item '{name}'")
        item = items[name]
        if item.type not in SCORABLE_TYPES:
            p.fail(f"{where}: item '{name}' is a {item.type}, which cannot be scored")
        if item.is_private:
            p.fail(f"{where}: item '{name}' is counselor-only and must not feed a score")
    method = rs.get("method", "sum")
    if method not in METHODS:
        p.fail(f"{where}: method must be one of {', '.join(METHODS)} (got {method!r})")
    healthy = rs.get("healthy", "high")
    if healthy not in ("high", "low"):
        p.fail(f"{where}: healthy must be high or low")
    lows = [items[i].bounds[0] for i in names]
    highs = [items[i].bounds[1] for i in names]
    lo, hi = (sum(lows), sum(highs)) if method == "sum" else _means(lows, highs)
    rc = rs.get("reliable_change")
    if rc is not None:
        if isinstance(rc, bool) or not isinstance(rc, int | float) or rc <= 0:
            p.fail(f"{where}: reliable_change must be a positive number")
        if not rs.get("reliable_change_source"):
            p.fail(f"{where}: reliable_change needs a reliable_change_source")
    return Score(
        id=sid,
        label=_text(p, rs, "label", where),
        items=tuple(names),
        method=method,
        meaning=_text(p, rs, "meaning", where),
        healthy=healthy,
        min=lo,
        max=hi,
        citation=_text(p, rs, "citation", where, required=False) or citation,
        reliable_change=rc,
        reliable_change_source=_text(p, rs, "reliable_change_source", where, required=False)
        or None,
        reliable_change_note=_text(p, rs, "reliable_change_note", where, required=False) or None,
    )


def _means(lows: list[float], highs: list[float]) -> tuple[float, float]:
    """Range of a mean score: the mean of the item minimums and of the item maximums."""
    return sum(lows) / len(lows), sum(highs) / len(highs)


def _cutoff(p: _Problems, rc: Any, n: int, scores: dict[str, Score]) -> Cutoff:
    """One [[cutoffs]] table naming a known score, its threshold inside the score's range."""
    if not isinstance(rc, dict):
        p.fail(f"cutoff {n} is not a table")
    _unknown_keys(p, rc, CUTOFF_KEYS, f"cutoff {n}")
    name = rc.get("score")
    if name not in scores:
        p.fail(f"cutoff {n} names unknown score {name!r}")
    below = rc.get("below")
    if isinstance(below, bool) or not isinstance(below, int | float):
        p.fail(f"cutoff for '{name}': below must be a number")
    score = scores[name]
    if not score.min < below <= score.max:
        p.fail(
            f"cutoff for '{name}': {below} is outside the score's range {score.min}..{score.max}"
        )
    where = f"cutoff for '{name}'"
    return Cutoff(
        score=name,
        below=below,
        below_meaning=_text(p, rc, "below_meaning", where),
        above_meaning=_text(p, rc, "above_meaning", where),
        source=_text(p, rc, "source", where, required=False) or None,
    )


def _text(p: _Problems, raw: dict, key: str, where: str, *, required: bool = True) -> str:
    """A string field, trimmed; required ones must not be blank."""
    value = raw.get(key)
    if value is None:
        if required:
            p.fail(f"{where}: missing {key}")
        return ""
    if not isinstance(value, str):
        p.fail(f"{where}: {key} must be text")
    value = value.strip()
    if required and not value:
        p.fail(f"{where}: {key} is blank")
    return value


def _flag(p: _Problems, raw: dict, key: str, where: str, default: bool) -> bool:
    """A true/false field."""
    value = raw.get(key, default)
    if not isinstance(value, bool):
        p.fail(f"{where}: {key} must be true or false")
    return value


def _whole(p: _Problems, raw: dict, key: str, where: str, lo: int, hi: int) -> int:
    """A whole-number field within [lo, hi]."""
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        p.fail(f"{where}: {key} must be a whole number from {lo} to {hi}")
    return value


def _unknown_keys(p: _Problems, raw: dict, allowed: frozenset[str], where: str) -> None:
    """Typos fail loudly: every key must be one the format knows."""
    unknown = set(raw) - allowed
    if unknown:
        p.fail(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")


def _unique(p: _Problems, values: Iterable[Any], what: str, where: str = "") -> None:
    """No value may appear twice."""
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            p.fail(f"{where + ': ' if where else ''}duplicate {what} {v!r}")
        seen.add(v)


def _on_grid(value: float, origin: float, step: float) -> bool:
    """True when value sits a whole number of steps from origin."""
    steps = (value - origin) / step
    return abs(steps - round(steps)) <= STEP_TOLERANCE * max(1.0, abs(steps))


# ---------------------------------------------------------------------------------------------
# Answers


def validate_answer(item: Item, value: Any) -> Any:
    """The cleaned answer (None when blank), or ValidationError({item.id: message})."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, list | tuple | set | frozenset) and not value and item.type == MULTI:
        return None
    try:
        return _CLEANERS[item.type](item, value)
    except ValueError as e:
        raise ValidationError({item.id: f"This answer {e}."}) from None


def clean_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every answer cleaned; one ValidationError naming each bad or unknown item."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in answers.items():
        try:
            item = instrument.item(key)
        except KeyError:
            errors[str(key)[:80]] = "This is not a question in this form."
            continue
        try:
            cleaned[key] = validate_answer(item, value)
        except ValidationError as e:
            errors.update(e.fields)
    if errors:
        raise ValidationError(errors)
    return cleaned


def is_answered(value: Any) -> bool:
    """False for None, blank text and an empty selection."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | frozenset):
        return bool(value)
    return True


def missing_required(instrument: Instrument, answers: Mapping[str, Any]) -> list[str]:
    """Ids of required items without an answer, in form order."""
    return [i.id for i in instrument.items if i.required and not is_answered(answers.get(i.id))]


def answer_label(item: Item, value: Any) -> str:
    """A cleaned answer as a person reads it ("Mostly TRUE", "Me 70% · My partner 30%")."""
    if not is_answered(value):
        return "Not answered"
    if item.type in (SCALE, SINGLE):
        option = item.option(value)
        return option.label if option else str(value)
    if item.type == MULTI:
        return "; ".join(o.label for o in item.options if o.value in value)
    if item.type == YES_NO:
        return "Yes" if value else "No"
    if item.type == SPLIT:
        return f"{item.me_label} {_fmt(value)}% · {item.partner_label} {_fmt(100 - value)}%"
    if item.type == NUMBER:
        return f"{_fmt(value)} {item.unit}".strip()
    if item.type == SLIDER:
        return f"{_fmt(value)} of {_fmt(item.max)}"
    return str(value)


def _fmt(number: float) -> str:
    """12 -> '12', 37.5 -> '37.5'."""
    return f"{number:g}"


def _number(value: Any) -> float:
    """A finite real number (not a bool, not text); ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError("must be a number")
    try:
        finite = math.isfinite(float(value))
    except OverflowError:  # an int too big for a float (10**400)
        finite = False
    if not finite:
        raise ValueError("must be a finite number")
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _in_range(item: Item, value: float) -> float:
    """Within the item's bounds and on its step grid; whole values come back as int."""
    if not item.min <= value <= item.max:
        raise ValueError(f"must be between {_fmt(item.min)} and {_fmt(item.max)}")
    if not _on_grid(value, item.min, item.step):
        raise ValueError(f"must be in steps of {_fmt(item.step)} from {_fmt(item.min)}")
    return int(value) if float(value).is_integer() else value


def _clean_scale(item: Item, value: Any) -> int:
    """A scale answer is one of the option values."""
    number = _number(value)
    if not float(number).is_integer() or item.option(int(number)) is None:
        allowed = ", ".join(str(o.value) for o in item.options)
        raise ValueError(f"must be one of the listed answers ({allowed})")
    return int(number)


def _clean_ranged(item: Item, value: Any) -> float:
    """A slider, split or number answer."""
    return _in_range(item, _number(value))


def _clean_single(item: Item, value: Any) -> str:
    """One of the option ids."""
    if not isinstance(value, str):
        raise ValueError("must be one of the listed answers")
    if item.option(value) is None:
        raise ValueError("is not one of the listed answers")
    return value


def _clean_multi(item: Item, value: Any) -> list[str]:
    """Several option ids, no repeats, at most max_choices; returned in form order."""
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError("must be a list of the listed answers")
    chosen = list(value)
    if not all(isinstance(v, str) for v in chosen):
        raise ValueError("must be a list of the listed answers")
    if len(set(chosen)) != len(chosen):
        raise ValueError("lists the same answer twice")
    unknown = [v for v in chosen if item.option(v) is None]
    if unknown:
        raise ValueError(f"includes something that is not a listed answer ({unknown[0][:40]!r})")
    if item.max_choices is not None and len(chosen) > item.max_choices:
        raise ValueError(f"may have at most {item.max_choices} choices")
    return [o.value for o in item.options if o.value in chosen]


def _clean_text(item: Item, value: Any) -> str | None:
    """Text within max_chars, control characters stripped; huge input refused before cleaning."""
    if not isinstance(value, str):
        raise ValueError("must be text")
    if len(value) > item.max_chars * RAW_TEXT_SLACK:
        raise ValueError(
            f"is too long ({len(value):,} characters; the limit is {item.max_chars:,})"
        )
    text = clean_text(value, item.max_chars, multiline=item.type == LONG_TEXT)
    return text or None


def _clean_yes_no(item: Item, value: Any) -> bool:
    """True/False, or the words yes/no from a form widget."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return value.strip().lower() == "yes"
    raise ValueError("must be yes or no")


_CLEANERS = {
    SCALE: _clean_scale,
    SLIDER: _clean_ranged,
    SPLIT: _clean_ranged,
    NUMBER: _clean_ranged,
    SINGLE: _clean_single,
    MULTI: _clean_multi,
    SHORT_TEXT: _clean_text,
    LONG_TEXT: _clean_text,
    YES_NO: _clean_yes_no,
}
