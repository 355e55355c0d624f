"""Server-side timings on a (synthetic) practice: the heavy reads, the partner's saves and
submits, and start-up (issue 6).

    python -m core.manage synth --db /tmp/synth-full.duckdb      # once: the large practice
    python scripts/bench_server.py --db /tmp/synth-full.duckdb

Reads are timed as medians over several runs (after one warm-up run), through the same core
functions the pages call, signed in as c01 (the counselor with the biggest caseload) and as the
admin. Saves and submits go through real partner links issued by core for c01's couples, so
running this ADDS that many check-ins to the database: use it on a synthetic practice only.
`run(db_path)` returns the figures as a dict for other scripts (scripts/benchmark.py).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from core import (  # noqa: E402
    accounts,
    alerts,
    checkin_rows,
    checkins,
    comparison,
    couples,
    exports,
    instruments,
    links,
    sessions,
    synthetic,
    trends,
)
from core.clock import utcnow  # noqa: E402
from core.db import Database  # noqa: E402

# Targets from issue 6, in seconds. A page's core calls should stay well under this so the page
# reaches idle within 1.5x an empty Streamlit page (~57 ms per rerun, RECIPES.md).
TARGETS = {
    "startup": 3.0,
    "save_p95": 0.020,
    "submit_p95": 0.050,
    "summary_pdf": 2.0,
    "page": 0.100,
}
REPEATS = 5
WRITES = 200
COUNSELOR = "c01"


class Clock:
    """Wall and CPU seconds of one call (CPU counts every thread of this process, DuckDB's and
    vl-convert's included; on a busy machine wall time grows, CPU time much less)."""

    def __init__(self):
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def done(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def _median(fn: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of `fn` over `repeats` runs, after one untimed warm-up run."""
    fn()
    walls, cpus = [], []
    for _ in range(repeats):
        clock = Clock()
        fn()
        wall, cpu = clock.done()
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def _quantiles(values: list[float]) -> tuple[float, float]:
    """(p50, p95) of a list of durations."""
    if not values:
        return float("nan"), float("nan")
    ordered = sorted(values)
    return statistics.median(ordered), float(np.percentile(ordered, 95))


def _startup(db_path: str, repeats: int) -> tuple[float, float]:
    """Median (wall, CPU) to open the database, migrations check included (then closed)."""
    walls, cpus = [], []
    for _ in range(repeats):
        clock = Clock()
        db = Database(db_path)
        wall, cpu = clock.done()
        walls.append(wall)
        cpus.append(cpu)
        db.close()
    return statistics.median(walls), statistics.median(cpus)


def _busiest_couple(db: Database, actor) -> int:
    """The counselor's active couple with the most check-ins (the heaviest charts)."""
    mine = {r["id"] for r in couples.caseload(db, actor)}
    found = alerts.gather(db, actor)
    return max(mine, key=lambda cid: sum(p.get("checkins") or 0 for p in found[cid].partners))


def _questionnaire_answers(db: Database, actor, couple_id: int) -> dict[str, dict]:
    """What the Questionnaires page loads for its Answers tab: each partner's newest
    submission of every questionnaire (one query when core offers it, else one per form)."""
    every = [i.id for i in instruments.all_instruments()]
    latest = getattr(links, "latest_submissions", None)
    if latest is not None:
        return latest(db, actor, couple_id, every)
    return {iid: links.submitted_answers(db, actor, couple_id, iid) for iid in every}


def reads(db: Database, repeats: int = REPEATS) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each heavy read and of each page's core calls together."""
    me = accounts.authenticate(db, COUNSELOR, synthetic.COUNSELOR_PASSWORD)
    admin = accounts.authenticate(db, synthetic.ADMIN_USERNAME, synthetic.ADMIN_PASSWORD)
    cid = _busiest_couple(db, me)
    held = sessions.for_couple(db, me, cid)
    intake = instruments.load("intake")
    out: dict[str, tuple[float, float]] = {}

    def timed(label: str, fn: Callable[[], Any], times: int = repeats) -> None:
        out[label] = _median(fn, times)

    def written(fn: Callable[[], Any]) -> Callable[[], Any]:
        """`fn` as on the first view after a write that names no couple (a bulk import, say):
        nothing kept from an earlier run is reused (core/alerts.py)."""

        def first_view() -> Any:
            db.changes += 1
            db._change_log.append((db.changes, None))
            roster()
            return fn()

        return first_view

    def roster() -> None:
        """As after a write to couples, partners or counselors: the kept caseload rows
        (core.couples.caseload) are read again."""
        db.roster_changes += 1

    def rostered(fn: Callable[[], Any]) -> Callable[[], Any]:
        def first_view() -> Any:
            roster()
            return fn()

        return first_view

    def written_one(fn: Callable[[], Any]) -> Callable[[], Any]:
        """`fn` as on the first view after one couple's data was written (a check-in sent, a
        season saved): core/alerts.py reads that couple again and keeps the rest."""

        def first_view() -> Any:
            db.changes += 1
            db._change_log.append((db.changes, frozenset({cid})))
            return fn()

        return first_view

    timed("caseload, c01 (after a roster write)", rostered(lambda: couples.caseload(db, me)))
    timed("caseload, c01 (kept)", lambda: couples.caseload(db, me))
    timed("caseload alerts, c01 (after a write)", written(lambda: alerts.summaries(db, me)))
    timed(
        "caseload alerts, c01 (after a write to one couple)",
        written_one(lambda: alerts.summaries(db, me)),
    )
    timed("caseload alerts, c01 (rerun)", lambda: alerts.summaries(db, me))

    def later(actor, whole: bool) -> Callable[[], Any]:
        """The summaries a minute later each time, nothing written: judged again only for the
        couples whose check-in status may have changed since (core/alerts.py). Run just before
        midnight UTC, a step into the next day reads everything again (a new day's signals)."""
        minutes = itertools.count(1)
        return lambda: alerts.summaries(
            db, actor, whole_practice=whole, now=utcnow() + timedelta(minutes=next(minutes))
        )

    timed("caseload alerts, c01 (a minute later)", later(me, False))
    timed(
        "caseload, admin (all, after a roster write)",
        rostered(lambda: couples.caseload(db, admin, whole_practice=True)),
    )
    timed("caseload, admin (all, kept)", lambda: couples.caseload(db, admin, whole_practice=True))
    timed(
        "caseload alerts, admin (after a write)",
        written(lambda: alerts.summaries(db, admin, whole_practice=True)),
    )
    timed(
        "caseload alerts, admin (after a write to one couple)",
        written_one(lambda: alerts.summaries(db, admin, whole_practice=True)),
    )
    timed(
        "caseload alerts, admin (rerun)", lambda: alerts.summaries(db, admin, whole_practice=True)
    )
    timed("caseload alerts, admin (a minute later)", later(admin, True))
    for key in trends.RANGES:
        timed(
            f"trends buckets, {key}",
            lambda key=key: trends.buckets(db, me, cid, trends.window(db, me, cid, key)),
        )
    timed(
        "equity view, 1y", lambda: trends.equity_view(db, me, cid, trends.window(db, me, cid, "1y"))
    )
    timed(
        "equity view, all",
        lambda: trends.equity_view(db, me, cid, trends.window(db, me, cid, "all")),
    )
    timed("reliable change", lambda: trends.reliable_change(db, me, cid))
    timed("couple alerts (after a write)", written(lambda: alerts.summaries(db, me, couple_id=cid)))

    def compare() -> None:
        by_partner = links.submitted_answers(db, me, cid, "intake")
        a, b = (by_partner[p]["answers"] for p in sorted(by_partner))
        comparison.compare(intake, a, b, names=("A", "B"))

    timed("questionnaire comparison (intake)", compare)
    timed("questionnaire answers, every form", lambda: _questionnaire_answers(db, me, cid))
    timed("links of the couple", lambda: links.for_couple(db, me, cid))
    timed("newest links of the couple (overview)", lambda: links.newest_for_couple(db, me, cid))
    timed("check-in overview", lambda: checkins.overview(db, me, cid))
    timed("recent check-ins", lambda: checkins.recent(db, me, cid))
    if held:
        timed(
            "session summary PDF (charts)",
            lambda: exports.summary_pdf(db, me, cid, held[0]["id"], exports.Options(), "Bench"),
            max(1, min(repeats, 3)),
        )

    # Pages: every core call one run of the page makes (its own rows, above, summed live).
    def home(actor, whole: bool) -> None:
        couples.caseload(db, actor, whole_practice=whole)
        couples.counts(db, actor, whole)
        alerts.summaries(db, actor, whole_practice=whole)

    def equity_page(range_key: str) -> None:
        couple = couples.get(db, me, cid)
        alerts.summaries(db, me, couple_id=couple["id"])
        trends.page(db, me, couple["id"], range_key)  # window, equity, buckets, reliable change

    def questionnaires_page() -> None:
        couple = couples.get(db, me, cid)
        links.for_couple(db, me, couple["id"])
        _questionnaire_answers(db, me, couple["id"])

    def checkins_page() -> None:
        couple = couples.get(db, me, cid)
        checkins.overview(db, me, couple["id"])
        checkins.recent(db, me, couple["id"])

    timed("page: caseload, c01 (after a write)", written(lambda: home(me, False)))
    timed("page: caseload, c01 (after a write to one couple)", written_one(lambda: home(me, False)))
    timed("page: caseload, c01 (rerun)", lambda: home(me, False))
    timed("page: caseload, admin (after a write)", written(lambda: home(admin, True)))
    timed(
        "page: caseload, admin (after a write to one couple)",
        written_one(lambda: home(admin, True)),
    )
    timed("page: caseload, admin (rerun)", lambda: home(admin, True))
    timed("page: equity and trends, 1y (after a write)", written(lambda: equity_page("1y")))
    timed(
        "page: equity and trends, 1y (after a write to this couple)",
        written_one(lambda: equity_page("1y")),
    )
    timed("page: equity and trends, 1y (rerun)", lambda: equity_page("1y"))
    timed("page: equity and trends, all (rerun)", lambda: equity_page("all"))
    timed("page: questionnaires", questionnaires_page)
    timed("page: check-ins", checkins_page)
    return out


def writes(db: Database, n: int = WRITES, seed: int = 11) -> dict[str, Any]:
    """A partner's page, n times over c01's couples: open a fresh check-in link, save every
    answer one by one, submit. Returns every (wall, CPU) timing in seconds."""
    me = accounts.authenticate(db, COUNSELOR, synthetic.COUNSELOR_PASSWORD)
    rng = np.random.default_rng(seed)
    form = instruments.load(checkin_rows.CHECKIN)
    partners = [
        p for r in couples.caseload(db, me) for p in couples.get(db, me, r["id"])["partners"]
    ]
    saves, submits, opens, standing = [], [], [], []
    for k in range(n):
        partner = partners[k % len(partners)]
        issued = links.issue(db, me, partner["couple_id"], partner["id"], checkin_rows.CHECKIN)
        clock = Clock()
        links.open_link(db, issued.token, "bench")
        links.my_answers(db, issued.token)
        opens.append(clock.done())
        answers = synthetic.answers_for(form, rng, partner["weekly_hours"] or 40)
        for item_id, value in answers.items():
            clock = Clock()
            links.save_answer(db, issued.token, item_id, value)
            saves.append(clock.done())
        clock = Clock()
        links.submit(db, issued.token)
        submits.append(clock.done())
    for partner in partners[: min(20, len(partners))]:
        token = checkins.issue_standing(db, me, partner["couple_id"], partner["id"]).token
        clock = Clock()
        checkins.open_standing(db, token)
        standing.append(clock.done())
    return {"saves": saves, "submits": submits, "opens": opens, "standing": standing}


def run(db_path: str, repeats: int = REPEATS, n_writes: int = WRITES) -> dict[str, Any]:
    """Every figure in seconds as (wall, CPU) pairs: start-up and reads (medians), saves and
    submits (p50 and p95 of each, wall and CPU separately)."""
    out: dict[str, Any] = {"db": db_path, "startup": _startup(db_path, 3)}
    db = Database(db_path)
    try:
        out["reads"] = reads(db, repeats)
        done = writes(db, n_writes) if n_writes else {}
    finally:
        db.close()
    for name, pairs in done.items():
        walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
        out[f"{name}_n"] = len(pairs)
        wall_50, wall_95 = _quantiles(walls)
        cpu_50, cpu_95 = _quantiles(cpus)
        out[f"{name}_p50"], out[f"{name}_p95"] = (wall_50, cpu_50), (wall_95, cpu_95)
    return out


def _target(label: str) -> float | None:
    if label.startswith("page:"):
        return TARGETS["page"]
    if label.startswith("session summary PDF"):
        return TARGETS["summary_pdf"]
    return None


def table(result: dict[str, Any]) -> str:
    """The figures as a plain-text table (milliseconds), with the target where there is one."""
    lines = [
        f"Server timings on {result['db']} (ms; reads: median of several runs;",
        "CPU: this process's CPU time, all its threads, less sensitive to a busy machine)",
        "",
    ]
    row = "{:<42} {:>10} {:>10} {:>10}  {}"
    lines.append(row.format("what", "wall ms", "CPU ms", "target", ""))

    def add(label: str, seconds: tuple[float, float], target: float | None) -> None:
        wall, cpu = seconds
        verdict = "" if target is None else ("ok" if wall <= target else "MISSES")
        lines.append(
            row.format(
                label,
                f"{wall * 1000:,.1f}",
                f"{cpu * 1000:,.1f}",
                "" if target is None else f"{target * 1000:,.0f}",
                verdict,
            )
        )

    add("start-up (Database(), migrations check)", result["startup"], TARGETS["startup"])
    for label, seconds in result["reads"].items():
        add(label, seconds, _target(label))
    if "saves_n" in result:
        n = result["saves_n"]
        add(f"save one answer p50 (n={n})", result["saves_p50"], None)
        add(f"save one answer p95 (n={n})", result["saves_p95"], TARGETS["save_p95"])
        n = result["submits_n"]
        add(f"submit p50 (n={n})", result["submits_p50"], None)
        add(f"submit p95 (n={n})", result["submits_p95"], TARGETS["submit_p95"])
        add("partner page reads p50 (open + draft)", result["opens_p50"], None)
        add("partner page reads p95 (open + draft)", result["opens_p95"], None)
        add("standing link open p50", result["standing_p50"], None)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table for one database."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", required=True, help="a synthetic practice (python -m core.manage synth)"
    )
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per read")
    parser.add_argument(
        "--writes", type=int, default=WRITES, help="check-ins saved and submitted (0: none)"
    )
    args = parser.parse_args(argv)
    print(table(run(args.db, args.repeats, args.writes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
