"""Bad input, a couple's records: agreements, decisions (options, factors, money, the partner
grid), seasons, the ledger, the roadmap, sessions and the check-in schedule, given nonsense.

Every handler either stores what it cleaned (and it reads back so) or refuses with Tandem's own
error and leaves the database as it was; rows of other records stay as they were. Each test
shares one real temp database across its examples, so rows accumulate. Generated cases:

    agreements 60 + decision create 30 + decision update 40 + options and factors 40
    + option details 50 + partner grid 50 + seasons 50 + ledger 50 + roadmap 40 + sessions 40
    + discussed 20 + homework 15 + schedule 30 + personal links 15 = 530
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import (
    agreements,
    checkins,
    couples,
    decisions,
    ledger,
    roadmap,
    schedule,
    seasons,
    sessions,
)
from core.dates import EARLIEST, LATEST
from core.errors import NotFound, TandemError, ValidationError
from core.validation import NOTES_MAX_CHARS, as_text, clean_text, record_id
from tests.bad_input import (
    CAMPAIGN,
    TEN_MB,
    assert_clean_text,
    calm_or_stored,
    intact,
    mostly,
    nasty_date,
    nasty_id,
    nasty_number,
    nasty_value,
    plain_typed,
    snapshot,
    typed_text,
    valid_dates,
    visible,
)
from tests.conftest import make_couple

NOW = datetime(2026, 11, 22, 10, 0)


def named(value, names: dict):
    """A placeholder like "p1" replaced by the real id it names; anything else as it is."""
    return names[value] if isinstance(value, str) and value in names else value


def hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def in_window(value) -> bool:
    return value is None or EARLIEST <= value <= LATEST


def choice(options) -> st.SearchStrategy:
    """Mostly a listed answer, sometimes nonsense."""
    return mostly(st.sampled_from(list(options)))


text = mostly(typed_text)
long_text = mostly(st.one_of(typed_text, st.text(max_size=300)))
when = mostly(valid_dates(), nasty_date)
blank_or_when = mostly(st.one_of(st.none(), st.just(""), valid_dates()), nasty_date)
money = st.one_of(
    st.integers(0, 10_000_000), st.floats(0, 10_000_000), st.sampled_from(["4,500", "1e3", ""])
)


@pytest.fixture
def their_couple(db, other_counselor):
    """Another counselor's couple, with a record of each kind: never touched by any example."""
    cid = make_couple(db, other_counselor, "Other", "Couple")
    agreements.save(db, other_counselor, cid, {"title": "T", "body": "B"}, now=NOW)
    decisions.create(db, other_counselor, cid, "Their decision")
    sessions.create(db, other_counselor, cid, {"held_on": "2026-01-01"})
    return cid


def refused_cleanly(db, tables, before, refused) -> bool:
    """True when the handler refused; then the database must be exactly as it was."""
    if refused:
        assert isinstance(refused[0], TandemError)
        assert snapshot(db, tables) == before
    return bool(refused)


def assert_text(stored, raw, limit, *, multiline=False, required=False):
    """Stored text is the raw value cleaned as documented; plain typed text reads back exactly."""
    assert_clean_text(stored, limit)
    assert stored == clean_text(raw, limit, multiline=multiline)
    if plain_typed(raw):
        assert stored == raw
    if required:
        assert visible(stored)


# -- agreements -------------------------------------------------------------------------------
AGREEMENT_TABLES = ("agreements", "agreement_versions")
agreement_raw = st.fixed_dictionaries(
    {"title": text, "body": long_text},
    optional={
        "exit_plan": long_text,
        "change_note": text,
        "kind": choice(agreements.KINDS),
        "status": choice(agreements.STATUSES),
        "review_on": blank_or_when,
        "confirmed_on": mostly(valid_dates(date(1950, 1, 1), NOW.date()), nasty_date),
    },
)


@settings(CAMPAIGN, max_examples=60)
@given(raw=agreement_raw, which=st.one_of(st.none(), st.just("existing"), nasty_id))
@example(raw={"title": "Turns", "body": TEN_MB}, which=None)
@example(raw={"title": "Turns", "body": "x", "review_on": "2024-02-30"}, which="existing")
def test_an_agreement_is_saved_cleaned_or_refused(
    db, counselor, couple_id, their_couple, raw, which
):
    existing = [a["id"] for a in agreements.for_couple(db, counselor, couple_id)]
    target = (existing[0] if existing else None) if which == "existing" else which
    before = snapshot(db, AGREEMENT_TABLES)
    with calm_or_stored() as refused:
        saved = agreements.save(db, counselor, couple_id, raw, agreement_id=target, now=NOW)
    if refused_cleanly(db, AGREEMENT_TABLES, before, refused):
        return
    intact(before, snapshot(db, AGREEMENT_TABLES))  # a new version never rewrites an old one
    current = agreements.get(db, counselor, couple_id, saved.agreement_id)
    assert_text(current["title"], raw["title"], agreements.TITLE_MAX_CHARS, required=True)
    assert_text(current["body"], raw["body"], agreements.BODY_MAX_CHARS, multiline=True)
    assert current["kind"] in agreements.KINDS and current["status"] in agreements.STATUSES
    assert in_window(current["review_on"]) and in_window(current["confirmed_on"])
    assert current["confirmed_on"] is None or current["confirmed_on"] <= NOW.date()


# -- decisions ----------------------------------------------------------------------------------
DECISION_TABLES = (
    "decisions",
    "decision_options",
    "decision_factors",
    "decision_weights",
    "decision_scores",
)


@pytest.fixture
def decision(db, counselor, couple_id, their_couple):
    """A decision of counselor A's couple with two options and two factors."""
    did = decisions.create(db, counselor, couple_id, "Offer in Seattle", "job_offer")
    for label in ("Stay", "Move"):
        decisions.add_option(db, counselor, couple_id, did, label)
    for label in ("Salary", "Family nearby"):
        decisions.add_factor(db, counselor, couple_id, did, label)
    return did


@settings(CAMPAIGN, max_examples=30)
@given(title=text, kind=choice(decisions.KINDS))
def test_a_decision_is_started_cleaned_or_refused(
    db, counselor, couple_id, their_couple, title, kind
):
    before = snapshot(db, DECISION_TABLES)
    with calm_or_stored() as refused:
        did = decisions.create(db, counselor, couple_id, title, kind)
    if refused_cleanly(db, DECISION_TABLES, before, refused):
        return
    intact(before, snapshot(db, DECISION_TABLES))
    d = decisions.get(db, counselor, couple_id, did)
    assert_text(d["title"], title, decisions.TITLE_MAX_CHARS, required=True)
    assert d["kind"] == kind


decision_raw = st.fixed_dictionaries(
    {},
    optional={
        "title": text,
        "facts": long_text,
        "urgency_note": long_text,
        "outcome": long_text,
        "kind": choice(decisions.KINDS),
        "status": choice(decisions.STATUSES),
        "urgency": choice(decisions.URGENCY),
        "deadline_on": blank_or_when,
        "decided_on": blank_or_when,
        "follow_up_on": blank_or_when,
        "chosen_option_id": mostly(st.sampled_from(["", None, "first"]), nasty_id),
    },
)


@settings(CAMPAIGN, max_examples=40)
@given(raw=decision_raw)
@example(raw={"facts": TEN_MB, "urgency": "real"})
def test_a_decision_record_is_updated_cleaned_or_refused(db, counselor, couple_id, decision, raw):
    first = decisions.options(db, counselor, couple_id, decision)[0]["id"]
    if raw.get("chosen_option_id") == "first":
        raw = {**raw, "chosen_option_id": first}
    before = snapshot(db, DECISION_TABLES)
    with calm_or_stored() as refused:
        decisions.update(db, counselor, couple_id, decision, raw)
    if refused_cleanly(db, DECISION_TABLES, before, refused):
        return
    after = snapshot(db, DECISION_TABLES)
    intact(before, after, lambda table, row: table == "decisions" and row["id"] == decision)
    d = decisions.get(db, counselor, couple_id, decision)
    assert visible(d["title"])
    for name in ("facts", "urgency_note", "outcome"):
        if name in raw:
            assert_text(d[name], raw[name], decisions.LONG_MAX_CHARS, multiline=True)
    assert d["kind"] in decisions.KINDS and d["status"] in decisions.STATUSES
    assert d["urgency"] in decisions.URGENCY
    assert all(in_window(d[n]) for n in ("deadline_on", "decided_on", "follow_up_on"))
    options = {o["id"] for o in decisions.options(db, counselor, couple_id, decision)}
    assert d["chosen_option_id"] is None or d["chosen_option_id"] in options


@settings(CAMPAIGN, max_examples=40)
@given(label=text, factor=st.booleans())
@example(label="salary", factor=True)  # the same factor twice, in another case
def test_options_and_factors_are_added_cleaned_or_refused(
    db, counselor, couple_id, decision, label, factor
):
    before = snapshot(db, DECISION_TABLES)
    add = decisions.add_factor if factor else decisions.add_option
    with calm_or_stored() as refused:
        new_id = add(db, counselor, couple_id, decision, label)
    if refused_cleanly(db, DECISION_TABLES, before, refused):
        return
    intact(before, snapshot(db, DECISION_TABLES))
    m = decisions.matrix(db, counselor, couple_id, decision)
    (row,) = [r for r in (m.factors if factor else m.options) if r["id"] == new_id]
    assert_text(row["label"], label, decisions.LABEL_MAX_CHARS, required=True)
    assert len(m.options) <= decisions.MAX_OPTIONS and len(m.factors) <= decisions.MAX_FACTORS
    assert len({f["label"].casefold() for f in m.factors}) == len(m.factors)


option_raw = st.fixed_dictionaries(
    {},
    optional={
        **{name: long_text for name in decisions.OPTION_TEXT},
        **{name: mostly(money, nasty_number) for name in decisions.OPTION_MONEY},
        "cost_of_living": mostly(st.floats(-90, 300), nasty_number),
        "veto_1": nasty_value,
        "veto_2": st.booleans(),
    },
)


@settings(CAMPAIGN, max_examples=50)
@given(raw=option_raw, which=mostly(st.just("first"), nasty_id))
@example(raw={"week": TEN_MB, "income_1": "1e309", "cost_of_living": 150.5}, which="first")
@example(raw={"income_1": -1, "costs": math.nan, "one_off": "12,500"}, which="first")
def test_an_option_is_described_cleaned_or_refused(db, counselor, couple_id, decision, raw, which):
    options = decisions.options(db, counselor, couple_id, decision)
    target = options[0]["id"] if which == "first" else which
    before = snapshot(db, DECISION_TABLES)
    with calm_or_stored() as refused:
        decisions.update_option(db, counselor, couple_id, decision, target, raw)
    if refused_cleanly(db, DECISION_TABLES, before, refused):
        return
    after = snapshot(db, DECISION_TABLES)
    oid = record_id(target, "option")
    intact(before, after, lambda table, row: table == "decision_options" and row["id"] == oid)
    (o,) = [o for o in decisions.options(db, counselor, couple_id, decision) if o["id"] == oid]
    assert visible(o["label"])
    for name in decisions.OPTION_TEXT[1:]:
        if name in raw:
            assert_text(o[name], raw[name], decisions.LONG_MAX_CHARS, multiline=True)
    for name in decisions.OPTION_MONEY:
        assert o[name] is None or (math.isfinite(o[name]) and 0 <= o[name] <= decisions.MONEY_MAX)
    lo, hi = decisions.COST_OF_LIVING_RANGE
    assert o["cost_of_living"] is None or lo <= o["cost_of_living"] <= hi
    assert decisions.money(o) is None or math.isfinite(decisions.money(o).first_year)


grade = mostly(st.one_of(st.integers(1, 10), st.sampled_from(["", None, "7", 4.0])), nasty_number)
grid_key = mostly(st.just("factor"), nasty_id.filter(hashable))


@settings(CAMPAIGN, max_examples=50)
@given(
    weights=st.dictionaries(grid_key, grade, max_size=3),
    scores=st.dictionaries(
        st.tuples(grid_key, mostly(st.just("option"), nasty_id.filter(hashable))), grade, max_size=3
    )
    | st.dictionaries(nasty_value.filter(hashable), grade, max_size=2),
    partner=mostly(st.just("partner"), nasty_id),
)
@example(weights={"factor": math.nan}, scores={("factor", "option"): math.inf}, partner="partner")
@example(weights={"factor": "10.0"}, scores={("factor", "option"): 7.5}, partner="partner")
def test_a_partners_grid_given_in_session_is_stored_or_refused(
    db, counselor, couple_id, decision, weights, scores, partner
):
    m = decisions.matrix(db, counselor, couple_id, decision)
    real = {
        "factor": m.factors[0]["id"],
        "option": m.options[0]["id"],
        "partner": m.partners[0]["id"],
    }

    def real_id(k):
        return named(k, real)

    weights = {real_id(k): v for k, v in weights.items()}
    scores = {
        (tuple(real_id(p) for p in k) if isinstance(k, tuple) else k): v for k, v in scores.items()
    }
    before = snapshot(db, DECISION_TABLES)
    with calm_or_stored() as refused:
        decisions.save_partner_grid(
            db, counselor, couple_id, decision, real_id(partner), weights, scores, now=NOW
        )
    if refused_cleanly(db, DECISION_TABLES, before, refused):
        return
    m = decisions.matrix(db, counselor, couple_id, decision)
    for value in (*m.weights.values(), *m.scores.values()):
        assert type(value) is int and decisions.SCALE_MIN <= value <= decisions.SCALE_MAX
    for result in decisions.results(m):
        assert result.together is None or 1 <= result.together <= 10


# -- seasons and the ledger -------------------------------------------------------------------------
SEASON_TABLES = ("seasons",)
season_raw = st.fixed_dictionaries(
    {"starts_on": when},
    optional={
        "lead": mostly(st.sampled_from(["balanced", "p1", "p2", "", None]), nasty_id),
        "title": text,
        "terms": long_text,
        "ends_on": blank_or_when,
        "review_on": blank_or_when,
    },
)


@settings(CAMPAIGN, max_examples=50)
@given(raw=season_raw, update=st.booleans())
@example(raw={"starts_on": "2024-02-30", "ends_on": "2023-01-01"}, update=False)
@example(raw={"starts_on": "2030-01-01", "ends_on": "2020-01-01", "terms": TEN_MB}, update=True)
def test_a_season_is_saved_cleaned_or_refused(db, counselor, couple_id, their_couple, raw, update):
    couple = couples.get(db, counselor, couple_id)
    ids = {"p1": couple["partners"][0]["id"], "p2": couple["partners"][1]["id"]}
    raw = {**raw, "lead": named(raw["lead"], ids)} if "lead" in raw else raw
    existing = seasons.for_couple(db, counselor, couple_id)
    before = snapshot(db, SEASON_TABLES)
    with calm_or_stored() as refused:
        if update and existing:
            seasons.update(db, counselor, couple_id, existing[0]["id"], raw)
        else:
            seasons.create(db, counselor, couple_id, raw)
    if refused_cleanly(db, SEASON_TABLES, before, refused):
        return
    edited = existing[0]["id"] if update and existing else None
    intact(before, snapshot(db, SEASON_TABLES), lambda table, row: row["id"] == edited)
    rows = seasons.for_couple(db, counselor, couple_id)
    for s in rows:
        assert in_window(s["starts_on"]) and s["starts_on"] is not None
        assert s["ends_on"] is None or s["ends_on"] >= s["starts_on"]
        assert s["lead_partner_id"] in (None, *ids.values())
    for a, b in zip(rows, rows[1:], strict=False):  # seasons never overlap
        assert a["ends_on"] is not None and a["ends_on"] < b["starts_on"]


LEDGER_TABLES = ("ledger_events",)
ledger_raw = st.fixed_dictionaries(
    {
        "occurred_on": when,
        "kind": choice(ledger.KINDS),
        "giver": mostly(st.sampled_from(["p1", "p2"]), nasty_id),
        "size": mostly(st.sampled_from([1, 2, 3, "2", 3.0]), nasty_number),
    },
    optional={
        "note": long_text,
        "acknowledged": nasty_value,
        "repaid_by": mostly(st.sampled_from(["first", None, ""]), nasty_id),
    },
)


@settings(CAMPAIGN, max_examples=50)
@given(raw=ledger_raw, update=st.booleans())
@example(
    raw={"occurred_on": "2024-01-01", "kind": "other", "giver": "p1", "size": 2.7}, update=False
)
@example(
    raw={"occurred_on": "2024-01-01", "kind": "other", "giver": "p1", "size": math.inf},
    update=False,
)
def test_a_ledger_event_is_saved_cleaned_or_refused(
    db, counselor, couple_id, their_couple, raw, update
):
    couple = couples.get(db, counselor, couple_id)
    ids = {"p1": couple["partners"][0]["id"], "p2": couple["partners"][1]["id"]}
    existing = ledger.for_couple(db, counselor, couple_id)
    first = existing[0]["id"] if existing else 999
    raw = {**raw, "giver": named(raw["giver"], ids)}
    if raw.get("repaid_by") == "first":
        raw["repaid_by"] = first
    before = snapshot(db, LEDGER_TABLES)
    with calm_or_stored() as refused:
        if update and existing:
            ledger.update(db, counselor, couple_id, first, raw)
        else:
            ledger.create(db, counselor, couple_id, raw)
    if refused_cleanly(db, LEDGER_TABLES, before, refused):
        return
    edited = first if update and existing else None
    intact(before, snapshot(db, LEDGER_TABLES), lambda table, row: row["id"] == edited)
    by_id = {e["id"]: e for e in ledger.for_couple(db, counselor, couple_id)}
    for e in by_id.values():
        assert e["size"] in ledger.SIZES and e["kind"] in ledger.KINDS
        assert e["giver_partner_id"] in ids.values() and in_window(e["occurred_on"])
        assert_clean_text(e["note"], ledger.NOTE_MAX_CHARS)
        if e["repaid_by_id"] is not None:  # a repayment is a later event by the other partner
            other = by_id[e["repaid_by_id"]]
            assert other["giver_partner_id"] != e["giver_partner_id"]
    if isinstance(raw["size"], float):
        assert raw["size"] in (1.0, 2.0, 3.0)  # 2.7 is refused, never stored as 2


# -- the roadmap and sessions ----------------------------------------------------------------------
ROADMAP_TABLES = ("roadmap_events",)
roadmap_raw = st.fixed_dictionaries(
    {"title": text, "starts_on": when},
    optional={
        "note": long_text,
        "ends_on": blank_or_when,
        "category": choice(roadmap.CATEGORIES),
        "partner_id": mostly(st.sampled_from(["p1", "Together", ""]), nasty_id),
    },
)


@settings(CAMPAIGN, max_examples=40)
@given(raw=roadmap_raw, update=st.booleans())
@example(raw={"title": "Residency", "starts_on": "2024-02-30"}, update=False)
@example(raw={"title": "PhD", "starts_on": "2030-01-01", "ends_on": "2020-01-01"}, update=True)
def test_a_roadmap_event_is_saved_cleaned_or_refused(
    db, counselor, couple_id, their_couple, raw, update
):
    couple = couples.get(db, counselor, couple_id)
    if raw.get("partner_id") == "p1":
        raw = {**raw, "partner_id": couple["partners"][0]["id"]}
    existing = roadmap.events(db, counselor, couple_id)
    before = snapshot(db, ROADMAP_TABLES)
    with calm_or_stored() as refused:
        if update and existing:
            roadmap.update(db, counselor, couple_id, existing[0]["id"], raw)
        else:
            roadmap.add(db, counselor, couple_id, raw)
    if refused_cleanly(db, ROADMAP_TABLES, before, refused):
        return
    edited = existing[0]["id"] if update and existing else None
    intact(before, snapshot(db, ROADMAP_TABLES), lambda table, row: row["id"] == edited)
    for e in roadmap.events(db, counselor, couple_id):
        assert visible(e["title"]) and e["category"] in roadmap.CATEGORIES
        assert in_window(e["starts_on"]) and (
            e["ends_on"] is None or e["ends_on"] >= e["starts_on"]
        )
        assert e["partner_id"] in (None, *(p["id"] for p in couple["partners"]))
    roadmap.timeline(db, counselor, couple_id, today=NOW.date())  # the chart still builds


SESSION_TABLES = ("couple_sessions", "session_agreements", "session_decisions", "session_homework")
session_raw = st.fixed_dictionaries(
    {"held_on": when},
    optional={"focus": text, "takeaways": long_text, "notes": long_text},
)


@settings(CAMPAIGN, max_examples=40)
@given(raw=session_raw, update=st.booleans())
@example(raw={"held_on": "2026-11-20", "notes": TEN_MB}, update=False)
@example(raw={"held_on": "0000-01-01", "focus": "\x00"}, update=True)
def test_a_session_is_recorded_cleaned_or_refused(
    db, counselor, couple_id, their_couple, raw, update
):
    existing = sessions.for_couple(db, counselor, couple_id)
    before = snapshot(db, SESSION_TABLES)
    with calm_or_stored() as refused:
        if update and existing:
            sid = existing[0]["id"]
            sessions.update(db, counselor, couple_id, sid, raw)
        else:
            sid = sessions.create(db, counselor, couple_id, raw)
    if refused_cleanly(db, SESSION_TABLES, before, refused):
        return
    edited = sid if update and existing else None
    intact(before, snapshot(db, SESSION_TABLES), lambda table, row: row["id"] == edited)
    s = sessions.get(db, counselor, couple_id, sid)
    assert in_window(s["held_on"]) and s["held_on"] is not None
    for name, limit in (
        ("focus", sessions.FOCUS_MAX_CHARS),
        ("takeaways", sessions.TAKEAWAYS_MAX_CHARS),
        ("notes", NOTES_MAX_CHARS),
    ):
        if name in raw:
            assert_text(s[name], raw[name], limit, multiline=name != "focus")


@settings(CAMPAIGN, max_examples=20)
@given(
    agreement_ids=st.lists(mostly(st.just("mine"), nasty_id), max_size=3),
    decision_ids=st.lists(mostly(st.sampled_from(["mine", "theirs"]), nasty_id), max_size=3),
)
def test_what_a_session_discussed_is_only_the_couples_own_records(
    db, counselor, couple_id, their_couple, other_counselor, agreement_ids, decision_ids
):
    sid = sessions.for_couple(db, counselor, couple_id)
    sid = sid[0]["id"] if sid else sessions.create(db, counselor, couple_id, {"held_on": NOW})
    if not agreements.for_couple(db, counselor, couple_id):
        agreements.save(db, counselor, couple_id, {"title": "Mine", "body": "B"}, now=NOW)
        decisions.create(db, counselor, couple_id, "Mine")
    mine_a = agreements.for_couple(db, counselor, couple_id)[0]["id"]
    mine_d = decisions.for_couple(db, counselor, couple_id)[0]["id"]
    theirs_d = decisions.for_couple(db, other_counselor, their_couple)[0]["id"]
    a_ids = [named(v, {"mine": mine_a}) for v in agreement_ids]
    d_ids = [named(v, {"mine": mine_d, "theirs": theirs_d}) for v in decision_ids]
    before = snapshot(db, SESSION_TABLES)
    with calm_or_stored() as refused:
        sessions.set_discussed(db, counselor, couple_id, sid, a_ids, d_ids)
    if refused_cleanly(db, SESSION_TABLES, before, refused):
        assert isinstance(refused[0], NotFound)
        return
    s = sessions.get(db, counselor, couple_id, sid)
    assert set(s["agreement_ids"]) <= {mine_a} and set(s["decision_ids"]) <= {mine_d}


@settings(CAMPAIGN, max_examples=15)
@given(
    exercise=mostly(st.sampled_from(["exercise_day_in_life", "csi4", "../intake"]), one_in=3),
    days=mostly(st.sampled_from([14, "30", 90]), nasty_number),
)
def test_homework_is_one_of_the_listed_exercises(db, counselor, couple_id, exercise, days):
    sid = sessions.for_couple(db, counselor, couple_id)
    sid = sid[0]["id"] if sid else sessions.create(db, counselor, couple_id, {"held_on": NOW})
    tables = (*SESSION_TABLES, "links", "session_links")
    before = snapshot(db, tables)
    with calm_or_stored() as refused:
        issued = sessions.assign_homework(db, counselor, couple_id, sid, exercise, days)
    if refused_cleanly(db, tables, before, refused):
        assert isinstance(refused[0], ValidationError)
        return
    assert exercise in {e.id for e in sessions.exercises()} and len(issued) == 2
    with calm_or_stored() as refused:
        sessions.remove_homework(db, counselor, couple_id, sid, exercise)
    assert not refused


# -- check-ins ----------------------------------------------------------------------------------
@settings(CAMPAIGN, max_examples=30)
@given(
    cadence=choice(schedule.CADENCES),
    anchor=when,
    timezone=mostly(st.sampled_from(["UTC", "Pacific/Kiritimati", "America/St_Johns"])),
)
@example(cadence="monthly", anchor="2150-12-31", timezone="Pacific/Kiritimati")
@example(cadence="weekly", anchor="2024-02-30", timezone="UTC")
def test_a_check_in_schedule_is_set_or_refused(db, counselor, couple_id, cadence, anchor, timezone):
    before = snapshot(db, ("checkin_schedules",))
    with calm_or_stored() as refused:
        checkins.set_schedule(db, counselor, couple_id, cadence, anchor, timezone, now=NOW)
    if refused_cleanly(db, ("checkin_schedules",), before, refused):
        return
    plan, period, people = checkins.overview(db, counselor, couple_id, now=NOW)
    assert plan.cadence in schedule.CADENCES and in_window(plan.anchor)
    assert len(people) == 2  # each partner's status still computes


@settings(CAMPAIGN, max_examples=15)
@given(
    days=mostly(st.sampled_from([1, 365, 730, 731, 0, -1, "90"]), nasty_number),
    partner=mostly(st.just("p1"), nasty_id),
)
def test_a_personal_link_lasts_a_sane_number_of_days(db, counselor, couple_id, days, partner):
    partners = couples.get(db, counselor, couple_id)["partners"]
    partner = partners[0]["id"] if partner == "p1" else partner
    tables = ("standing_links",)
    before = snapshot(db, tables)
    with calm_or_stored() as refused:
        issued = checkins.issue_standing(db, counselor, couple_id, partner, days, now=NOW)
    if refused_cleanly(db, tables, before, refused):
        return
    assert as_text(partner) in {str(p["id"]) for p in partners}
    assert 1 <= (issued.expires_at - NOW).days <= checkins.STANDING_MAX_DAYS
