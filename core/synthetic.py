"""A large fictional practice, reproducible from a seed, for measuring Tandem at scale (issue 6).

`generate(db, Size())` fills a new, empty database with counselors c01, c02, … and an admin,
couples spread over them (c01 carries the big caseload the benchmark needs), and years of
check-ins from both partners stored the way the app stores a submitted check-in: a period link,
one `answers` row per item (JSON) and the typed row in `checkins`. Around them: schedules,
standing links, seasons, ledger events, intake and CSI-4 submissions with their answers,
agreements with versions, decisions with a filled matrix, roadmap events, and sessions with
notes, discussed agreements and decisions, and homework.

Levels drift per partner (keyframes over the couple's history plus demo_history's noise and
bounds), some partners' satisfaction falls or resentment rises lately, partners skip weeks,
couples take breaks and some stop (a few are archived). Dates are relative to `now`.

Everything is built as DataFrames and loaded with one INSERT … SELECT per table
(sql/synthetic/); the check-ins' links and answers are derived in SQL from the typed rows
(in blocks, each its own transaction). Ids come from a block reserved in each sequence, so the
app numbers new rows after them.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core import accounts, checkin_rows, demo_history, instruments, ledger, sessions
from core.clock import utcnow
from core.db import Database, Tx
from core.errors import TandemError
from core.partners import CAREER_STAGES, INDUSTRIES

# -- the practice's accounts (shown by the command; never use them outside a test machine) -------
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-password"
COUNSELOR_PASSWORD = "synthetic-password"
# The benchmark's "counselor with ~150 couples" (issue 6) is c01: 150 of 2,000 couples.
BIG_CASELOAD_SHARE = 150 / 2000

# -- the shape of the history (each number a choice that makes the practice look lived-in) -------
# Most couples have been coming since the practice's first months; the rest joined later.
LONG_STANDING_SHARE = 0.9
LONG_STANDING_JOINED_DAYS = 60  # ... within this many days of the history's start
CADENCE_ODDS = {"weekly": 0.95, "fortnightly": 0.04, "monthly": 0.01}
# Couples who stopped checking in (some of them later archived).
STOPPED_SHARE = 0.08
ARCHIVED_OF_STOPPED = 0.5
# A partner skips a period with a chance drawn per partner (mean about 4%); a few drift away.
SKIP_BETA = (1.0, 24.0)
DRIFTING_SHARE = 0.05
DRIFTING_SKIP = 0.5
# Breaks (holidays, a crisis) when neither partner checks in: per year of history, 2-8 weeks.
BREAKS_PER_YEAR = 0.25
MAX_BREAKS = 4
# Keyframes at 0, 1/4, … 1 of a couple's history: a partner's own level and a slow drift.
KEYFRAMES = 5
KEY_AT = np.linspace(0, 1, KEYFRAMES)
SPREAD = {
    "csi_total": 2.5,
    "fairness_me": 1.3,
    "fairness_partner": 1.0,
    "heard": 1.3,
    "resentment": 1.3,
    "stress": 1.4,
    "work_hours": 0.0,  # from the partner's profile instead
    "success": 0.4,
    "load_share": 0.0,  # from the couple's split instead
}
DRIFT = {
    "csi_total": 1.3,
    "fairness_me": 0.8,
    "fairness_partner": 0.6,
    "heard": 0.8,
    "resentment": 0.8,
    "stress": 0.9,
    "work_hours": 3.0,
    "success": 0.25,
    "load_share": 3.0,
}
# Lately: a partner whose satisfaction falls (12 weeks) or whose resentment rises (8 weeks).
FALLING_SHARE, FALLING_DAYS, FALLING_BY = 0.06, 84, (3.0, 7.0)
RESENTFUL_SHARE, RESENTFUL_DAYS, RESENTFUL_BY = 0.06, 56, (3.0, 6.0)
# Partners who answered the counselor-only safety item with concern in the last 45 days.
SAFETY_SHARE, SAFETY_DAYS = 0.004, 45
# Couples where one partner has lately made big decisions alone (last 90 days).
ALONE_SHARE = 0.04
# People overclaim their share of the home load: partner 2's share = 100 - partner 1's + this.
OVERCLAIM = (4.0, 5.0)
# Sessions every 2-6 weeks while a couple is coming; 8% give an exercise as homework.
SESSION_EVERY_DAYS = (14, 42)
HOMEWORK_SHARE = 0.08
# CSI-4 again every half year; intake once, in the first days.
CSI_EVERY_DAYS = 182
# Check-in answers are derived in blocks of this many links, each block its own transaction:
# one 22-million-row transaction took several times longer than blocks (measured, issue 6).
ANSWER_BLOCK = 100_000

SEQUENCES = (
    "couple_id",
    "partner_id",
    "link_id",
    "checkin_id",
    "ledger_event_id",
    "agreement_id",
    "decision_id",
    "decision_option_id",
    "decision_factor_id",
    "couple_session_id",
)

FIRST_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "Rachel Marcus Anna Miguel Jennifer Katie David Priya Zoë Łukasz Fang Tomás Amara Jonah "
    "Noor Sven Kenji Laila Seun Grace Elif Mateo Inès Farid Hana Yusuf Camille Rosa Aisha Ben "
    "Chloé Dmitri Emeka Freya Gabriel Hiroshi Ingrid Jamal Kavya Liam Maya Nikolai Olga Pablo "
    "Qing Rafael Sofia Tariq Uma Viktor Wen Ximena Yara Zane Ayşe Björn Carmen Dev Esther "
    "Fatima Giulia Hamid Ines Jonas Keiko Lars Mei Nadia Omar Paula Rania Stefan Tanvi Ugo "
    "Valentina Wiktor Xiao Yusra Zeynep Anders Beatriz Cyrus Daniela Eitan Farah Gustav Helena "
    "Ivan Julia Kwame Leila Mohammed Naomi Oskar Pilar Quentin Ruth Samir Thandiwe 王芳 李娜 Jörg "
    "Søren Émilie Niamh Siobhán Ngozi Chidi Arjun Meera Ravi Lucía"
).split()
PRONOUNS = ("she/her", "he/him", "they/them", "")
OCCUPATIONS = (
    "Product lead",
    "Law firm partner",
    "Management consultant",
    "Software engineer",
    "Hospital physician",
    "Public policy analyst",
    "Architect",
    "Investment analyst",
    "Secondary school teacher",
    "Postdoctoral researcher",
    "Assistant professor",
    "Start-up founder",
    "Civil engineer",
    "Nurse practitioner",
    "Journalist",
    "Barrister",
    "Data scientist",
    "Paramedic",
    "Diplomat",
    "Freelance translator",
    "Pharmacist",
    "Airline pilot",
    "Museum curator",
    "Surgeon in training",
    "Chef and restaurant owner",
    "Electrician",
    "Logistics manager",
    "Charity director",
)
# (city, country, IANA time zone, languages)
PLACES = (
    ("Chicago", "United States", "America/Chicago", "English"),
    ("Boston", "United States", "America/New_York", "English, Spanish"),
    ("Seattle", "United States", "America/Los_Angeles", "English"),
    ("Toronto", "Canada", "America/Toronto", "English, French"),
    ("Montréal", "Canada", "America/Toronto", "French, English"),
    ("London", "United Kingdom", "Europe/London", "English"),
    ("Leicester", "United Kingdom", "Europe/London", "English, Gujarati"),
    ("Lisbon", "Portugal", "Europe/Lisbon", "Portuguese, English"),
    ("Berlin", "Germany", "Europe/Berlin", "German, English"),
    ("Utrecht", "Netherlands", "Europe/Amsterdam", "Dutch, English"),
    ("Stockholm", "Sweden", "Europe/Stockholm", "Swedish, English"),
    ("Nairobi", "Kenya", "Africa/Nairobi", "English, Swahili"),
    ("Singapore", "Singapore", "Asia/Singapore", "English, Mandarin"),
    ("Osaka", "Japan", "Asia/Tokyo", "Japanese, English"),
    ("Melbourne", "Australia", "Australia/Melbourne", "English"),
    ("Mumbai", "India", "Asia/Kolkata", "Hindi, Marathi, English"),
)
NOTES = (
    "Two careers pulling in different directions; both want the other's to thrive.",
    "An offer abroad for one of them arrived the month the other was promoted.",
    "Taking turns: this is meant to be the other's season, and it is not feeling like it.",
    "Childcare falls to whoever has the more flexible week, which is always the same one.",
    "Visa tied to one employer; the other is weighing a return to study.",
    "Opposite shift patterns; little shared time on weekdays.",
    "Caring for a parent has started to take one of them out of work for days at a time.",
    "Decided together to go part-time in turns while the children are small.",
)
SEASON_TITLES = (
    "{lead}'s promotion push",
    "{lead}'s training years",
    "{lead}'s start-up season",
    "{lead}'s posting abroad",
    "{lead}'s return to study",
    "Both remote, shared core hours",
    "Two job markets, one city",
    "Part-time in turns",
)
SEASON_TERMS = (
    "{lead}'s work comes first until the review; the other keeps evenings protected.",
    "Protect 10-3 as shared core hours; trade on-call weeks evenly.",
    "One year, then the other's turn; money decisions together.",
    "The other steadies: most of the home and the school runs, reviewed every quarter.",
)
LEDGER_NOTES = (
    "Turned down a promotion that meant travelling",
    "Moved cities for the other's role",
    "Went to four days a week",
    "Paused the master's degree",
    "Took over the school runs",
    "Carried the household during a launch",
    "Covered the income gap for a career change",
    "",
)
AGREEMENT_TEXT = {
    "offers": (
        "How we decide on urgent offers",
        "Neither of us answers a job offer on the spot: we ask for a week, check whether the "
        "deadline is real, and talk it through with the matrix first.",
    ),
    "turns": (
        "Taking turns",
        "One of us leads for a season while the other steadies; we name the season, its "
        "terms and the date we look at it again.",
    ),
    "veto": (
        "Vetoes are for core needs only",
        "Each of us can veto a move, but only by naming the core need it protects, and the "
        "one who vetoes helps look for a way that meets both.",
    ),
    "household": (
        "Sharing the household",
        "Whoever has the lighter week takes the mental load too; we swap on Sundays and say "
        "out loud what is on the list.",
    ),
    "money": (
        "Money follows the plan, not the pay",
        "Both incomes go into the shared account; each of us keeps the same personal "
        "allowance whoever earns more this year.",
    ),
    "trial": (
        "A three-month trial of four-day weeks",
        "For three months one of us works four days; we check in every fortnight and stop "
        "early if either of us wants to.",
    ),
}
DECISION_TITLES = {
    "job_offer": "An offer in another city",
    "relocation": "Moving closer to family",
    "career_change": "Leaving law for teaching",
    "hours": "Going part-time for a year",
    "study": "A master's degree, evenings",
}
FACTORS = (
    "Career growth",
    "Money",
    "Time together",
    "Near family",
    "Stress",
    "The children's school",
)
OPTIONS = ("Stay as we are", "Take it", "Ask for a delay")
ROADMAP = {
    "career": ("Promotion round", "New role", "Sabbatical", "Licensing exam"),
    "education": ("Evening course", "Master's degree", "Certification"),
    "family": ("Baby due", "Parent moves in", "Child starts school", "Move house"),
    "other": ("Visa renewal", "Long trip together"),
}
FOCUS = (
    "The offer abroad and whose turn it is",
    "Resentment about the home load",
    "Reviewing the season's terms",
    "How decisions get made under time pressure",
    "Check-in trends since the last session",
    "Caring for a parent and two careers",
    "Money and the part-time year",
)
TAKEAWAYS = (
    "Each of you names one thing the other did this month that made room for your work.",
    "Before the next offer conversation, fill in the matrix separately.",
    "Keep Sunday's fifteen minutes for the week's plan; swap who starts.",
    "Look at the season's review date together and say what would make it fair.",
)
SESSION_NOTES = (
    "Tension rose when the promotion came up; both softened after naming the fear of falling behind.",
    "One partner spoke much more; try the timed turns next session.",
    "Agreed the review date is real. Watch for the pattern of deciding alone.",
    "Good session. The ledger exercise made the invisible work visible.",
    "",
)
TEXT_ANSWERS = (
    "Doing work that matters to people, and still having evenings with the family.",
    "I want us both to look back and feel it was fair, not equal every year.",
    "Being trusted with bigger problems, and learning every year.",
    "Living near the sea, both still working at something we care about.",
    "Missing the chance to try leading a team of my own.",
    "Time with the children when they are small.",
    "Some weeks it feels like my work is the one that bends.",
    "When I had the surgery, they rearranged everything without being asked.",
)


@dataclass(frozen=True)
class Size:
    """How big a practice to make: counselors, couples, years of history, and the seed."""

    counselors: int = 40
    couples: int = 2000
    years: float = 5.0
    seed: int = 7

    def check(self) -> None:
        """Refuse sizes the generator cannot make sense of."""
        if not 1 <= self.counselors <= 999:
            raise TandemError("--counselors must be between 1 and 999.")
        if not 1 <= self.couples <= 100_000:
            raise TandemError("--couples must be between 1 and 100,000.")
        if not 0.1 <= self.years <= 20:
            raise TandemError("--years must be between 0.1 and 20.")


def username(n: int, counselors: int) -> str:
    """The username of counselor n (1-based): c01, c02, … (wider past 99)."""
    return f"c{n:0{max(2, len(str(counselors)))}d}"


@dataclass
class Report:
    """What was written: rows per table, how long it took, how big the file is."""

    path: str
    size: Size
    counts: dict[str, int]
    seconds: float
    file_bytes: int
    steps: list[tuple[str, float]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as the command prints it (credentials included)."""
        c = self.size.counselors
        out = [
            f"Synthetic practice written to {self.path} in {self.seconds:.1f} s "
            f"({self.file_bytes / 1e6:,.0f} MB).",
            f"Seed {self.size.seed}: {self.size.counselors} counselors, {self.size.couples} "
            f"couples, {self.size.years:g} years.",
            "Sign in (fictional data; never use these accounts on a real practice):",
            f"  {ADMIN_USERNAME} / {ADMIN_PASSWORD}   (admin, whole practice)",
            f"  {username(1, c)} … {username(c, c)} / {COUNSELOR_PASSWORD}   "
            f"({username(1, c)} has the biggest caseload)",
            "Rows:",
        ]
        out += [f"  {table:<20} {n:>12,}" for table, n in self.counts.items()]
        out.append("Steps:")
        out += [f"  {step:<32} {s:7.1f} s" for step, s in self.steps]
        return out


# -- generation ----------------------------------------------------------------------------------
def generate(db: Database, size: Size = Size(), now: datetime | None = None) -> Report:
    """Write a synthetic practice into an empty database; returns what was written."""
    size.check()
    if not accounts.needs_first_admin(db):
        raise TandemError(f"{db.path} already has accounts: give the generator a new file.")
    started = time.perf_counter()
    now = (now or utcnow()).replace(microsecond=0)
    steps: list[tuple[str, float]] = []
    clock = [time.perf_counter()]

    def step(name: str) -> None:
        t = time.perf_counter()
        steps.append((name, t - clock[0]))
        clock[0] = t

    counselor_ids = _accounts(db, size, now)
    step("accounts")
    practice = _Practice(size, now, counselor_ids)
    frames = practice.build()
    step("build frames")
    checkins = frames.pop("checkins")
    ids = _reserve(db, practice.id_counts(frames, checkins))
    frames, checkins = practice.assign_ids(ids, frames, checkins)
    step("reserve ids")

    def write(tx: Tx) -> None:
        for query, frame in frames.items():
            if not frame.empty:
                _load(tx, query, frame)
        _load(tx, "synthetic/insert_checkins", checkins)

    db.write(write)
    step("load tables")
    if len(checkins):
        first, last = int(checkins["link_id"].min()), int(checkins["link_id"].max())
        version = instruments.load(checkin_rows.CHECKIN).version
        db.write(
            lambda tx: tx.all(
                "synthetic/insert_checkin_links",
                first_id=first,
                last_id=last,
                instrument_id=checkin_rows.CHECKIN,
                instrument_version=version,
                token_prefix=f"synthetic:{size.seed}:",
            )
        )
        step("check-in links (SQL)")
        for a in range(first, last + 1, ANSWER_BLOCK):
            b = min(last, a + ANSWER_BLOCK - 1)
            db.write(
                lambda tx, a=a, b=b: tx.all(
                    "synthetic/insert_checkin_answers", first_id=a, last_id=b
                )
            )
        step("check-in answers (SQL)")
    with db.cursor() as cur:
        cur.execute("CHECKPOINT")
    step("checkpoint")
    counts = db.one("synthetic/counts") or {}
    path = Path(db.path)
    return Report(
        path=db.path,
        size=size,
        counts=counts,
        seconds=time.perf_counter() - started,
        file_bytes=path.stat().st_size if path.is_file() else 0,
        steps=steps,
    )


def _accounts(db: Database, size: Size, now: datetime) -> list[int]:
    """The admin (through core, as the first-start form makes it) and the counselors in one
    statement; every counselor shares one bcrypt hash of the same password."""
    code = accounts.issue_setup_code(db)
    accounts.create_first_admin(
        db,
        code,
        {"username": ADMIN_USERNAME, "display_name": "Synthetic Admin", "email": ""},
        ADMIN_PASSWORD,
    )
    names = [username(n, size.counselors) for n in range(1, size.counselors + 1)]
    rows = db.all(
        "synthetic/insert_counselors",
        username=names,
        display_name=[f"Counselor {n[1:]}" for n in names],
        email=[f"{n}@example.org" for n in names],
        password_hash=accounts.hash_password(COUNSELOR_PASSWORD),
        now=now - timedelta(days=round(size.years * 365.25) + 30),
    )
    by_name = {r["username"]: r["id"] for r in rows}
    return [by_name[n] for n in names]


def _reserve(db: Database, counts: dict[str, int]) -> dict[str, int]:
    """The first id of a block of ids reserved in each sequence (the app numbers after them)."""
    first = {}
    for sequence in SEQUENCES:
        n = counts.get(sequence, 0)
        row = db.one("synthetic/reserve_ids", sequence=sequence, n=n)
        if n and row["last_id"] - row["first_id"] + 1 != n:
            raise TandemError(f"Could not reserve {n} consecutive ids from {sequence}.")
        first[sequence] = row["first_id"] or 0
    return first


def _values(series: pd.Series) -> Any:
    """One column as a query parameter: a numpy array when it has no gaps, else a list with
    None for each gap (timestamps as datetime, dates as date)."""
    if series.dtype != object and not series.isna().any():
        return series.to_numpy()
    out = []
    for v in series.tolist():
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
            out.append(None)
        elif isinstance(v, pd.Timestamp):
            out.append(v.to_pydatetime())
        elif isinstance(v, np.integer):
            out.append(int(v))
        else:
            out.append(v)
    return out


def _load(tx: Tx, query: str, frame: pd.DataFrame) -> None:
    """One INSERT … SELECT for a whole frame: each column is one list parameter."""
    tx.all(query, **{c: _values(frame[c]) for c in frame.columns})


def _days(values: np.ndarray) -> np.ndarray:
    """Whole days as timedelta64 (for adding to datetime64 arrays)."""
    return np.asarray(values).astype("timedelta64[D]")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Practice:
    """The practice as plans (numpy arrays per couple and partner), then as frames per table."""

    def __init__(self, size: Size, now: datetime, counselor_ids: list[int]):
        self.size = size
        self.now = now
        self.now64 = np.datetime64(now, "s")
        self.today = now.date()
        self.counselor_ids = np.asarray(counselor_ids)
        self.horizon = size.years * 365.25
        self.c = size.couples
        self._plan()

    def rng(self, stream: int) -> np.random.Generator:
        """An independent generator per part, so changing one part leaves the others as they
        were for the same seed."""
        return np.random.default_rng([self.size.seed, stream])

    # -- couples -------------------------------------------------------------------------------
    def _plan(self) -> None:
        rng = self.rng(1)
        c = self.c
        n_counselors = len(self.counselor_ids)
        big = min(c, max(round(c * BIG_CASELOAD_SHARE), -(-c // n_counselors)))
        if n_counselors == 1:
            big = c
        rest = np.arange(c - big) % max(1, n_counselors - 1) + 1
        owner = np.concatenate([np.zeros(big, dtype=int), rest])
        self.owner = self.counselor_ids[rng.permutation(owner)]
        long = rng.random(c) < LONG_STANDING_SHARE
        joined = np.where(
            long,
            self.horizon - rng.uniform(0, min(LONG_STANDING_JOINED_DAYS, self.horizon * 0.5), c),
            rng.uniform(min(10, self.horizon / 2), self.horizon, c),
        )
        self.history = np.maximum(joined, 7.0)  # days of history before now
        self.start = self.now64 - (self.history * 86400).astype("timedelta64[s]")
        stops = (rng.random(c) < STOPPED_SHARE) & (self.history > 60)
        stop_ago = np.where(stops, rng.uniform(7, np.maximum(self.history - 42, 8)), 0.0)
        self.stopped = stops
        self.end = self.now64 - (np.maximum(stop_ago * 86400, 600)).astype("timedelta64[s]")
        self.archived = stops & (stop_ago > 60) & (rng.random(c) < ARCHIVED_OF_STOPPED)
        self.archived_at = self.end + (rng.uniform(7, 40, c) * 86400).astype("timedelta64[s]")
        cadences = list(CADENCE_ODDS)
        self.cadence = np.asarray(cadences)[
            rng.choice(len(cadences), c, p=list(CADENCE_ODDS.values()))
        ]
        self.place = rng.integers(0, len(PLACES), c)
        self.tz = np.asarray([PLACES[i][2] for i in self.place])
        self.alone_by = np.where(rng.random(c) < ALONE_SHARE, rng.integers(1, 3, c), 0)
        self.notes = np.asarray(NOTES)[rng.integers(0, len(NOTES), c)]
        # Breaks when neither partner checks in: (start day ago, end day ago) per slot.
        n_breaks = np.minimum(rng.poisson(BREAKS_PER_YEAR * self.history / 365.25), MAX_BREAKS)
        b_start = rng.uniform(0, 1, (c, MAX_BREAKS)) * self.history[:, None]
        b_len = rng.uniform(14, 56, (c, MAX_BREAKS))
        used = np.arange(MAX_BREAKS)[None, :] < n_breaks[:, None]
        self.break_from = np.where(used, b_start, -1.0)  # days ago the break began
        self.break_to = np.where(used, b_start - b_len, -1.0)  # days ago it ended
        self._partners(rng)
        self._seasons()

    def _partners(self, rng: np.random.Generator) -> None:
        p = 2 * self.c
        self.names = np.asarray(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), p)]
        self.pronouns = np.asarray(PRONOUNS)[
            rng.choice(len(PRONOUNS), p, p=[0.46, 0.46, 0.05, 0.03])
        ]
        self.occupation = rng.integers(0, len(OCCUPATIONS), p)
        self.industry = np.asarray(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), p)]
        self.stage = np.asarray(CAREER_STAGES)[rng.integers(0, 5, p)]
        self.hours = np.clip(np.round(rng.normal(45, 9, p)), 15, 80).astype(int)
        self.skip = rng.beta(*SKIP_BETA, p)
        self.drifting = rng.random(p) < DRIFTING_SHARE
        self.noise = rng.uniform(0.6, 1.4, p)
        self.falling = np.where(rng.random(p) < FALLING_SHARE, rng.uniform(*FALLING_BY, p), 0.0)
        self.resentful = np.where(
            rng.random(p) < RESENTFUL_SHARE, rng.uniform(*RESENTFUL_BY, p), 0.0
        )
        self.unsafe = rng.random(p) < SAFETY_SHARE
        split = np.clip(rng.normal(55, 10, self.c), 20, 80)
        load_base = np.empty(p)
        load_base[0::2] = split
        load_base[1::2] = 100 - split + rng.normal(*OVERCLAIM, self.c)
        base = {m: demo_history.DEFAULTS[m] + rng.normal(0, SPREAD[m], p) for m in SPREAD}
        base["load_share"] = load_base
        base["work_hours"] = self.hours.astype(float)
        self.keys = {}
        for m, level in base.items():
            walk = np.cumsum(rng.normal(0, DRIFT[m], (p, KEYFRAMES)), axis=1)
            walk -= walk[:, :1]
            lo, hi = demo_history.BOUNDS[m]
            self.keys[m] = np.clip(level[:, None] + walk, lo, hi)

    def _seasons(self) -> None:
        """0-3 consecutive seasons per couple; the last often still going, with a review date."""
        rng = self.rng(2)
        self.seasons: list[list[tuple]] = []  # per couple: (lead pos|None, start, end|None, ...)
        for i in range(self.c):
            n = int(rng.choice(4, p=[0.15, 0.4, 0.3, 0.15]))
            days = self.history[i]
            if days < 60 * max(n, 1):
                n = min(n, 1)
            cuts = sorted(rng.uniform(0.1, 0.9, max(n - 1, 0)) * days) if n > 1 else []
            starts_ago = [days - rng.uniform(0, min(30, days / 4))] + list(reversed(cuts))
            found = []
            for j in range(n):
                start = self.today - timedelta(days=int(starts_ago[j]))
                last = j == n - 1
                ongoing = last and rng.random() < 0.75
                end = (
                    None
                    if ongoing
                    else (
                        self.today - timedelta(days=int(starts_ago[j + 1]) + 1)
                        if not last
                        else self.today - timedelta(days=int(rng.uniform(1, 30)))
                    )
                )
                if end is not None and end < start:
                    end = start
                lead = [1, 2, None][int(rng.choice(3, p=[0.4, 0.4, 0.2]))]
                review = (
                    self.today + timedelta(days=int(rng.uniform(-120, 240))) if ongoing else None
                )
                found.append((lead, start, end, int(rng.integers(0, 100)), review))
            self.seasons.append(found)

    # -- check-ins ------------------------------------------------------------------------------
    def checkins(self) -> pd.DataFrame:
        """Every check-in's typed row, oldest first (ids are assigned later)."""
        rng = self.rng(3)
        c = self.c
        start_day = self.start.astype("datetime64[D]")
        end_day = self.end.astype("datetime64[D]")
        monthly = self.cadence == "monthly"
        step = np.where(self.cadence == "fortnightly", 14, 7)
        monday = start_day - _days((start_day.astype(np.int64) + 3) % 7)  # 1970-01-01: Thursday
        month0 = start_day.astype("datetime64[M]")
        self.anchor = np.where(monthly, month0.astype("datetime64[D]"), monday)
        n_weeks = (end_day - monday).astype(np.int64) // step + 1
        n_months = (end_day.astype("datetime64[M]") - month0).astype(np.int64) + 1
        n = np.where(monthly, n_months, n_weeks)
        couple = np.repeat(np.arange(c), n)
        k = np.arange(len(couple)) - np.repeat(np.cumsum(n) - n, n)
        is_month = monthly[couple]
        period_on = np.where(
            is_month,
            (month0[couple] + k).astype("datetime64[D]"),
            self.anchor[couple] + _days(k * step[couple]),
        )
        # Both partners, each period: partner index 2 * couple + position - 1.
        couple = np.concatenate([couple, couple])
        period_on = np.concatenate([period_on, period_on])
        position = np.repeat([1, 2], len(period_on) // 2)
        partner = 2 * couple + position - 1
        rows = len(couple)
        local = (
            period_on.astype("datetime64[m]")
            + (rng.integers(0, 4, rows) * 1440).astype("timedelta64[m]")
            + rng.integers(7 * 60, 22 * 60, rows).astype("timedelta64[m]")
        )
        utc = np.full(rows, np.datetime64("NaT"), dtype="datetime64[ns]")
        tz = self.tz[couple]
        for zone in np.unique(tz):
            m = tz == zone
            moved = (
                pd.DatetimeIndex(local[m])
                .tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
                .tz_convert("UTC")
                .tz_localize(None)
            )
            utc[m] = moved.to_numpy()
        submitted = utc.astype("datetime64[s]")
        ago = (self.now64 - submitted).astype(np.float64) / 86400
        recent_third = ago < self.history[couple] / 3
        skip = np.where(self.drifting[partner] & recent_third, DRIFTING_SKIP, self.skip[partner])
        in_break = (
            (ago[:, None] <= self.break_from[couple]) & (ago[:, None] >= self.break_to[couple])
        ).any(axis=1)
        keep = (
            ~np.isnat(utc)
            & (submitted >= self.start[couple])
            & (submitted <= self.end[couple])
            & (rng.random(rows) >= skip)
            & ~in_break
        )
        couple, partner, position = couple[keep], partner[keep], position[keep]
        submitted, period_on, ago = submitted[keep], period_on[keep], ago[keep]
        order = np.argsort(submitted, kind="stable")
        couple, partner, position = couple[order], partner[order], position[order]
        submitted, period_on, ago = submitted[order], period_on[order], ago[order]
        return self._typed(rng, couple, partner, position, submitted, period_on, ago)

    def _typed(self, rng, couple, partner, position, submitted, period_on, ago) -> pd.DataFrame:
        """The measures of each check-in: the partner's keyframed level, recent episodes, and
        demo_history's noise, clipped to each measure's bounds."""
        n = len(couple)
        frac = np.clip(1 - ago / self.history[couple], 0, 1)
        pos = frac * (KEYFRAMES - 1)
        seg = np.minimum(pos.astype(int), KEYFRAMES - 2)
        w = pos - seg

        def level(m: str) -> np.ndarray:
            keys = self.keys[m]
            base = keys[partner, seg] * (1 - w) + keys[partner, seg + 1] * w
            noise = rng.normal(0, demo_history.NOISE[m], n) * self.noise[partner]
            return base + noise

        def ramp(days: int) -> np.ndarray:
            return np.clip(1 - ago / days, 0, 1)

        value = {m: level(m) for m in SPREAD}
        value["csi_total"] -= self.falling[partner] * ramp(FALLING_DAYS)
        value["resentment"] += self.resentful[partner] * ramp(RESENTFUL_DAYS)
        value["fairness_me"] -= 0.5 * self.resentful[partner] * ramp(RESENTFUL_DAYS)
        value = {m: demo_history._round(v, m) for m, v in value.items()}
        load = value["load_share"]
        household = np.clip(np.round((load + rng.normal(0, 3, n)) / 5) * 5, 0, 100)
        mental = np.clip(np.round((load + rng.normal(0, 5, n)) / 5) * 5, 0, 100)
        units = np.clip(np.round(value["success"] * 7), 7, 35)
        safety = np.where(
            self.unsafe[partner] & (ago < SAFETY_DAYS), rng.integers(1, 3, n), 0
        ).astype(int)
        return pd.DataFrame(
            {
                "couple": couple,
                "partner": partner,
                "submitted_at": submitted.astype("datetime64[us]"),
                "period_on": period_on,
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
                "career_lead": self._leads(rng, couple, position, submitted),
                "last_decision": self._decisions(rng, couple, position, ago),
                "success_mean": units / 7,
                "safety_level": safety,
                "safety_flag": safety > 0,
            }
        )

    def _leads(self, rng, couple, position, submitted) -> np.ndarray:
        """Whose career leads as each partner sees it: mostly the season's lead at the time."""
        days = submitted.astype("datetime64[D]")
        lead = np.zeros(len(couple), dtype=int)  # 0 balanced, else the leading position
        for slot in range(3):
            starts = np.full(self.c, np.datetime64("NaT"), dtype="datetime64[D]")
            ends = np.full(self.c, np.datetime64("NaT"), dtype="datetime64[D]")
            leads = np.zeros(self.c, dtype=int)
            for i, found in enumerate(self.seasons):
                if slot < len(found):
                    who, s, e, *_ = found[slot]
                    starts[i] = np.datetime64(s)
                    ends[i] = np.datetime64(e or self.today + timedelta(days=1))
                    leads[i] = who or 0
            inside = (days >= starts[couple]) & (days <= ends[couple])
            lead = np.where(inside, leads[couple], lead)
        out = np.where(lead == 0, "balanced", np.where(lead == position, "mine", "my_partners"))
        draw = rng.random(len(couple))
        out = np.where(draw < 0.08, "balanced", out)
        return np.where(draw > 0.97, "neither", out)

    def _decisions(self, rng, couple, position, ago) -> np.ndarray:
        """How each check-in reports the last big decision (demo_history's odds)."""
        n = len(couple)
        draw = rng.random(n)
        either = np.where(rng.random(n) < 0.5, "mostly_me", "mostly_partner")
        alone = demo_history.DECIDED_ALONE_ODDS
        together = alone + demo_history.DECIDED_TOGETHER_ODDS
        out = np.where(draw < alone, either, np.where(draw < together, "together", "none_recent"))
        by = self.alone_by[couple]
        lately = (by > 0) & (ago < 90) & (rng.random(n) < demo_history.RECENT_ALONE_ODDS)
        mine = np.where(by == position, "mostly_me", "mostly_partner")
        return np.where(lately, mine, out)

    # -- the frames ----------------------------------------------------------------------------
    def build(self) -> dict[str, pd.DataFrame]:
        """Every table's rows as a frame keyed by its insert query; ids still as indexes."""
        frames: dict[str, pd.DataFrame] = {}
        frames["checkins"] = self.checkins()
        frames["synthetic/insert_couples"] = self._couples(frames["checkins"])
        frames["synthetic/insert_partners"] = self._partner_frame()
        frames["synthetic/insert_schedules"] = self._schedules()
        frames["synthetic/insert_standing_links"] = self._standing(frames["checkins"])
        frames["synthetic/insert_seasons"] = self._season_frame()
        frames["synthetic/insert_ledger"] = self._ledger()
        frames.update(self._records())
        frames.update(self._questionnaires(frames))
        return frames

    def _ts(self, days_ago: Iterable[float] | float) -> Any:
        """Naive UTC timestamps this many days before now."""
        return self.now64 - (np.asarray(days_ago) * 86400).astype("timedelta64[s]")

    def _couples(self, checkins: pd.DataFrame) -> pd.DataFrame:
        created = pd.Series(pd.to_datetime(self.start - np.timedelta64(2, "D")))
        last = checkins.groupby("couple")["submitted_at"].max().reindex(range(self.c))
        updated = np.maximum(created, last.fillna(created)).to_numpy()
        archived = np.where(self.archived, self.archived_at, np.datetime64("NaT"))
        return pd.DataFrame(
            {
                "couple": np.arange(self.c),
                "counselor_id": self.owner,
                "status": np.where(self.archived, "archived", "active"),
                "notes": self.notes,
                "created_at": created,
                "updated_at": pd.to_datetime(np.where(self.archived, archived, updated)),
                "archived_at": pd.to_datetime(archived),
            }
        )

    def _partner_frame(self) -> pd.DataFrame:
        p = 2 * self.c
        couple = np.arange(p) // 2
        place = self.place[couple]
        names = self.names
        return pd.DataFrame(
            {
                "partner": np.arange(p),
                "couple": couple,
                "position": np.arange(p) % 2 + 1,
                "name": names,
                "pronouns": self.pronouns,
                "occupation": np.asarray(OCCUPATIONS)[self.occupation],
                "industry": self.industry,
                "career_stage": self.stage,
                "weekly_hours": self.hours,
                "country": [PLACES[i][1] for i in place],
                "city": [PLACES[i][0] for i in place],
                "languages": [PLACES[i][3] for i in place],
                "email": [f"partner{i + 1}@example.org" for i in range(p)],
                "phone": "",
            }
        )

    def _schedules(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "couple": np.arange(self.c),
                "cadence": np.where(self.archived, "off", self.cadence),
                "anchor_on": self.anchor,
                "timezone": self.tz,
                "updated_by": self.owner,
                "updated_at": pd.to_datetime(self.start),
            }
        )

    def _standing(self, checkins: pd.DataFrame) -> pd.DataFrame:
        """A live standing link for each partner of a couple still checking in."""
        rng = self.rng(4)
        live = np.flatnonzero(~self.stopped)
        partners = np.concatenate([2 * live, 2 * live + 1])
        last = checkins.groupby("partner")["submitted_at"].max()
        made = np.maximum(self.start[partners // 2], self._ts(rng.uniform(20, 330, len(partners))))
        return pd.DataFrame(
            {
                "couple": partners // 2,
                "partner": partners,
                "token_hash": [_sha(f"synthetic-standing:{self.size.seed}:{p}") for p in partners],
                "created_by": self.owner[partners // 2],
                "created_at": pd.to_datetime(made),
                "expires_at": pd.to_datetime(made + np.timedelta64(365, "D")),
                "last_opened_at": last.reindex(partners).to_numpy(),
            }
        )

    def _season_frame(self) -> pd.DataFrame:
        rows = []
        for i, found in enumerate(self.seasons):
            for lead, start, end, pick, review in found:
                name = self.names[2 * i + lead - 1] if lead else ""
                titles = SEASON_TITLES if lead else SEASON_TITLES[5:]
                rows.append(
                    {
                        "couple": i,
                        "title": titles[pick % len(titles)].format(lead=name),
                        "lead_partner": None if lead is None else 2 * i + lead - 1,
                        "starts_on": start,
                        "ends_on": end,
                        "terms": SEASON_TERMS[pick % len(SEASON_TERMS)].format(
                            lead=name or "One of us"
                        ),
                        "review_on": review,
                        "created_by": self.owner[i],
                        "created_at": datetime.combine(start, datetime.min.time()),
                    }
                )
        return pd.DataFrame(rows, columns=_columns("seasons"))

    def _lead_on(self, i: int, day: date) -> int | None:
        for lead, start, end, *_ in self.seasons[i]:
            if start <= day and (end is None or day <= end):
                return lead
        return None

    def _ledger(self) -> pd.DataFrame:
        """Dated gives, mostly by the partner not leading at the time; some repaid later."""
        rng = self.rng(5)
        kinds = [k for k in ledger.KINDS if k != "other"]
        rows = []
        for i in range(self.c):
            n = min(int(rng.poisson(1.2 * self.history[i] / 365.25)), 12)
            days = np.sort(rng.uniform(0, self.history[i], n))[::-1]
            mine = []
            for ago in days:
                day = self.today - timedelta(days=int(ago))
                lead = self._lead_on(i, day)
                giver = (3 - lead) if lead and rng.random() < 0.7 else int(rng.integers(1, 3))
                mine.append(
                    {
                        "event": len(rows) + len(mine),
                        "couple": i,
                        "occurred_on": day,
                        "kind": kinds[int(rng.integers(0, len(kinds)))],
                        "giver": 2 * i + giver - 1,
                        "size": int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])),
                        "note": LEDGER_NOTES[int(rng.integers(0, len(LEDGER_NOTES)))],
                        "acknowledged": bool(rng.random() < 0.5),
                        "repaid_by": None,
                        "created_by": self.owner[i],
                        "created_at": datetime.combine(day, datetime.min.time()),
                    }
                )
            for j, e in enumerate(mine):  # a later give by the other partner repays some
                if rng.random() < 0.15:
                    later = [x for x in mine[j + 1 :] if x["giver"] != e["giver"]]
                    if later:
                        e["repaid_by"] = later[0]["event"]
            rows += mine
        return pd.DataFrame(rows, columns=_columns("ledger"))

    def _records(self) -> dict[str, pd.DataFrame]:
        """Agreements with versions, decisions with their matrix, roadmaps, sessions."""
        rng = self.rng(6)
        agreements, versions, decisions, options, factors = [], [], [], [], []
        weights, scores, roadmap, sessions_, discussed_a, discussed_d = [], [], [], [], [], []
        kinds = list(AGREEMENT_TEXT)
        for i in range(self.c):
            owner = int(self.owner[i])
            days = self.history[i]
            p1, p2 = 2 * i, 2 * i + 1
            # Sessions from the first week until a little after the couple stopped.
            gap = rng.uniform(*SESSION_EVERY_DAYS)
            last_ago = max((self.now64 - self.end[i]).astype(np.int64) / 86400 - 14, 0)
            held = np.arange(days - 7, last_ago, -gap)
            held = held + rng.uniform(-3, 3, len(held))
            mine_sessions = []
            for ago in held[held >= 0]:
                day = self.today - timedelta(days=int(ago))
                mine_sessions.append(len(sessions_))
                sessions_.append(
                    {
                        "session": len(sessions_),
                        "couple": i,
                        "held_on": day,
                        "focus": FOCUS[int(rng.integers(0, len(FOCUS)))],
                        "takeaways": TAKEAWAYS[int(rng.integers(0, len(TAKEAWAYS)))],
                        "notes": SESSION_NOTES[int(rng.integers(0, len(SESSION_NOTES)))],
                        "created_by": owner,
                        "created_at": datetime.combine(day, datetime.min.time())
                        + timedelta(hours=17),
                    }
                )

            def session_near(day: date, mine: list[int] = mine_sessions) -> int | None:
                """The couple's first session on or after `day` (where it was discussed)."""
                return next((s for s in mine if sessions_[s]["held_on"] >= day), None)

            for _ in range(min(int(rng.poisson(1.6)), 5)):
                kind = kinds[int(rng.integers(0, len(kinds)))]
                title, body = AGREEMENT_TEXT[kind]
                made_ago = rng.uniform(0, days)
                made = self.now - timedelta(days=float(made_ago))
                a = len(agreements)
                agreements.append(
                    {"agreement": a, "couple": i, "created_by": owner, "created_at": made}
                )
                n_versions = int(rng.choice([1, 2, 3, 4], p=[0.45, 0.3, 0.15, 0.1]))
                final = str(
                    rng.choice(
                        ["active", "under_review", "draft", "retired"], p=[0.55, 0.1, 0.15, 0.2]
                    )
                )
                edited = made
                for v in range(1, n_versions + 1):
                    status = final if v == n_versions else ("draft" if v == 1 else "active")
                    live = status in ("active", "under_review")
                    versions.append(
                        {
                            "agreement": a,
                            "couple": i,
                            "version": v,
                            "title": title,
                            "body": body + ("" if v == 1 else f" (Revised, version {v}.)"),
                            "kind": kind,
                            "status": status,
                            "exit_plan": "Stop early if either of us asks."
                            if kind == "trial"
                            else "",
                            # Some reviews overdue, none before the day both confirmed it
                            # (core.agreements refuses that on an edit).
                            "review_on": max(
                                self.today + timedelta(days=int(rng.uniform(-60, 200))),
                                edited.date() + timedelta(days=7),
                            )
                            if live
                            else None,
                            "confirmed_on": edited.date() if status == "active" else None,
                            "change_note": "" if v == 1 else "Tightened after the review.",
                            "edited_by": owner,
                            "edited_at": edited,
                        }
                    )
                    s = session_near(edited.date())
                    if s is not None:
                        discussed_a.append({"session": s, "agreement": a, "couple": i})
                    edited = min(self.now, edited + timedelta(days=float(rng.uniform(20, 200))))
            for _ in range(min(int(rng.poisson(0.8)), 3)):
                kind = str(rng.choice(list(DECISION_TITLES)))
                made_ago = float(rng.uniform(0, days))
                made = self.now - timedelta(days=made_ago)
                d = len(decisions)
                mine_options = []
                for pos, label in enumerate(OPTIONS[: int(rng.integers(2, 4))], start=1):
                    mine_options.append(len(options))
                    options.append(
                        {
                            "option": len(options),
                            "decision": d,
                            "couple": i,
                            "position": pos,
                            "label": label,
                            "week": "Mornings apart, evenings together." if pos == 2 else "",
                            "impact_1": "A step up for one career." if pos == 2 else "",
                            "impact_2": "The other career pauses a year." if pos == 2 else "",
                            "income_1": float(round(rng.uniform(2500, 9000), -1)),
                            "income_2": float(round(rng.uniform(2500, 9000), -1)),
                            "costs": float(round(rng.uniform(2000, 6000), -1)),
                            "cost_of_living": float(round(rng.uniform(-10, 30))),
                            "one_off": float(round(rng.uniform(0, 20000), -2)),
                        }
                    )
                mine_factors = []
                for pos, label in enumerate(
                    rng.choice(FACTORS, int(rng.integers(3, 6)), replace=False), start=1
                ):
                    mine_factors.append(len(factors))
                    factors.append(
                        {
                            "factor": len(factors),
                            "decision": d,
                            "couple": i,
                            "position": pos,
                            "label": str(label),
                        }
                    )
                for f in mine_factors:
                    for partner in (p1, p2):
                        weights.append(
                            {
                                "factor": f,
                                "partner": partner,
                                "decision": d,
                                "couple": i,
                                "weight": int(rng.integers(1, 11)),
                                "source": "session",
                                "updated_at": made,
                            }
                        )
                        for o in mine_options:
                            scores.append(
                                {
                                    "factor": f,
                                    "option": o,
                                    "partner": partner,
                                    "decision": d,
                                    "couple": i,
                                    "score": int(rng.integers(1, 11)),
                                    "source": "link" if rng.random() < 0.3 else "session",
                                    "updated_at": made,
                                }
                            )
                is_open = made_ago < 120 or rng.random() < 0.1
                status = (
                    "open" if is_open else str(rng.choice(["decided", "set_aside"], p=[0.75, 0.25]))
                )
                decided = (made + timedelta(days=float(rng.uniform(7, 60)))).date()
                decided = min(decided, self.today)
                decisions.append(
                    {
                        "decision": d,
                        "couple": i,
                        "title": DECISION_TITLES[kind],
                        "kind": kind,
                        "status": status,
                        "facts": "What we know: the offer, the dates, the money, who else is affected.",
                        "deadline_on": self.today + timedelta(days=int(rng.uniform(5, 60)))
                        if is_open
                        else None,
                        "urgency": str(rng.choice(["real", "movable", "unsure"])),
                        "urgency_note": "",
                        "outcome": "We chose together after the matrix."
                        if status == "decided"
                        else "",
                        "chosen_option": mine_options[-1] if status == "decided" else None,
                        "decided_on": decided if status == "decided" else None,
                        "follow_up_on": decided + timedelta(days=90)
                        if status == "decided"
                        else None,
                        "created_at": made,
                        "updated_at": made,
                    }
                )
                s = session_near(made.date())
                if s is not None:
                    discussed_d.append({"session": s, "decision": d, "couple": i})
            for _ in range(int(rng.integers(2, 8))):
                category = str(rng.choice(list(ROADMAP)))
                starts = self.today + timedelta(days=int(rng.uniform(-days - 365, 3 * 365)))
                who = int(rng.choice(3))
                roadmap.append(
                    {
                        "couple": i,
                        "partner": None if who == 0 else 2 * i + who - 1,
                        "category": category,
                        "title": str(rng.choice(ROADMAP[category])),
                        "starts_on": starts,
                        "ends_on": starts + timedelta(days=int(rng.uniform(30, 400)))
                        if rng.random() < 0.3
                        else None,
                        "note": "",
                        "created_at": self.now - timedelta(days=float(rng.uniform(0, days))),
                    }
                )
        self.session_rows = sessions_
        return {
            "synthetic/insert_agreements": pd.DataFrame(agreements, columns=_columns("agreements")),
            "synthetic/insert_agreement_versions": pd.DataFrame(
                versions, columns=_columns("versions")
            ),
            "synthetic/insert_decisions": pd.DataFrame(decisions, columns=_columns("decisions")),
            "synthetic/insert_decision_options": pd.DataFrame(options, columns=_columns("options")),
            "synthetic/insert_decision_factors": pd.DataFrame(factors, columns=_columns("factors")),
            "synthetic/insert_decision_weights": pd.DataFrame(weights, columns=_columns("weights")),
            "synthetic/insert_decision_scores": pd.DataFrame(scores, columns=_columns("scores")),
            "synthetic/insert_roadmap": pd.DataFrame(roadmap, columns=_columns("roadmap")),
            "synthetic/insert_sessions": pd.DataFrame(sessions_, columns=_columns("sessions")),
            "synthetic/insert_session_agreements": pd.DataFrame(
                discussed_a, columns=["session", "agreement", "couple"]
            ).drop_duplicates(["session", "agreement"]),
            "synthetic/insert_session_decisions": pd.DataFrame(
                discussed_d, columns=["session", "decision", "couple"]
            ).drop_duplicates(["session", "decision"]),
        }

    def _questionnaires(self, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Intake once per partner, CSI-4 every half year, homework exercises from sessions:
        links with valid answers to every required item (and most optional ones)."""
        rng = self.rng(7)
        intake, csi4 = instruments.load("intake"), instruments.load("csi4")
        exercises = sessions.exercises()
        links_, answers, homework, session_links = [], [], [], []

        def link(i, partner, form, created, submitted, csi_total=None):
            n = len(links_)
            expires = created + timedelta(days=14)
            links_.append(
                {
                    "link": n,
                    "couple": i,
                    "partner": partner,
                    "instrument_id": form.id,
                    "instrument_version": form.version,
                    "token_hash": None,  # set from the id (sha256), once ids are known
                    "created_by": int(self.owner[i]),
                    "created_at": created,
                    "expires_at": expires,
                    "opened_at": created + timedelta(hours=2) if submitted else None,
                    "started_at": created + timedelta(hours=2, minutes=1) if submitted else None,
                    "submitted_at": submitted,
                }
            )
            if submitted:
                hours = int(self.hours[partner])
                for item_id, value in answers_for(form, rng, hours, csi_total).items():
                    answers.append(
                        {
                            "link": n,
                            "couple": i,
                            "partner": partner,
                            "item_id": item_id,
                            "value_json": json.dumps(value, ensure_ascii=False),
                            "updated_at": submitted - timedelta(minutes=1),
                        }
                    )
            return n

        for i in range(self.c):
            start = pd.Timestamp(self.start[i]).to_pydatetime()
            end = pd.Timestamp(self.end[i]).to_pydatetime()
            for partner in (2 * i, 2 * i + 1):
                created = start + timedelta(days=float(rng.uniform(0, 3)))
                done = min(created + timedelta(days=float(rng.uniform(0.1, 10))), self.now)
                link(i, partner, intake, created, done.replace(microsecond=0))
                when = created
                while when <= end:
                    done = min(when + timedelta(days=float(rng.uniform(0.1, 7))), self.now)
                    frac = min(1.0, (when - start).days / max(self.history[i], 1))
                    level = np.interp(frac, KEY_AT, self.keys["csi_total"][partner])
                    total = int(np.clip(round(level + rng.normal(0, 1)), 0, 21))
                    link(i, partner, csi4, when, done.replace(microsecond=0), total)
                    when += timedelta(days=CSI_EVERY_DAYS + float(rng.uniform(-20, 20)))
        for s in self.session_rows:
            if rng.random() >= HOMEWORK_SHARE or not exercises:
                continue
            form = exercises[int(rng.integers(0, len(exercises)))]
            i = s["couple"]
            given = s["created_at"]
            homework.append(
                {
                    "session": s["session"],
                    "instrument_id": form.id,
                    "couple": i,
                    "assigned_at": given,
                }
            )
            for partner in (2 * i, 2 * i + 1):
                done = given + timedelta(days=float(rng.uniform(1, 13)))
                submitted = (
                    done.replace(microsecond=0) if done < self.now and rng.random() < 0.75 else None
                )
                n = link(i, partner, form, given, submitted)
                session_links.append({"session": s["session"], "link": n, "couple": i})
        return {
            "synthetic/insert_links": pd.DataFrame(links_, columns=_columns("links")),
            "synthetic/insert_answers": pd.DataFrame(answers, columns=_columns("answers")),
            "synthetic/insert_session_homework": pd.DataFrame(
                homework, columns=["session", "instrument_id", "couple", "assigned_at"]
            ),
            "synthetic/insert_session_links": pd.DataFrame(
                session_links, columns=["session", "link", "couple"]
            ),
        }

    # -- ids -------------------------------------------------------------------------------------
    def id_counts(self, frames: dict[str, pd.DataFrame], checkins: pd.DataFrame) -> dict[str, int]:
        """How many ids each sequence must give."""
        return {
            "couple_id": self.c,
            "partner_id": 2 * self.c,
            "link_id": len(checkins) + len(frames["synthetic/insert_links"]),
            "checkin_id": len(checkins),
            "ledger_event_id": len(frames["synthetic/insert_ledger"]),
            "agreement_id": len(frames["synthetic/insert_agreements"]),
            "decision_id": len(frames["synthetic/insert_decisions"]),
            "decision_option_id": len(frames["synthetic/insert_decision_options"]),
            "decision_factor_id": len(frames["synthetic/insert_decision_factors"]),
            "couple_session_id": len(frames["synthetic/insert_sessions"]),
        }

    def assign_ids(
        self, first: dict[str, int], frames: dict[str, pd.DataFrame], checkins: pd.DataFrame
    ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
        """Every index column (couple, partner, link, …) replaced by its reserved id."""
        offset = {
            "couple": first["couple_id"],
            "partner": first["partner_id"],
            "link": first["link_id"] + len(checkins),
            "event": first["ledger_event_id"],
            "agreement": first["agreement_id"],
            "decision": first["decision_id"],
            "option": first["decision_option_id"],
            "factor": first["decision_factor_id"],
            "session": first["couple_session_id"],
        }
        renames = {
            "couple": "couple_id",
            "partner": "partner_id",
            "lead_partner": "lead_partner_id",
            "giver": "giver_partner_id",
            "repaid_by": "repaid_by_id",
            "event": "id",
            "agreement": "agreement_id",
            "decision": "decision_id",
            "option": "option_id",
            "chosen_option": "chosen_option_id",
            "factor": "factor_id",
            "session": "session_id",
            "link": "link_id",
        }
        base_of = {
            "lead_partner": "partner",
            "giver": "partner",
            "repaid_by": "event",
            "chosen_option": "option",
        }
        # The table's own index becomes its `id` column.
        own = {
            "synthetic/insert_couples": "couple",
            "synthetic/insert_partners": "partner",
            "synthetic/insert_ledger": "event",
            "synthetic/insert_agreements": "agreement",
            "synthetic/insert_decisions": "decision",
            "synthetic/insert_decision_options": "option",
            "synthetic/insert_decision_factors": "factor",
            "synthetic/insert_sessions": "session",
            "synthetic/insert_links": "link",
        }
        out = {}
        for query, frame in frames.items():
            frame = frame.copy()
            names = {}
            for col in list(frame.columns):
                base = base_of.get(col, col)
                if base not in offset:
                    continue
                values = frame[col]
                if values.isna().any():
                    frame[col] = [None if pd.isna(v) else int(v) + offset[base] for v in values]
                else:
                    frame[col] = values.astype(np.int64) + offset[base]
                names[col] = "id" if own.get(query) == col else renames[col]
            out[query] = frame.rename(columns=names)
        links_ = out["synthetic/insert_links"]
        links_["token_hash"] = [_sha(f"synthetic:{self.size.seed}:{i}") for i in links_["id"]]
        n = len(checkins)
        checkins.insert(0, "id", np.arange(n, dtype=np.int64) + first["checkin_id"])
        checkins.insert(1, "link_id", np.arange(n, dtype=np.int64) + first["link_id"])
        checkins["couple"] = checkins["couple"] + first["couple_id"]
        checkins["partner"] = checkins["partner"] + first["partner_id"]
        return out, checkins.rename(columns={"couple": "couple_id", "partner": "partner_id"})


def _columns(table: str) -> list[str]:
    """Column order of each intermediate frame (index columns named after what they point at)."""
    return {
        "seasons": [
            "couple",
            "title",
            "lead_partner",
            "starts_on",
            "ends_on",
            "terms",
            "review_on",
            "created_by",
            "created_at",
        ],
        "ledger": [
            "event",
            "couple",
            "occurred_on",
            "kind",
            "giver",
            "size",
            "note",
            "acknowledged",
            "repaid_by",
            "created_by",
            "created_at",
        ],
        "agreements": ["agreement", "couple", "created_by", "created_at"],
        "versions": [
            "agreement",
            "couple",
            "version",
            "title",
            "body",
            "kind",
            "status",
            "exit_plan",
            "review_on",
            "confirmed_on",
            "change_note",
            "edited_by",
            "edited_at",
        ],
        "decisions": [
            "decision",
            "couple",
            "title",
            "kind",
            "status",
            "facts",
            "deadline_on",
            "urgency",
            "urgency_note",
            "outcome",
            "chosen_option",
            "decided_on",
            "follow_up_on",
            "created_at",
            "updated_at",
        ],
        "options": [
            "option",
            "decision",
            "couple",
            "position",
            "label",
            "week",
            "impact_1",
            "impact_2",
            "income_1",
            "income_2",
            "costs",
            "cost_of_living",
            "one_off",
        ],
        "factors": ["factor", "decision", "couple", "position", "label"],
        "weights": ["factor", "partner", "decision", "couple", "weight", "source", "updated_at"],
        "scores": [
            "factor",
            "option",
            "partner",
            "decision",
            "couple",
            "score",
            "source",
            "updated_at",
        ],
        "roadmap": [
            "couple",
            "partner",
            "category",
            "title",
            "starts_on",
            "ends_on",
            "note",
            "created_at",
        ],
        "sessions": [
            "session",
            "couple",
            "held_on",
            "focus",
            "takeaways",
            "notes",
            "created_by",
            "created_at",
        ],
        "links": [
            "link",
            "couple",
            "partner",
            "instrument_id",
            "instrument_version",
            "token_hash",
            "created_by",
            "created_at",
            "expires_at",
            "opened_at",
            "started_at",
            "submitted_at",
        ],
        "answers": ["link", "couple", "partner", "item_id", "value_json", "updated_at"],
    }[table]


def _answer(item: instruments.Item, rng: np.random.Generator, hours: int) -> Any:
    """A plausible answer to one item (None to leave an optional one blank)."""
    kind = item.type
    if item.is_private:  # counselor-only items: the healthiest answer, notes left empty
        if kind == instruments.SCALE:
            values = [int(o.value) for o in item.options]
            return min(values) if item.healthy == "low" else max(values)
        if kind == instruments.YES_NO:
            return item.healthy != "no"
        return None
    if kind in instruments.TEXT_TYPES:
        if not item.required and rng.random() < 0.25:
            return None
        return TEXT_ANSWERS[int(rng.integers(0, len(TEXT_ANSWERS)))][: item.max_chars]
    if kind in (instruments.SCALE, instruments.SINGLE):
        return item.options[int(rng.integers(0, len(item.options)))].value
    if kind == instruments.MULTI:
        most = min(3, item.max_choices or 3, len(item.options))
        picked = rng.choice(len(item.options), int(rng.integers(1, most + 1)), replace=False)
        return [item.options[int(k)].value for k in sorted(picked)]
    if kind == instruments.YES_NO:
        return bool(rng.random() < 0.5)
    step = item.step or 1
    if item.id == "work_hours":
        value = hours
    elif kind == instruments.SPLIT:
        value = rng.normal(50, 15)
    else:
        value = rng.uniform(item.min, item.max)
    steps = round((min(max(value, item.min), item.max) - item.min) / step)
    number = item.min + steps * step
    return int(number) if float(number).is_integer() else number


def csi_items(total: int) -> dict[str, int]:
    """A CSI-4 total spread over its four items (0-6, 0-5, 0-5, 0-5), as
    sql/synthetic/insert_checkin_answers.sql spreads it."""
    f6, f5 = total * 6 // 21, total * 5 // 21
    rest = total - f6 - 3 * f5
    values = (f6 + (rest >= 1), f5 + (rest >= 2), f5 + (rest >= 3), f5)
    return dict(zip(demo_history.CSI_ITEMS, (int(v) for v in values), strict=True))


def answers_for(
    form: instruments.Instrument,
    rng: np.random.Generator,
    hours: int = 40,
    csi_total: int | None = None,
) -> dict[str, Any]:
    """Plausible cleaned answers to a whole form: every required item, most optional ones
    (work hours as given; the CSI-4 items adding up to `csi_total` when one is given)."""
    out = {}
    for item in form.items:
        value = _answer(item, rng, hours)
        if value is not None:
            out[item.id] = instruments.validate_answer(item, value)
    if csi_total is not None:
        out.update({k: v for k, v in csi_items(csi_total).items() if k in out})
    return out
