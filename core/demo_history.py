"""Years of fictional check-ins, seasons and ledger events for the demo couples.

Each couple has a story the charts should tell on first run: Rachel yielded for years while
Marcus made partner, then it was Rachel's turn; Katie's resentment is rising; Zoë's
satisfaction fell after the move; Fang answered the safety question; Amara and Jonah stopped
checking in; Noor's start-up season has run past its review. Check-ins are generated as
DataFrames and bulk-loaded in one statement (sql/checkins/insert_many.sql); the newest
check-in of each partner also gets its full answers through a real link, so the
Questionnaires page can show it. Deterministic (fixed seeds), dated relative to `now`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from core import checkin_rows, instruments, links, schedule
from core.accounts import Actor
from core.db import Database

CSI_ITEMS = ("csi4_happiness", "csi4_warm", "csi4_rewarding", "csi4_satisfied")
# Keyframes: measure -> [(fraction of the history, level)], per partner position (1, 2).
Curve = dict[str, list[tuple[float, float]]]
DEFAULTS: dict[str, float] = {
    "csi_total": 16,
    "fairness_me": 7,
    "fairness_partner": 7,
    "heard": 7,
    "resentment": 2,
    "stress": 4,
    "load_share": 50,
    "work_hours": 45,
    "success": 3.8,
}
NOISE = {
    "csi_total": 0.8,
    "fairness_me": 0.7,
    "fairness_partner": 0.7,
    "heard": 0.7,
    "resentment": 0.6,
    "stress": 0.9,
    "load_share": 4.0,
    "work_hours": 3.0,
    "success": 0.25,
}
BOUNDS = {
    "csi_total": (0, 21),
    "fairness_me": (0, 10),
    "fairness_partner": (0, 10),
    "heard": (0, 10),
    "resentment": (0, 10),
    "stress": (0, 10),
    "load_share": (0, 100),
    "work_hours": (0, 100),
    "success": (1, 5),
}


@dataclass
class Story:
    """One demo couple's history, in years before now (fractions allowed)."""

    label: str
    years: float
    cadence: str
    timezone: str
    curves: dict[int, Curve] = field(default_factory=dict)
    # (lead position or None, starts years ago, ends years ago or None, title, terms, review in days)
    seasons: list[tuple] = field(default_factory=list)
    # (years ago, giver position, kind, size 1-3, acknowledged, note, repaid by index or None)
    events: list[tuple] = field(default_factory=list)
    stop_weeks_ago: float = 0  # the last check-ins were this long ago (an overdue couple)
    skip: float = 0.1  # chance a partner skips a period
    alone_by: int | None = None  # position who has lately made big decisions alone
    safety: int | None = None  # position whose latest check-in answers the safety item
    single: bool = False  # only one check-in each
    noise: float = 1.0  # scales NOISE: a story whose point is a trend needs a clear one


STORIES = [
    Story(
        "Rachel & Marcus",
        6.0,
        "weekly",
        "America/Los_Angeles",  # in Seattle since Rachel's turn began (the ledger's move)
        curves={
            1: {
                "csi_total": [(0, 16), (0.35, 13), (0.7, 12), (0.8, 15), (1, 17)],
                "fairness_me": [(0, 6), (0.4, 3.5), (0.75, 3), (0.85, 6), (1, 7)],
                "fairness_partner": [(0, 7), (1, 7)],
                "heard": [(0, 6), (0.6, 4), (0.85, 7), (1, 7)],
                "resentment": [(0, 3), (0.65, 6.5), (0.8, 5), (1, 3)],
                "stress": [(0, 5), (0.7, 7), (1, 5)],
                "load_share": [(0, 65), (0.7, 72), (0.82, 55), (1, 48)],
                "work_hours": [(0, 40), (0.5, 32), (0.8, 50), (1, 50)],
            },
            2: {
                "csi_total": [(0, 17), (1, 17)],
                "fairness_me": [(0, 8), (0.8, 8.5), (1, 6.5)],
                "fairness_partner": [(0, 7.5), (0.75, 7), (1, 6)],
                "heard": [(0, 7), (1, 7)],
                "resentment": [(0, 1), (0.85, 1.5), (1, 3)],
                "load_share": [(0, 40), (0.7, 35), (0.85, 45), (1, 52)],
                "work_hours": [(0, 62), (1, 58)],
            },
        },
        seasons=[
            (
                2,
                6.0,
                1.15,
                "Marcus goes for partner",
                "Rachel steadies: reduced hours, most of the home. Review once Marcus makes partner.",
                None,
            ),
            (
                1,
                1.15,
                None,
                "Rachel's turn: Seattle",
                "Move for Rachel's product lead role; Marcus transfers to the Seattle office.",
                60,
            ),
        ],
        events=[
            (5.2, 1, "declined_offer", 3, False, "Turned down a director role in New York", 4),
            (4.1, 1, "reduced_hours", 2, True, "Went to four days a week", None),
            (3.0, 1, "extra_caregiving", 2, False, "Her father's surgery and recovery", None),
            (1.9, 1, "home_load", 1, False, "Took on every school run for the partner push", None),
            (1.1, 2, "relocated", 3, True, "Moved to Seattle for Rachel's role", None),
            (0.7, 2, "home_load", 2, True, "Took over evenings and the mental load", None),
        ],
    ),
    Story(
        "Anna & Miguel",
        3.5,
        "fortnightly",
        "America/New_York",
        curves={
            1: {
                "csi_total": [(0, 17), (1, 17)],
                "load_share": [(0, 45), (1, 45)],
                "work_hours": [(0, 55), (1, 55)],
                "fairness_me": [(0, 7.5), (1, 7.5)],
            },
            2: {
                "csi_total": [(0, 16), (1, 18)],
                "load_share": [(0, 55), (1, 55)],
                "work_hours": [(0, 45), (1, 40)],
                "heard": [(0, 7), (1, 8.5)],
            },
        },
        seasons=[
            (
                2,
                3.5,
                None,
                "Miguel moves into education reform",
                "Anna's consulting carries the household for five years; her venture turn is next.",
                -30,
            ),
        ],
        events=[
            (3.4, 1, "supported_step", 2, True, "Covered the income gap for Miguel's move", None)
        ],
    ),
    Story(
        "Jennifer & Katie",
        2.0,
        "weekly",
        "America/Chicago",
        curves={
            1: {
                "csi_total": [(0, 18), (1, 17)],
                "load_share": [(0, 45), (0.8, 45), (1, 40)],
                "fairness_partner": [(0, 8), (1, 8)],
            },
            2: {
                "csi_total": [(0, 18), (0.75, 17), (1, 14)],
                "resentment": [(0, 2), (0.93, 2), (1, 9.5)],
                "fairness_me": [(0, 8), (0.8, 7.5), (1, 4)],
                "stress": [(0, 4), (0.8, 4.5), (1, 7)],
                "load_share": [(0, 50), (0.8, 52), (1, 64)],
                "heard": [(0, 8), (0.8, 7), (1, 4.5)],
            },
        },
        noise=0.5,
        seasons=[
            (
                None,
                2.0,
                None,
                "Both remote, shared core hours",
                "Protect 10-3 as shared core hours; trade on-call weeks evenly.",
                120,
            )
        ],
    ),
    Story(
        "David & Priya",
        2.5,
        "fortnightly",
        "Europe/London",
        curves={
            1: {
                "fairness_me": [(0, 8), (1, 8.5)],
                "fairness_partner": [(0, 7.5), (1, 8)],
                "load_share": [(0, 45), (1, 48)],
                "work_hours": [(0, 58), (1, 60)],
            },
            2: {
                "csi_total": [(0, 15), (1, 14)],
                "fairness_me": [(0, 6), (0.7, 5), (1, 3)],
                "fairness_partner": [(0, 7), (1, 6)],
                "heard": [(0, 6), (1, 4)],
                "load_share": [(0, 65), (1, 72)],
            },
        },
        seasons=[
            (
                1,
                2.5,
                None,
                "David's consultant training",
                "David's rota comes first until his consultant post; Priya's study after.",
                200,
            )
        ],
        events=[(1.5, 2, "paused_study", 2, False, "Put her master's on hold", None)],
        alone_by=1,
    ),
    Story(
        "Zoë & Łukasz",
        1.6,
        "weekly",
        "Europe/Lisbon",
        curves={
            1: {
                "csi_total": [(0, 17), (0.5, 16), (0.72, 15), (1, 8)],
                "fairness_me": [(0, 7), (0.5, 6.5), (1, 3)],
                "heard": [(0, 7), (0.5, 6), (1, 4)],
                "resentment": [(0, 2), (0.5, 3), (1, 5)],
                "stress": [(0, 5), (0.5, 7), (1, 8)],
                "load_share": [(0, 55), (0.5, 62), (1, 75)],
                "work_hours": [(0, 45), (0.5, 12), (1, 10)],
            },
            2: {
                "csi_total": [(0, 17), (1, 16)],
                "fairness_partner": [(0, 7), (1, 7)],
                "load_share": [(0, 45), (1, 35)],
                "work_hours": [(0, 48), (1, 52)],
            },
        },
        seasons=[
            (
                2,
                0.67,
                None,
                "Łukasz's Lisbon transfer",
                "Two years in Lisbon; Zoë's registration is the priority in year two.",
                90,
            )
        ],
        events=[
            (0.68, 1, "relocated", 3, False, "Left Paris and her practice for Lisbon", None),
            (0.6, 1, "paused_study", 2, False, "Paused the registration course", None),
        ],
    ),
    Story(
        "王芳 & Tomás",
        2.0,
        "monthly",
        "Asia/Singapore",
        curves={
            1: {
                "csi_total": [(0, 15), (1, 13)],
                "stress": [(0, 6), (1, 7.5)],
                "work_hours": [(0, 58), (1, 60)],
                "load_share": [(0, 40), (1, 40)],
            },
            2: {"csi_total": [(0, 16), (1, 15)], "load_share": [(0, 60), (1, 62)]},
        },
        seasons=[
            (
                1,
                2.0,
                None,
                "Fang's visa-tied role",
                "Stay with Fang's employer until permanent residence.",
                150,
            )
        ],
        safety=1,
    ),
    Story(
        "Amara & Jonah",
        1.0,
        "weekly",
        "Europe/Amsterdam",
        curves={1: {"stress": [(0, 5), (1, 7)]}, 2: {"stress": [(0, 5), (1, 6)]}},
        seasons=[
            (
                None,
                1.0,
                None,
                "Two job markets, one city",
                "Both apply widely; decide together before any offer is answered.",
                45,
            )
        ],
        stop_weeks_ago=5,
    ),
    Story(
        "Noor & Sven",
        3.0,
        "fortnightly",
        "America/Toronto",
        curves={
            1: {
                "csi_total": [(0, 16), (1, 15)],
                "work_hours": [(0, 60), (1, 65)],
                "load_share": [(0, 35), (1, 25)],
            },
            2: {
                "csi_total": [(0, 16), (1, 14)],
                "load_share": [(0, 65), (1, 75)],
                "fairness_me": [(0, 7), (1, 5)],
                "resentment": [(0, 2), (1, 4)],
            },
        },
        seasons=[
            (
                1,
                2.6,
                None,
                "Noor's start-up years",
                "Two years for the company to reach funding; Sven holds steady income.",
                -90,
            )
        ],
        events=[
            (2.6, 2, "supported_step", 3, True, "Became the household's only salary", None),
            (1.2, 2, "declined_offer", 2, False, "Said no to a site-lead role abroad", None),
        ],
    ),
    Story(
        "Kenji & Laila",
        2.0,
        "fortnightly",
        "Australia/Melbourne",
        curves={
            1: {"work_hours": [(0, 68), (1, 70)]},
            2: {"load_share": [(0, 55), (1, 65)], "stress": [(0, 5), (1, 6.5)]},
        },
        events=[(0.5, 2, "extra_caregiving", 2, True, "Her parents' care this year", None)],
    ),
    Story("Seun & Grace", 0.05, "weekly", "Europe/London", single=True),
    Story(
        "Elif & Mateo",
        3.0,
        "monthly",
        "Europe/Berlin",
        curves={1: {"csi_total": [(0, 18), (1, 19)]}, 2: {"csi_total": [(0, 18), (1, 18)]}},
        seasons=[
            (
                2,
                2.0,
                1.0,
                "Elif part-time",
                "Elif at 60% while the baby is under two; Mateo full-time.",
                None,
            ),
            (
                1,
                1.0,
                None,
                "Mateo part-time",
                "Swap: Mateo at 60%, Elif back full-time. Review at age three.",
                180,
            ),
        ],
        events=[
            (2.0, 1, "reduced_hours", 2, True, "Went to 60%", 1),
            (1.0, 2, "reduced_hours", 2, True, "Went to 60% in turn", None),
        ],
    ),
    Story(
        "Inès & Farid",
        2.5,
        "monthly",
        "Africa/Nairobi",
        curves={2: {"load_share": [(0, 60), (1, 65)]}},
        seasons=[(1, 2.5, None, "Nairobi posting", "Three-year posting; Farid freelances.", None)],
        events=[(2.4, 2, "relocated", 3, True, "Followed the posting to Nairobi", None)],
        stop_weeks_ago=52,
    ),
    Story(
        "Hana & Yusuf",
        1.0,
        "fortnightly",
        "Asia/Tokyo",
        curves={2: {"work_hours": [(0, 50), (1, 50)]}},
    ),
    Story(
        "Camille & Rosa",
        2.0,
        "fortnightly",
        "America/Toronto",
        curves={
            1: {"load_share": [(0, 65), (1, 72)], "fairness_me": [(0, 6), (1, 5)]},
            2: {"work_hours": [(0, 72), (1, 75)], "load_share": [(0, 35), (1, 30)]},
        },
        seasons=[
            (2, 2.0, None, "Rosa's residency", "Rosa's training comes first until it ends.", 300)
        ],
        events=[(1.8, 1, "declined_offer", 3, True, "Turned down the curator post in Paris", None)],
    ),
]


def _level(curve: list[tuple[float, float]] | None, default: float, frac: np.ndarray) -> np.ndarray:
    if not curve:
        return np.full(frac.shape, default, dtype=float)
    xs, ys = zip(*curve, strict=True)
    return np.interp(frac, xs, ys)


def _dates(story: Story, plan: schedule.Schedule, now: datetime, rng) -> list[tuple]:
    """(submission instant in naive UTC, its period's local start) for one partner: one per
    period, some skipped."""
    start = now - timedelta(days=story.years * 365.25)
    stop = now - timedelta(weeks=story.stop_weeks_ago)
    first = schedule.period_at(plan, start) or schedule.period(plan, 0)
    periods = []
    index = first.index
    while (p := schedule.period(plan, index)).start_utc <= stop:
        periods.append(p)
        index += 1
    latest = min(stop, now - timedelta(hours=1))
    out = []
    for n, p in enumerate(periods):
        recent = n >= len(periods) - 2  # the last two periods are never skipped: no stray alerts
        if story.single and not recent:
            continue
        if not story.single and not recent and rng.random() < story.skip:
            continue
        span_days = max((p.end_utc - p.start_utc).days, 1)
        when = p.start_utc + timedelta(
            days=int(rng.integers(0, min(4, span_days))), hours=int(rng.integers(7, 22))
        )
        if p.start_utc <= latest < when:  # this period has only just begun: answered already
            when = max(p.start_utc, latest - timedelta(hours=2))
        if start <= when <= latest:
            out.append((when, p.start_local))
    return out


def _round(values: np.ndarray, measure: str) -> np.ndarray:
    lo, hi = BOUNDS[measure]
    return np.clip(values, lo, hi)


def checkin_frame(story: Story, couple_id: int, partner_ids: list[int], now: datetime, seed: int):
    """The story's check-ins as a DataFrame in the typed columns of `checkins`."""
    rng = np.random.default_rng(seed)
    plan = _plan(story, now)
    frames = []
    for position, partner_id in enumerate(partner_ids, start=1):
        dated = _dates(story, plan, now, rng)
        if not dated:
            continue
        when = [w for w, _ in dated]
        n = len(when)
        times = pd.to_datetime(when)
        span = max(story.years * 365.25, 1.0)
        frac = np.clip(1 - (pd.Timestamp(now) - times).days.to_numpy() / span, 0, 1)
        curves = story.curves.get(position, {})
        value = {
            m: _round(
                _level(curves.get(m), DEFAULTS[m], frac) + rng.normal(0, NOISE[m] * story.noise, n),
                m,
            )
            for m in DEFAULTS
        }
        household = np.clip(np.round((value["load_share"] + rng.normal(0, 3, n)) / 5) * 5, 0, 100)
        mental = np.clip(np.round((value["load_share"] + rng.normal(0, 5, n)) / 5) * 5, 0, 100)
        leads = [_lead(story, position, t, now, rng) for t in when]
        recent = frac > 1 - 90 / span
        decision = _decisions(story, position, recent, rng)
        safety = np.zeros(n, dtype=int)
        if story.safety == position:
            safety[-1] = 2
        frames.append(
            pd.DataFrame(
                {
                    "couple_id": couple_id,
                    "partner_id": partner_id,
                    "submitted_at": times,
                    "period_on": [p for _, p in dated],
                    "csi_total": np.round(value["csi_total"]).astype(int),
                    "fairness_me": np.round(value["fairness_me"]).astype(int),
                    "fairness_partner": np.round(value["fairness_partner"]).astype(int),
                    "heard": np.round(value["heard"]).astype(int),
                    "resentment": np.round(value["resentment"]).astype(int),
                    "stress": np.round(value["stress"]).astype(int),
                    "work_hours": np.round(value["work_hours"] * 2) / 2,
                    "household_share": household.astype(int),
                    "mental_load_share": mental.astype(int),
                    "load_share": (household + mental) / 2,
                    "career_lead": leads,
                    "last_decision": decision,
                    "success_mean": np.round(value["success"] * 7) / 7,
                    "safety_level": safety,
                    "safety_flag": safety > 0,
                }
            )
        )
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


# Most check-ins report a decision made together or none lately; a few, made alone.
DECIDED_ALONE_ODDS = 0.05
DECIDED_TOGETHER_ODDS = 0.45
# For the couple whose story is decisions made alone: odds in their last 90 days.
RECENT_ALONE_ODDS = 0.6


def _decisions(story: Story, position: int, recent: np.ndarray, rng) -> np.ndarray:
    """How each check-in reports the last big decision, from this partner's side."""
    n = len(recent)
    draw = rng.random(n)
    either = rng.choice(["mostly_me", "mostly_partner"], n)
    out = np.where(
        draw < DECIDED_ALONE_ODDS,
        either,
        np.where(draw < DECIDED_ALONE_ODDS + DECIDED_TOGETHER_ODDS, "together", "none_recent"),
    )
    if story.alone_by is not None:
        mine = "mostly_me" if position == story.alone_by else "mostly_partner"
        out = np.where(recent & (rng.random(n) < RECENT_ALONE_ODDS), mine, out)
    return out


def _plan(story: Story, now: datetime) -> schedule.Schedule:
    """The story's schedule, anchored on a Monday (or a 1st) before its history starts."""
    first = (now - timedelta(days=story.years * 365.25 + 40)).date()
    if story.cadence == "monthly":
        anchor = first.replace(day=1)
    else:
        anchor = first - timedelta(days=first.weekday())
    return schedule.Schedule(story.cadence, anchor, story.timezone)


def _lead(story: Story, position: int, when: datetime, now: datetime, rng) -> str:
    """Whose career leads, as this partner sees it at the time (mostly the season's lead)."""
    years_ago = (now - when).days / 365.25
    lead = "balanced"
    for who, start, end, *_ in story.seasons:
        if start >= years_ago and (end is None or end <= years_ago):
            lead = "balanced" if who is None else ("mine" if who == position else "my_partners")
    return lead if rng.random() > 0.1 else "balanced"


# -- full answers for the newest check-in of each partner ------------------------------------------
def answers_for(row: dict[str, Any], form: instruments.Instrument) -> dict[str, Any]:
    """Item answers that score to exactly this typed row (the CSI-4 total spread evenly)."""
    answers: dict[str, Any] = {}
    total = int(row["csi_total"])
    tops = [form.item(i).bounds[1] for i in CSI_ITEMS]
    values = [min(top, round(total * top / sum(tops))) for top in tops]
    step = 0
    while sum(values) != total:  # nudge one point at a time, staying inside each item's range
        k = step % len(values)
        if sum(values) < total and values[k] < tops[k]:
            values[k] += 1
        elif sum(values) > total and values[k] > 0:
            values[k] -= 1
        step += 1
    answers.update(zip(CSI_ITEMS, values, strict=True))
    for item in ("fairness_me", "fairness_partner", "heard", "resentment", "stress"):
        answers[item] = int(row[item])
    answers["work_hours"] = float(row["work_hours"])
    if float(answers["work_hours"]).is_integer():
        answers["work_hours"] = int(answers["work_hours"])
    answers["household_share"] = int(row["household_share"])
    answers["mental_load_share"] = int(row["mental_load_share"])
    answers["career_lead"] = row["career_lead"]
    answers["last_decision"] = row["last_decision"]
    units = int(round(float(row["success_mean"]) * 7))
    base, extra = divmod(units, 7)
    indicators = [i.id for i in form.items if i.id.startswith("ind_")]
    for k, item_id in enumerate(indicators):
        answers[item_id] = min(5, max(1, base + (1 if k < extra else 0)))
    answers[checkin_rows.SAFETY_ITEM] = int(row["safety_level"])
    return answers


def _column(frame: pd.DataFrame, name: str) -> list:
    values = frame[name].astype(object).where(frame[name].notna(), None).tolist()
    return [v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in values]


def _columns(rows: list[dict[str, Any]], names: list[str]) -> dict[str, list]:
    """Parallel lists, one per column, for the bulk inserts in sql/demo/."""
    return {n: [r[n] for r in rows] for n in names}


def seed(
    db: Database,
    actors: dict[str, Actor],
    couples_by_label: dict[str, tuple[str, int]],
    now: datetime,
) -> int:
    """Load every story whose couple exists, in a few bulk statements; returns the number of
    check-ins stored."""
    chosen = [(n, s) for n, s in enumerate(STORIES) if s.label in couples_by_label]
    if not chosen:
        return 0
    ids = [couples_by_label[s.label][1] for _, s in chosen]
    partners: dict[int, list[int]] = {}
    for row in db.all("demo/partners", couple_ids=ids):
        partners.setdefault(row["couple_id"], []).append(row["id"])
    schedules, season_rows, event_rows, frames = [], [], [], []
    for n, story in chosen:
        username, couple_id = couples_by_label[story.label]
        by = actors[username].counselor_id
        pids = partners[couple_id]
        plan = _plan(story, now)
        schedules.append(
            {
                "couple_id": couple_id,
                "cadence": plan.cadence,
                "anchor_on": plan.anchor,
                "timezone": plan.timezone,
                "updated_by": by,
            }
        )
        season_rows += _season_rows(story, couple_id, pids, by, now)
        event_rows += _event_rows(story, couple_id, pids, by, now)
        frame = checkin_frame(story, couple_id, pids, now, seed=1000 + n)
        if not frame.empty:
            frames.append(frame.assign(created_by=by))
    db.write(lambda tx: _store(tx, schedules, season_rows, event_rows, now))
    if not frames:
        return 0
    every = pd.concat(frames, ignore_index=True)
    every = _with_newest_answers(db, every).sort_values("submitted_at", kind="stable")
    columns = ["couple_id", "partner_id", "link_id", "submitted_at", "period_on"]
    db.all("checkins/insert_many", **{c: _column(every, c) for c in columns + list(COLUMNS)})
    return len(every)


COLUMNS = checkin_rows.COLUMNS


def _store(tx, schedules, season_rows, event_rows, now) -> None:
    """Schedules, seasons and ledger events (with their repayments) in one transaction."""
    tx.all(
        "demo/insert_schedules",
        **_columns(schedules, ["couple_id", "cadence", "anchor_on", "timezone", "updated_by"]),
        now=now,
    )
    if season_rows:
        names = [
            "couple_id",
            "title",
            "lead_partner_id",
            "starts_on",
            "ends_on",
            "terms",
            "review_on",
            "created_by",
        ]
        tx.all("demo/insert_seasons", **_columns(season_rows, names), now=now)
    if not event_rows:
        return
    names = [
        "couple_id",
        "occurred_on",
        "kind",
        "giver_partner_id",
        "size",
        "note",
        "acknowledged",
        "created_by",
    ]
    made = tx.all("demo/insert_ledger", **_columns(event_rows, names), now=now)
    by_key = {(r["couple_id"], r["note"]): r["id"] for r in made}
    pairs = [
        (by_key[(e["couple_id"], e["note"])], by_key[(e["couple_id"], e["repaid_by_note"])])
        for e in event_rows
        if e["repaid_by_note"]
    ]
    if pairs:
        tx.all("demo/set_repaid", ids=[a for a, _ in pairs], repaid_by_ids=[b for _, b in pairs])


def _with_newest_answers(db: Database, frame: pd.DataFrame) -> pd.DataFrame:
    """Give the newest check-in of each partner a real, submitted link with its full answers
    (scored again from those answers, so the typed row and the answers agree)."""
    form = instruments.load(checkin_rows.CHECKIN)
    frame = frame.assign(link_id=None).astype({"link_id": object})
    newest = frame.sort_values("submitted_at").groupby("partner_id").tail(1)
    made, answer_rows = [], []
    for index, row in newest.iterrows():
        answers = answers_for(row.to_dict(), form)
        typed = checkin_rows.typed_row(answers, form)
        frame.loc[index, "csi_total"] = typed["csi_total"]
        frame.loc[index, "success_mean"] = typed["success_mean"]
        when = row["submitted_at"].to_pydatetime()
        token_hash = links.hash_token(secrets.token_urlsafe(links.TOKEN_BYTES))
        made.append(
            {
                "couple_id": int(row["couple_id"]),
                "partner_id": int(row["partner_id"]),
                "token_hash": token_hash,
                "created_by": int(row["created_by"]),
                "created_at": when - timedelta(days=1),
                "expires_at": when + timedelta(days=13),
                "submitted_at": when,
                "index": index,
                "answers": answers,
            }
        )

    def write(tx) -> None:
        names = [
            "couple_id",
            "partner_id",
            "token_hash",
            "created_by",
            "created_at",
            "expires_at",
            "submitted_at",
        ]
        stored = tx.all(
            "demo/insert_submitted_links",
            **_columns(made, names),
            instrument_id=checkin_rows.CHECKIN,
            instrument_version=form.version,
        )
        id_of = {r["token_hash"]: r["id"] for r in stored}
        for m in made:
            link_id = id_of[m["token_hash"]]
            frame.loc[m["index"], "link_id"] = link_id
            answer_rows.extend(
                {
                    "link_id": link_id,
                    "couple_id": m["couple_id"],
                    "partner_id": m["partner_id"],
                    "item_id": item,
                    "value_json": json.dumps(value, ensure_ascii=False),
                    "updated_at": m["submitted_at"],
                }
                for item, value in m["answers"].items()
            )
        tx.all(
            "demo/insert_answers",
            **_columns(
                answer_rows,
                ["link_id", "couple_id", "partner_id", "item_id", "value_json", "updated_at"],
            ),
        )

    db.write(write)
    return frame


def _years_ago(now: datetime, years: float) -> date:
    return (now - timedelta(days=years * 365.25)).date()


def _season_rows(story: Story, couple_id: int, pids: list[int], by: int, now: datetime):
    rows = []
    for lead, start, end, title, terms, review_in in story.seasons:
        rows.append(
            {
                "couple_id": couple_id,
                "title": title,
                "lead_partner_id": None if lead is None else pids[lead - 1],
                "starts_on": _years_ago(now, start),
                # A season ends the day before `end` years ago, when the next one starts.
                "ends_on": _years_ago(now, end) - timedelta(days=1) if end is not None else None,
                "terms": terms,
                "review_on": now.date() + timedelta(days=review_in)
                if review_in is not None
                else None,
                "created_by": by,
            }
        )
    return rows


def _event_rows(story: Story, couple_id: int, pids: list[int], by: int, now: datetime):
    rows = []
    for years, giver, kind, size, ack, note, repaid_by in story.events:
        rows.append(
            {
                "couple_id": couple_id,
                "occurred_on": _years_ago(now, years),
                "kind": kind,
                "giver_partner_id": pids[giver - 1],
                "size": size,
                "note": note,
                "acknowledged": ack,
                "created_by": by,
                "repaid_by_note": story.events[repaid_by][5] if repaid_by is not None else None,
            }
        )
    return rows
