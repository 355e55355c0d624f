"""`kill -9` in the middle of saving answers, several times, without a browser.

A separate process opens the database like the server does and saves partners' answers through
core in four threads (one partner link each), printing a line before each save and one after
it returns (the answer is then confirmed). The test SIGKILLs it at a random moment, opens the
file, checks it and resumes. Half the rounds make DuckDB checkpoint after almost every commit,
so kills also land inside checkpoints. Proven each round:

- the file opens (migrations, CHECKPOINT) and every table reads;
- every confirmed answer is stored: an item holds its last confirmed value, or the value whose
  save was under way at the kill (committed or not: both are fine, nothing in between);
- and at the end each partner finishes and submits, with exactly the answers last given.

The browser version, where "confirmed" is what the partner's page was told, is
tests/e2e/test_crash_recovery.py.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from core import instruments, links
from core.db import Database, migration_files
from tests.conftest import make_counselor, make_couple, make_first_admin, rows

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 4
# Each round is killed after a random number of confirmed saves in this range.
KILL_AFTER = (20, 100)
ROUND_TIMEOUT_S = 60

# The writer: one thread per link, each saving its items round-robin with ever new values.
WORKER = r"""
import json, sys, threading
from core import links
from core.db import Database, migration_files

db = Database(sys.argv[1])
if sys.argv[3] == "tiny-wal":
    with db.cursor() as cur:  # checkpoint after (nearly) every commit
        cur.execute("SET wal_autocheckpoint = '1KB'")
plan = json.loads(sys.argv[2])  # [[token, start_seq, [[item_id, [value, ...]], ...]], ...]
out = threading.Lock()

def say(*line):
    with out:
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()

def work(w, token, seq, items):
    while True:
        item, values = items[seq % len(items)]
        value = values[(seq // len(items)) % len(values)]
        say("saving", w, seq, item, value)
        stored = links.save_answer(db, token, item, value)
        say("saved", w, seq, item, stored)
        seq += 1

threads = [threading.Thread(target=work, args=(w, *p), daemon=True) for w, p in enumerate(plan)]
say("ready")
for t in threads:
    t.start()
for t in threads:
    t.join()
"""


def _items(instrument_id: str, ids: list[str], w: int) -> list[list]:
    """[[item_id, [values to cycle through]], ...] for one writer: valid answers, distinct per
    writer, texts of growing size (up to the item's limit) so the WAL gets real pages."""
    instrument = instruments.load(instrument_id)
    plan = []
    for item_id in ids:
        item = instrument.item(item_id)
        if item.options:
            values = [o.value for o in item.options]
        else:
            limit = item.max_chars or 2000
            values = [
                (f"writer {w} draft {n}:" + " ünïcode 王芳" * (n * 7))[:limit].strip()
                for n in range(12)
            ]
        plan.append([item_id, values])
    return plan


def _any_answer(item: instruments.Item):
    """A valid answer to any item, to finish a form."""
    if item.type == instruments.MULTI:
        return [item.options[0].value]
    if item.options:
        return item.options[0].value
    if item.type == instruments.YES_NO:
        return True
    if item.type in (instruments.SHORT_TEXT, instruments.LONG_TEXT):
        return "finished after the crashes"
    return item.min  # slider, split, number


def _prepare(db_path: Path) -> list[dict]:
    """Two couples: CSI-4 links for one, intake links for the other (texts); a writer each.
    The file is closed afterwards (one process per file: the writer takes it over)."""
    db = Database(db_path)
    try:
        return _issue(db, make_counselor(db, make_first_admin(db), "casey"))
    finally:
        db.close()


def _issue(db, counselor) -> list[dict]:
    writers = []
    for c, (form, ids) in enumerate(
        (
            ("csi4", ["csi4_happiness", "csi4_warm", "csi4_rewarding", "csi4_satisfied"]),
            ("intake", ["success_means", "work_legacy", "work_meaningful", "in_five_years"]),
        )
    ):
        cid = make_couple(db, counselor, f"Ana{c}", f"Ben{c}")
        for partner in db.all("couples/partners", couple_id=cid):
            issued = links.issue(db, counselor, cid, partner["id"], form, 14)
            w = len(writers)
            writers.append(
                {
                    "token": issued.token,
                    "link": issued.link_id,
                    "form": form,
                    "items": _items(form, ids, w),
                }
            )
    return writers


def _run_and_kill(db_path: Path, writers: list[dict], starts: list[int], mode: str, kill_after):
    """One round: start the writer, SIGKILL it after `kill_after` confirmed saves; every line
    it printed (all of them: what was in the pipe at the kill is read too)."""
    plan = [[w["token"], start, w["items"]] for w, start in zip(writers, starts, strict=True)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(db_path), json.dumps(plan), mode],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[list] = []
    saved = 0
    timer = threading.Timer(ROUND_TIMEOUT_S, proc.kill)  # never hang the suite
    timer.start()
    try:
        for raw in proc.stdout:
            line = json.loads(raw)
            lines.append(line)
            if line[0] == "saved":
                saved += 1
                if saved == kill_after:
                    os.kill(proc.pid, signal.SIGKILL)  # mid-flight: the others keep saving
                    break
        lines.extend(json.loads(raw) for raw in proc.stdout)  # already in the pipe
        proc.wait(timeout=10)
        stderr = proc.stderr.read()
    finally:
        timer.cancel()
    assert proc.returncode == -signal.SIGKILL, f"the writer ended by itself:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    assert saved == kill_after, f"only {saved} saves before the writer stopped:\n{stderr}"
    return lines


def _allowed(lines: list[list], writers: list[dict], known: dict) -> dict:
    """What each (link, item) may hold after the kill: its last confirmed value, or the value
    whose save had started and not been confirmed (killed before or after its commit)."""
    allowed = {key: {json.dumps(v)} for key, v in known.items()}
    last_confirmed: dict = {}
    pending: dict = {}
    for kind, w, seq, item, value in (line for line in lines if line[0] != "ready"):
        key = (writers[w]["link"], item)
        if kind == "saving":
            pending[w] = (seq, key, value)
        else:
            last_confirmed[key] = value
            pending.pop(w, None)
    for key, value in last_confirmed.items():
        allowed[key] = {json.dumps(value)}
    for _, key, value in pending.values():
        # Never stored before, and its first save killed: it may be absent (None).
        allowed.setdefault(key, {json.dumps(None)}).add(json.dumps(value))
    return allowed


def _stored(db) -> dict:
    return {
        (link_id, item): json.loads(value)
        for link_id, item, value in rows(db, "SELECT link_id, item_id, value_json FROM answers")
    }


def test_kill_9_while_saving_loses_no_confirmed_answer(db_path):
    writers = _prepare(db_path)
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    known: dict = {}  # (link, item) -> value stored after the previous round
    starts = [0] * len(writers)
    total_saved = 0
    for round_no in range(ROUNDS):
        mode = "tiny-wal" if round_no % 2 else "default"
        kill_after = rng.randint(*KILL_AFTER)
        lines = _run_and_kill(db_path, writers, starts, mode, kill_after)
        allowed = _allowed(lines, writers, known)
        total_saved += sum(1 for line in lines if line[0] == "saved")

        # The file opens as the server would open it, every table reads, a checkpoint works.
        reopened = Database(db_path)
        try:
            for table in reopened.tables():
                rows(reopened, f'SELECT * FROM "{table}"')
            rows(reopened, "CHECKPOINT")
            stored = _stored(reopened)
        finally:
            reopened.close()
        context = f"seed {seed}, round {round_no} ({mode}), killed after {kill_after} saves"
        for key, options in allowed.items():
            assert json.dumps(stored.get(key)) in options, (context, key, stored.get(key), options)
        assert set(stored) <= set(allowed), context
        known = stored
        # The next round goes on where each writer was (new values, not a replay).
        for line in lines:
            if line[0] == "saving":
                starts[line[1]] = max(starts[line[1]], line[2] + 1)
    assert total_saved >= ROUNDS * KILL_AFTER[0]

    # Every partner resumes, sees their answers as last stored, and sends them once.
    final = Database(db_path)
    try:
        for w in writers:
            mine = links.my_answers(final, w["token"])
            assert mine == {item: v for (link, item), v in known.items() if link == w["link"]}
            form = instruments.load(w["form"])
            for item in instruments.missing_required(form, mine):
                links.save_answer(final, w["token"], item, _any_answer(form.item(item)))
            assert links.submit(final, w["token"]) is True
        assert rows(final, "SELECT count(*) FROM links WHERE submitted_at IS NULL") == [(0,)]
        # Each answer exactly once per link and item.
        assert rows(
            final,
            "SELECT count(*) FROM (SELECT link_id, item_id FROM answers "
            "GROUP BY ALL HAVING count(*) > 1)",
        ) == [(0,)]
    finally:
        final.close()


OPENER = r"""
import sys, time
from core.db import Database, migration_files

print("opening", flush=True)
Database(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


def test_kill_9_during_the_first_start_migrations_leaves_a_file_that_opens(scratch):
    """A first start killed while it creates the schema (migrations, then CHECKPOINT; ~0.5 s
    here): the next start opens the file and completes the schema."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    env["PYTHONPATH"] = str(ROOT)
    killed_while_opening = 0
    for delay in (0.02, 0.1, 0.25, 0.5):
        path = Path(tempfile.mkdtemp(dir=scratch)) / "tandem.duckdb"
        proc = subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "opening"
            time.sleep(delay)
        finally:
            proc.kill()
            proc.wait(timeout=10)
        killed_while_opening += "open" not in proc.stdout.read()
        reopened = Database(path)
        try:
            versions = {r[0] for r in rows(reopened, "SELECT version FROM schema_migrations")}
            assert versions == {v for v, _, _ in migration_files()}, delay
            assert {"links", "answers"} <= set(reopened.tables())
        finally:
            reopened.close()
    assert killed_while_opening >= 1  # at least the 20 ms kill came before the schema was done
