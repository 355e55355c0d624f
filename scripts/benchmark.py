"""Tandem's page benchmark in the real browser, side by side with an empty Streamlit page.

    .venv/bin/python scripts/benchmark.py --db /tmp/synth-full.duckdb --runs 5

Starts Tandem (`streamlit run serve.py`, headless, its own free port, no file watcher, no usage
statistics) on a copy of the given database, and in the same run an empty Streamlit app (a
title, a button to rerun it and a link to a second page just as empty: the baseline).
Debian's Chromium, driven by Playwright with the browser tests' arguments, then measures
every page as a counselor (the caseload and each of an open couple's nine pages), an admin and
a partner: the time from navigation to idle (full load) and from an in-app click to idle, as
medians over --runs runs, next to the empty page's equivalents measured in the same runs, and
the ratio; and where that time went (before the server's first reply, the server's run, the
browser after it). It also prints start-up time, the server's memory after every page was
visited, and, when scripts/bench_server.py exists, its server-side figures (heavy queries,
answer save/submit, PDF). BENCHMARKS.md says what each figure means and holds the results
at practice scale.

"Idle" is what the browser tests wait for: the app's script run has finished, the connection
is up and the status widget is gone; for a page with charts or tables drawn as a grid, also
every chart on screen has drawn its marks and every grid on screen its canvas; for the PDF,
the file has arrived.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The browser tests' Chromium, arguments, window and idle rule.
from tests.e2e.browser import (  # noqa: E402
    CASELOAD_ROWS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    VIEWPORT,
    caseload_labels,
    caseload_link,
)
from ui.sidebar import COUPLE_LINKS, HOME_LINK, OWN_LINKS, sidebar_html  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
SERVER_START_TIMEOUT_S = 180
# Injected into every page before its own scripts. It counts the script runs that finished,
# read from the websocket (Streamlit's ForwardMsg carries `script_finished`, field 6, an enum,
# at its top level; 2 is FINISHED_EARLY_FOR_RERUN), with their messages and bytes; notes when
# the pointer went down (a click's real start); and on every animation frame checks the step's
# "done" condition, noting the frame it first holds. So a step is timed on the page's own clock,
# from the click (or the navigation) to the first frame that shows it finished, and none of
# Playwright's own round trips count.
RUN_COUNTER = """
window.__benchRuns = 0;
window.__benchFirst = null;  // when the first message after a mark arrived (performance.now())
window.__benchDone = null;  // when the last finished run's message arrived
window.__benchMsgs = 0;  // messages (one per element drawn, among others) and their bytes
window.__benchBytes = 0;
window.__benchWatch = null;  // the step's done condition: {before, kind, arg, charts}
window.__benchIdleAt = null;  // the frame it first held
window.__benchClickAt = null;
(() => {
  const Native = window.WebSocket;
  function finished(data) {
    const b = new Uint8Array(data);
    let i = 0;
    const varint = () => {
      let r = 0, s = 0, x;
      do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length);
      return r;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v !== 2; }
      else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  }
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const now = performance.now();
        if (window.__benchFirst === null) window.__benchFirst = now;
        window.__benchMsgs++;
        window.__benchBytes += e.data.byteLength || 0;
        if (e.data instanceof ArrayBuffer && finished(e.data)) {
          window.__benchRuns++;
          window.__benchDone = now;
        }
      });
    }
  };
  document.addEventListener('pointerdown', () => { window.__benchClickAt = performance.now(); },
                            true);
  const IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
             + '[data-test-connection-state="CONNECTED"]';
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  function done(w) {
    if (window.__benchRuns <= w.before || !document.querySelector(IDLE)) return false;
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    if (status && shown(status)) return false;
    const text = (el) => el.textContent.trim();
    if (w.kind === 'heading'
        && ![...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].some((h) => text(h) === w.arg))
      return false;
    if (w.kind === 'button'
        && ![...document.querySelectorAll('button')].some((b) => new RegExp(w.arg).test(text(b))))
      return false;
    if (w.kind === 'selector' && !document.querySelector(w.arg)) return false;
    if (w.table && !document.querySelector('.tandem-caseload tbody tr')) return false;
    // Every chart on screen has drawn its marks (one in a tab not shown is not drawn), and
    // every table on screen drawn by Streamlit's data grid has its canvas.
    if (w.charts && ![...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .every((c) => !shown(c) || c.querySelector('svg .role-mark, canvas'))) return false;
    if (w.charts && ![...document.querySelectorAll('[data-testid="stDataFrame"]')]
        .every((g) => !shown(g) || g.querySelector('canvas'))) return false;
    return true;
  }
  function frame(now) {
    const w = window.__benchWatch;
    if (w && window.__benchIdleAt === null && done(w)) {
      window.__benchIdleAt = performance.now();
      window.__benchWatch = null;
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
"""
# The baseline: an app with a title only, plus a button (a rerun) and a link to a second
# page that is just as empty (an in-app page change). Same Streamlit, same config.
EMPTY_APP = """import streamlit as st

st.title("Empty")
st.button("Rerun", key="rerun")
st.page_link("pages/2_Second.py", label="Second page")
"""
EMPTY_SECOND = """import streamlit as st

st.title("Second")
st.page_link("app.py", label="Empty page")
"""
# Not a baseline, an explanation: two pages as empty as the above but for a sidebar like the
# one on every counselor page of Tandem: ui/sidebar.py's HTML with a couple open, its links and
# icons, and its sign-out button. A page change between them shows what that sidebar alone
# costs a click, next to the empty page change the targets are measured against.
SIDEBAR_HTML = sidebar_html(
    [("", (HOME_LINK,)), ("Open couple", COUPLE_LINKS), ("", OWN_LINKS)],
    "A practice",
    "Signed in as <strong>A counselor</strong> (counselor)",
)
SIDEBAR_ELEMENTS = 2  # the HTML and the sign-out button


def sidebar_page(title: str, other: str, other_label: str) -> str:
    return (
        "import streamlit as st\n\n"
        f'st.title("{title}")\n'
        f'st.page_link("{other}", label="{other_label}")\n'
        "with st.sidebar:\n"
        f"    st.html({SIDEBAR_HTML!r})\n"
        '    st.button("Sign out", key="sign_out", width="stretch")\n'
    )


SIDEBAR_TITLES = ("Sidebar two", "Sidebar one")  # the page changes: to two, back to one
SIDEBAR_ONE = sidebar_page("Sidebar one", "pages/4_Sidebar_two.py", "Sidebar two")
SIDEBAR_TWO = sidebar_page("Sidebar two", "pages/3_Sidebar_one.py", "Sidebar one")

# The empty page's steps (and the partner's tap, as short as its button rerun) are measured
# this many times in each run, Tandem's other steps once.
BASELINE_REPEATS = 3

# The couple pages measured: (key, sidebar link, address, heading, charts and tables to wait
# for); the first is where a couple's name on the caseload leads, the others are reached by
# their sidebar links, in this order (Sessions last: its tab makes the summary PDF). Issue 6
# names overview, equity, questionnaires and sessions; the other five are measured since
# c9bd13e (the target is for every counselor page), after Questionnaires, so the Sessions click
# comes from the Roadmap. Their lines in the results follow the named pages', under their links.
COUPLE_PAGES = (
    ("overview", "Overview", "/Couple", "{label}", False),
    ("equity", "Equity and trends", "/Equity_and_trends", "Equity and trends · {label}", True),
    ("questionnaires", "Questionnaires", "/Questionnaires", "Questionnaires · {label}", False),
    ("checkins", "Check-ins", "/Checkins", "Check-ins · {label}", True),
    ("seasons", "Seasons and ledger", "/Seasons_and_ledger", "Seasons and ledger · {label}", True),
    ("agreements", "Agreements", "/Agreements", "Agreements · {label}", True),
    ("decisions", "Decisions", "/Decisions", "Decisions · {label}", True),
    ("roadmap", "Roadmap", "/Roadmap", "Roadmap · {label}", True),
    ("sessions", "Sessions", "/Sessions", "Sessions · {label}", False),
)

# Targets from issue 6 (at 2,000 couples x 5 years).
COUNSELOR_RATIO = 1.5
PARTNER_RATIO = 1.2
PDF_TARGET_S = 2.0
MEMORY_TARGET_MB = 400
STARTUP_TARGET_S = 3.0

BENCH_SERVER = ROOT / "scripts" / "bench_server.py"
WELCOME_BUTTON = re.compile(r"^(Start|Continue where you left off)$")
QUESTION = '[data-testid="stRadio"], [data-testid="stButtonGroup"]'


# -- servers ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


@dataclass
class Server:
    """A Streamlit process this script started (its own process group) and its address."""

    proc: subprocess.Popen
    base: str
    log: Path
    started: float  # time.perf_counter() just before the process was started
    healthy_after: float = 0.0  # seconds from start to /_stcore/health answering "ok"

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        pgid = os.getpgid(self.proc.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def start_server(script: str, cwd: Path, env: dict[str, str], log: Path) -> Server:
    """`streamlit run SCRIPT` headless on a free port; returns once its health check is ok."""
    port = free_port()
    base = f"http://localhost:{port}"
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    cmd = [
        *(python, "-m", "streamlit", "run", script),
        *("--server.headless", "true", "--server.port", str(port)),
        *("--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"),
    ]
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(proc, base, log, started)
    deadline = started + SERVER_START_TIMEOUT_S
    while not healthy(base):
        if proc.poll() is not None or time.perf_counter() > deadline:
            server.stop()
            raise SystemExit(f"{script} never answered on {base}. Log:\n{log.read_text()}")
        time.sleep(0.02)
    server.healthy_after = time.perf_counter() - started
    return server


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of one process from /proc: now (VmRSS) and its peak (VmHWM), in MB."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    except OSError:
        return {"rss_mb": float("nan"), "peak_mb": float("nan")}
    return {"rss_mb": found.get("VmRSS", float("nan")), "peak_mb": found.get("VmHWM", float("nan"))}


def group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in a process group (the server and any children)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
        except OSError:
            continue
        total += rss_mb(int(entry.name))["rss_mb"]
    return total


# -- preparing the database -------------------------------------------------------------------
@dataclass
class Prepared:
    """What the browser part needs to know about the practice, found before the server starts."""

    couples: dict[int, tuple[int, int]]  # counselor's couple id -> (sessions, check-ins)
    labels: dict[int, str]  # couple id -> label as the app shows it
    tokens: dict[str, str]  # instrument id -> a fresh partner link token
    cookies: dict[str, str]  # username -> a remember-me cookie for a sign-in recorded here
    totals: dict[str, int] = field(default_factory=dict)


def prepare(db_path: Path, args, instruments: list[str]) -> Prepared:
    """Through core, with the server not running yet: sign the counselor and the admin in (a
    recorded sign-in and its remember-me cookie, as the login form makes them; the form itself
    is not what is measured), list the counselor's couples, and issue partner links."""
    from core import accounts, couples, links
    from core.db import Database

    db = Database(db_path, os.environ.get("TANDEM_DB_KEY") or None)
    try:
        key = accounts.cookie_key(db, None)  # the server finds the same key in the database
        expires = accounts.session_expiry(24)
        cookies, actor = {}, None
        for username, password in (
            (args.counselor, args.password),
            (args.admin, args.admin_password),
        ):
            if not username:
                continue
            signed = accounts.start_session(
                db, accounts.authenticate(db, username, password), expires
            )
            cookies[username] = accounts.make_cookie(signed.username, expires, key)
            actor = actor or signed
        with db.cursor() as cur:
            rows = cur.execute(
                """
                SELECT c.id,
                       (SELECT count(*) FROM couple_sessions s WHERE s.couple_id = c.id),
                       (SELECT count(*) FROM checkins k WHERE k.couple_id = c.id),
                       list(p.name ORDER BY p.position)
                FROM couples c JOIN partners p ON p.couple_id = c.id
                WHERE c.counselor_id = ? AND c.status = 'active'
                GROUP BY c.id
                """,
                [actor.counselor_id],
            ).fetchall()
            totals = {
                t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("counselors", "couples", "checkins", "answers", "couple_sessions")
            }
        if not rows:
            raise SystemExit(f"{args.counselor} has no active couples in {db_path}.")
        info = {r[0]: (r[1], r[2]) for r in rows}
        labels = {r[0]: couples.label(*r[3]) for r in rows}
        # The partner links go to the counselor's couple with the most check-ins.
        best = max(info, key=lambda cid: (info[cid][1], info[cid][0], -cid))
        partner = db.all("couples/partners", couple_id=best)[0]
        tokens = {
            iid: links.issue(db, actor, best, partner["id"], iid).token for iid in instruments
        }
        totals["counselor_couples"] = len(rows)
        return Prepared(info, labels, tokens, cookies, totals)
    finally:
        db.close()


# -- the browser ------------------------------------------------------------------------------
def wait_idle(page) -> None:
    page.wait_for_selector(IDLE)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden")


class Sign(NamedTuple):
    """What shows that a step is done, besides idle: a heading, a button, an element."""

    kind: str  # "heading" (exact text), "button" (text matching a regex), "selector", "none"
    arg: str = ""
    table: bool = False  # and the caseload's table has drawn its first row


def heading(page, text: str) -> Sign:
    return Sign("heading", text)


def caseload(page) -> Sign:
    """The caseload is done once its table's rows are drawn, not only its heading (when it was
    Streamlit's data grid, its code was loaded and drawn after the run had arrived)."""
    return Sign("heading", "Caseload", table=True)


NOTHING_MORE = Sign("none")


class Timing(NamedTuple):
    """One measured step on the page's clock: seconds in all, how the browser saw it, and its
    start and idle as epoch seconds, to line it up with the server's log of page runs."""

    total: float  # click (pointer down) or navigation to the first frame showing it done
    before: float  # until the browser took in the server's first message
    server: float  # from then to the last run's `script_finished` message
    after: float  # from that message to done
    started_at: float  # epoch of the click or navigation
    ended_at: float  # epoch of done (the browser's clock: the same machine's)
    messages: int  # websocket messages from the server (Streamlit sends one per element)
    kbytes: float


WATCH = """(w) => {
  window.__benchIdleAt = null; window.__benchClickAt = null; window.__benchFirst = null;
  window.__benchMsgs = 0; window.__benchBytes = 0; window.__benchWatch = w;
  return performance.now();
}"""
SPLIT = """() => [performance.timeOrigin, window.__benchClickAt, window.__benchIdleAt,
  window.__benchFirst, window.__benchDone, window.__benchMsgs, window.__benchBytes / 1024]"""


def watch_spec(before: int, sign: Sign, charts: bool) -> dict:
    return {
        "before": before,
        "kind": sign.kind,
        "arg": sign.arg,
        "charts": charts,
        "table": sign.table,
    }


def measured(page, mark: float | None, timeout_s: float) -> Timing:
    """Wait for the page to note the step done; read the step's times off the page's clock."""
    page.wait_for_function("window.__benchIdleAt !== null", timeout=timeout_s * 1000)
    origin, clicked, idle, first, done, messages, kbytes = page.evaluate(SPLIT)
    start = 0.0 if mark is None else (clicked if clicked is not None and clicked >= mark else mark)
    nan = float("nan")
    before = server = after = nan
    if first is not None and done is not None:
        before, server, after = (first - start) / 1000, (done - first) / 1000, (idle - done) / 1000
    started_at, ended_at = (origin + start) / 1000, (origin + idle) / 1000
    total = (idle - start) / 1000
    return Timing(total, before, server, after, started_at, ended_at, messages, kbytes)


# A page of another site (the empty server's health check at 127.0.0.1, where the apps are at
# localhost) that a new tab shows before its full load is timed: set once the empty server is
# up. A visitor's new tab comes from another site's page or the browser's new-tab page, so the
# browser gives the app a renderer process of its own. A tab Playwright opens is about:blank,
# whose process the browser may take over for the first page, but not for a page that sends
# Cross-Origin-Opener-Policy (Tandem's security headers): from about:blank only Tandem's full
# loads waited for a new process, ~36 ms a load (40 interleaved loads of the empty page with and
# without that one header; from another site's page the two took the same time).
ELSEWHERE: str | None = None


def elsewhere(base: str) -> str:
    """The health check of the server at `base` (http://localhost:PORT), as another site."""
    return base.replace("//localhost:", "//127.0.0.1:", 1) + "/_stcore/health"


def timed_goto(page, url: str, sign: Sign, charts: bool = False) -> Timing:
    """From navigation to done: a full page load in a fresh Streamlit session (a fresh tab:
    the condition is put in before the page's own scripts, its clock starts at navigation).
    A blank tab first shows ELSEWHERE, untimed, as a visitor's tab would show another site."""
    if ELSEWHERE and page.url == "about:blank":
        page.goto(ELSEWHERE)
    page.add_init_script(f"window.__benchWatch = {json.dumps(watch_spec(0, sign, charts))};")
    page.goto(url, wait_until="commit")
    return measured(page, None, page_timeout(page))


def there_and_back(page, s: Samples, key: str, *steps: tuple[str, str]) -> None:
    """Page changes by in-page links: for each (link, heading of the page it leads to)."""
    for link, title in steps:
        go = page.get_by_role("link", name=link, exact=True)
        s.add(key, timed_click(page, go.click, heading(page, title)))


def timed_click(page, click: Callable[[], None], sign: Sign, charts: bool = False) -> Timing:
    """From an in-app click to done (the run it starts, and any it leads to)."""
    before = page.evaluate("window.__benchRuns")
    mark = page.evaluate(WATCH, watch_spec(before, sign, charts))
    click()
    return measured(page, mark, page_timeout(page))


def page_timeout(page) -> float:
    return getattr(page.context, "_bench_timeout_s", 180)


# Both servers log how long each page script ran (st.Page.run, which pages-folder apps go
# through too), so the report can say how much of a step was the page's own Python. Put on the
# servers' PYTHONPATH as sitecustomize; it changes nothing else.
RUN_LOGGER = """import sys, time

try:
    from streamlit.navigation import page as _page
except Exception:  # not a Streamlit process
    _page = None
if _page is not None:
    _run = _page.Page.run

    def _timed(self):
        t = time.perf_counter()
        try:
            return _run(self)
        finally:
            name = getattr(self, "_url_path", "") or "main"
            took = time.perf_counter() - t
            sys.stderr.write(f"TANDEM-BENCH-RUN {time.time():.6f} {took:.6f} {name}\\n")
            sys.stderr.flush()

    _page.Page.run = _timed

    # A fragment's rerun (the partner's Start, a tap on an answer) runs no page: time each
    # run's whole code instead (its widget callbacks, then the page or the fragments).
    from streamlit.runtime.scriptrunner import script_runner as _runner

    _exec = _runner.exec_func_with_error_handling

    def _timed_exec(func, ctx):
        t = time.perf_counter()
        try:
            return _exec(func, ctx)
        finally:
            took = time.perf_counter() - t
            sys.stderr.write(f"TANDEM-BENCH-EXEC {time.time():.6f} {took:.6f} run\\n")
            sys.stderr.flush()

    _runner.exec_func_with_error_handling = _timed_exec
"""
RUN_LINE = re.compile(r"^TANDEM-BENCH-RUN (\d+\.\d+) (\d+\.\d+) (\S+)$", re.MULTILINE)
EXEC_LINE = re.compile(r"^TANDEM-BENCH-EXEC (\d+\.\d+) (\d+\.\d+) (\S+)$", re.MULTILINE)


def page_runs(log: Path, line: re.Pattern = RUN_LINE) -> list[tuple[float, float]]:
    """(end time, seconds) of every page script run a server logged (with EXEC_LINE: every
    script run, a fragment's included, callbacks and all)."""
    return [(float(m[1]), float(m[2])) for m in line.finditer(log.read_text(errors="replace"))]


class Attributed(NamedTuple):
    """A step's time on one clock (seconds), split at the page runs the server logged."""

    until_run: float  # until the first page script started (request, session, page load)
    scripts: float  # the page scripts themselves
    between: float  # between the runs of a step that runs the script more than once
    after_run: float  # last run's end to idle: sending, the browser drawing, idle seen


def attribute(runs: list[tuple[float, float]], t: Timing) -> Attributed:
    """Line a step up with the page runs the server logged between its start and idle."""
    inside = [(end, took) for end, took in runs if t.started_at <= end <= t.ended_at]
    if not inside:
        nan = float("nan")
        return Attributed(nan, nan, nan, nan)
    scripts = sum(took for _, took in inside)
    first = min(end - took for end, took in inside)
    last = max(end for end, _ in inside)
    return Attributed(
        first - t.started_at, scripts, max(0.0, last - first - scripts), t.ended_at - last
    )


def unchosen_option(question):
    """The first option of a radio or pills question that is not the chosen one."""
    radio = question.get_attribute("data-testid") == "stRadio"
    options = question.locator('[role="radiogroup"] label' if radio else "button")
    for i in range(options.count()):
        option = options.nth(i)
        if radio:
            chosen = option.locator("input").is_checked()
        else:
            chosen = option.get_attribute("aria-pressed") == "true" or "Active" in (
                option.get_attribute("kind") or ""
            )
        if not chosen:
            return option
    raise SystemExit("Every option of the partner's first question is chosen.")


def sidebar_link(page, label: str):
    return page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True)


def no_exception(page, where: str) -> None:
    if page.locator('[data-testid="stException"]').count():
        raise SystemExit(f"An exception is on screen at {where}.")


@dataclass
class Samples:
    """Seconds per measurement name, one value per recorded run (and the split of each)."""

    values: dict[str, list[float]] = field(default_factory=dict)
    parts: dict[str, list[Timing]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, seconds: float | Timing) -> float:
        if isinstance(seconds, Timing):
            self.parts.setdefault(name, []).append(seconds)
            seconds = seconds.total
        self.values.setdefault(name, []).append(seconds)
        return seconds

    def median(self, name: str) -> float | None:
        found = self.values.get(name)
        return statistics.median(found) if found else None

    def median_parts(self, name: str) -> Timing | None:
        found = self.parts.get(name)
        if not found:
            return None
        return Timing(*(statistics.median(t[i] for t in found) for i in range(len(Timing._fields))))

    def attributed(self, app_log: Path, empty_log: Path) -> dict[str, Attributed]:
        """Median split of each step by who spent the time, from the servers' logs. A step
        that ran no page (a fragment's rerun) is split at its whole script runs instead."""
        app, empty = page_runs(app_log), page_runs(empty_log)
        app_exec = page_runs(app_log, EXEC_LINE)
        out = {}
        for name, found in self.parts.items():
            each = []
            for t in found:
                a = attribute(empty if name.startswith("empty.") else app, t)
                if math.isnan(a.scripts) and not name.startswith("empty."):
                    a = attribute(app_exec, t)
                each.append(a)
            out[name] = Attributed(*(statistics.median(a[i] for a in each) for i in range(4)))
        return out


class Bench:
    """One browser, three signed-in contexts (counselor, admin, partner) and the empty app."""

    def __init__(self, browser, app: str, empty: str, prep: Prepared, args):
        self.browser, self.app, self.empty, self.prep, self.args = browser, app, empty, prep, args
        self.couple_id: int | None = None

    def context(self):
        ctx = self.browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        ctx.set_default_timeout(self.args.step_timeout * 1000)
        ctx._bench_timeout_s = self.args.step_timeout
        ctx.add_init_script(RUN_COUNTER)
        return ctx

    def first_page(self, page) -> Timing:
        """A fresh browser's first page on the freshly started server (the sign-in screen);
        the tab was opened before the server started, so only the load itself is timed."""
        seconds = timed_goto(
            page,
            self.app,
            Sign("button", "^Sign in$"),
        )
        page.context.close()
        return seconds

    def signed_in(self, username: str):
        """A browser context holding that user's remember-me cookie (prepare() signed them in)."""
        ctx = self.context()
        cookie = {"name": "tandem_auth", "value": self.prep.cookies[username], "url": self.app}
        ctx.add_cookies([cookie])
        return ctx

    def sign_in_all(self) -> None:
        self.counselor = self.signed_in(self.args.counselor)
        page = self.counselor.new_page()
        timed_goto(page, self.app, caseload(page))
        no_exception(page, f"{self.args.counselor}'s caseload")
        self.couple_id = self.pick_couple(page)
        page.close()
        self.admin = self.signed_in(self.args.admin) if self.args.admin else None
        self.partner = self.context()
        self.blank = self.context()

    def pick_couple(self, page) -> int:
        """Of the couples on the caseload's first screen, the one with sessions and most data."""
        page.locator(CASELOAD_ROWS).first.wait_for(state="attached")
        on_screen = caseload_labels(page)
        # The table names couples, not ids: only labels that name one couple of this counselor.
        ids: dict[str, list[int]] = {}
        for cid, label in self.prep.labels.items():
            ids.setdefault(label, []).append(cid)
        known = [
            ids[label][0]
            for label in on_screen
            if on_screen.count(label) == 1
            and len(ids.get(label, ())) == 1
            and ids[label][0] in self.prep.couples
        ]
        if not known:
            raise SystemExit("No couple of this counselor is on the caseload's first screen.")
        return max(known, key=lambda c: (self.prep.couples[c][0] > 0, self.prep.couples[c][1]))

    # -- one run -----------------------------------------------------------------------------
    def run(self, s: Samples) -> None:
        self.run_empty(s)
        self.run_counselor(s)
        if self.admin is not None:
            self.run_admin(s)
        for iid, token in self.prep.tokens.items():
            self.run_partner(s, iid, token)

    def run_empty(self, s: Samples) -> None:
        """The baseline, measured more often than Tandem's steps in each run: every ratio
        divides by its medians, and its short steps scatter (a button rerun 25-95 ms)."""
        for i in range(BASELINE_REPEATS):
            page = self.blank.new_page()
            s.add("empty.full", timed_goto(page, self.empty, heading(page, "Empty")))
            if i < BASELINE_REPEATS - 1:
                page.close()  # the last one stays for the clicks below
        rerun = page.get_by_role("button", name="Rerun")
        for _ in range(BASELINE_REPEATS):
            s.add("empty.button", timed_click(page, rerun.click, heading(page, "Empty")))
            there_and_back(page, s, "empty.nav", ("Second page", "Second"), ("Empty page", "Empty"))
        page.close()
        # The same page change between two pages with Tandem's sidebar (an explanation, not a
        # baseline: see SIDEBAR_LINKS).
        page = self.blank.new_page()
        page.goto(f"{self.empty}/Sidebar_one")
        wait_idle(page)
        for _ in range(BASELINE_REPEATS):
            there_and_back(page, s, "empty.sidebar_nav", *[(t, t) for t in SIDEBAR_TITLES])
        page.close()

    def run_counselor(self, s: Samples) -> None:
        """One tab along a counselor's path: caseload, a couple's name, each couple page, PDF, caseload;
        then each couple page loaded afresh in a new tab by its address.

        The couple is never in the URL: the sign-in notes the couple it has open on the server,
        so a new tab (or a reload) of a couple page's address opens that couple again.
        """
        label = self.prep.labels[self.couple_id]
        page = self.counselor.new_page()
        home = timed_goto(page, self.app, caseload(page))
        no_exception(page, "caseload")
        link = caseload_link(page, label)
        opened = timed_click(page, link.click, heading(page, label))
        no_exception(page, "couple overview")
        s.add("home.full", home)
        s.add("overview.click", opened)
        for name, link, _path, title, charts in COUPLE_PAGES[1:]:
            title = title.format(label=label)
            step = timed_click(
                page,
                lambda link=link: sidebar_link(page, link).click(),
                heading(page, title),
                charts=charts,
            )
            no_exception(page, title)
            s.add(f"{name}.click", step)
        self.summary_pdf(page, s)
        s.add(
            "home.click",
            timed_click(page, lambda: sidebar_link(page, "Caseload").click(), caseload(page)),
        )
        page.close()
        for name, _link, path, title, charts in COUPLE_PAGES:
            fresh = self.counselor.new_page()
            title = title.format(label=label)
            s.add(
                f"{name}.full",
                timed_goto(fresh, self.app + path, heading(fresh, title), charts=charts),
            )
            no_exception(fresh, f"{title} (full load)")
            fresh.close()

    def summary_pdf(self, page, s: Samples) -> None:
        """Click 'Download PDF' on the session summary tab; seconds until the file is in."""
        tab = page.get_by_role("tab", name="Summary and export")
        if tab.count() == 0:
            if "pdf" not in " ".join(s.notes):
                s.notes.append("pdf: the chosen couple has no session, so no summary PDF")
            return
        tab.click()
        button = page.get_by_role("button", name="Download PDF")
        button.wait_for()
        wait_idle(page)
        t0 = time.perf_counter()
        with page.expect_download(timeout=self.args.step_timeout * 1000) as download:
            button.click()
        path = download.value.path()
        seconds = time.perf_counter() - t0
        if not Path(path).read_bytes().startswith(b"%PDF"):
            raise SystemExit("The summary download is not a PDF.")
        s.add("pdf.click", seconds)

    def run_admin(self, s: Samples) -> None:
        page = self.admin.new_page()
        s.add("admin.full", timed_goto(page, self.app, caseload(page)))
        if "whole practice" not in page.get_by_test_id("stMain").inner_text():
            raise SystemExit("The admin's caseload does not show the whole practice.")
        no_exception(page, "admin caseload")
        timed_click(
            page, lambda: sidebar_link(page, "My account").click(), heading(page, "My account")
        )
        s.add(
            "admin.click",
            timed_click(page, lambda: sidebar_link(page, "Caseload").click(), caseload(page)),
        )
        page.close()

    def run_partner(self, s: Samples, iid: str, token: str) -> None:
        """The partner's link: load (welcome screen), Start/Continue (a click), tap an answer."""
        page = self.partner.new_page()
        welcome = page.get_by_role("button").filter(has_text=WELCOME_BUTTON)
        url = f"{self.app}/Questionnaire?t={token}"
        s.add(f"partner.{iid}.full", timed_goto(page, url, Sign("button", WELCOME_BUTTON.pattern)))
        no_exception(page, f"partner link ({iid})")
        question = page.locator(QUESTION).first
        s.add(
            f"partner.{iid}.click",
            timed_click(page, lambda: welcome.first.click(), Sign("selector", QUESTION)),
        )
        # Tap an answer that is not the saved one (so the tap is a change, saved at once), a
        # few times: a tap is as short as the baseline's button rerun, and as scattered.
        for _ in range(BASELINE_REPEATS):
            option = unchosen_option(question)
            s.add(f"partner.{iid}.answer", timed_click(page, option.click, NOTHING_MORE))
            no_exception(page, f"partner link ({iid}) answer")
        page.close()


# -- the report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One line of the results table and how its empty-page equivalents are made."""

    key: str
    label: str
    target: float  # allowed ratio to the empty page
    click_baseline: str  # "empty.nav" (a page change) or "empty.button" (a rerun)
    full: bool = True


def rows_for(prep: Prepared, instruments: list[str], admin: bool) -> list[Row]:
    n = prep.totals.get("counselor_couples", 0)
    rows = [Row("home", f"Caseload, counselor ({n} couples)", COUNSELOR_RATIO, "empty.nav")]
    if admin:
        whole = prep.totals.get("couples", 0)
        rows.append(
            Row(
                "admin",
                f"Caseload, admin (whole practice, {whole})",
                COUNSELOR_RATIO,
                "empty.nav",
            )
        )
    rows += [
        Row("overview", "Couple overview (from the caseload)", COUNSELOR_RATIO, "empty.nav"),
        Row("equity", "Equity and trend charts", COUNSELOR_RATIO, "empty.nav"),
        Row("questionnaires", "Questionnaires / intake comparison", COUNSELOR_RATIO, "empty.nav"),
        Row("sessions", "Sessions", COUNSELOR_RATIO, "empty.nav"),
    ]
    named = {row.key for row in rows}
    rows += [
        Row(key, link, COUNSELOR_RATIO, "empty.nav")
        for key, link, *_ in COUPLE_PAGES
        if key not in named
    ]
    for iid in instruments:
        rows.append(
            Row(
                f"partner.{iid}",
                f"Partner link ({iid}): load, Start",
                PARTNER_RATIO,
                "empty.button",
            )
        )
        rows.append(
            Row(
                f"partner.{iid}.answer",
                f"Partner link ({iid}): tap an answer",
                PARTNER_RATIO,
                "empty.button",
                full=False,
            )
        )
    return rows


def ms(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:  # None or NaN
        return "—"
    return f"{seconds * 1000:,.0f}"


def ratio_text(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}×"


def figures(s: Samples, rows: list[Row]) -> list[dict]:
    """Medians, empty-page equivalents and ratios for every row."""
    empty_full = s.median("empty.full")
    out = []
    for row in rows:
        key = row.key.removesuffix(".answer")
        full = s.median(f"{row.key}.full") if row.full else None
        click = s.median(f"{key}.answer" if row.key.endswith(".answer") else f"{row.key}.click")
        base_full = empty_full if row.full else None
        base_click = s.median(row.click_baseline)
        full_ratio = full / base_full if full and base_full else None
        click_ratio = click / base_click if click and base_click else None
        ratios = [r for r in (full_ratio, click_ratio) if r is not None]
        out.append(
            {
                "page": row.label,
                "key": row.key,
                "full_s": full,
                "empty_full_s": base_full,
                "full_ratio": full_ratio,
                "click_s": click,
                "empty_click_s": base_click,
                "click_ratio": click_ratio,
                "target_ratio": row.target,
                "passes": bool(ratios) and all(r <= row.target for r in ratios),
                "samples": len(s.values.get(f"{key}.full") or s.values.get(f"{key}.click") or []),
            }
        )
    return out


def table(found: list[dict]) -> str:
    head = (
        "| page | full load ms | empty ms | ratio | click ms | empty ms | ratio | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    )
    lines = list(head)
    for f in found:
        lines.append(
            f"| {f['page']} | {ms(f['full_s'])} | {ms(f['empty_full_s'])} | "
            f"{ratio_text(f['full_ratio'])} | {ms(f['click_s'])} | {ms(f['empty_click_s'])} | "
            f"{ratio_text(f['click_ratio'])} | ≤{f['target_ratio']:g}× | "
            f"{'pass' if f['passes'] else 'MISS'} |"
        )
    return "\n".join(lines)


def sidebar_line(s: Samples) -> str:
    """What Tandem's sidebar alone costs a page change, against the counselor pages' target."""
    nav, side = s.median("empty.nav"), s.median("empty.sidebar_nav")
    if not nav or not side:
        return "Empty page with Tandem's sidebar: not measured"
    return (
        f"Empty page with Tandem's sidebar ({SIDEBAR_ELEMENTS} elements, no data): page change "
        f"{ms(side)} ms, "
        f"{side / nav:.2f}x the empty page's; the {COUNSELOR_RATIO:g}x target allows "
        f"{ms(nav * COUNSELOR_RATIO)} ms for a whole counselor page"
    )


def breakdown(
    s: Samples, rows: list[Row], split_by: dict[str, Attributed]
) -> tuple[str, list[dict]]:
    """Where each measured step's time went (medians): before the first reply, in the page
    scripts, in the rest of the server's work, and in the browser after the last run."""
    steps = [("Empty page: full load", "empty.full"), ("Empty page: button rerun", "empty.button")]
    steps.append(("Empty page: page change", "empty.nav"))
    steps.append(("Empty page with Tandem's sidebar: page change", "empty.sidebar_nav"))
    for row in rows:
        if row.key.endswith(".answer"):
            steps.append((row.label, row.key))
            continue
        steps.append((f"{row.label}: full load", f"{row.key}.full"))
        steps.append((f"{row.label}: click", f"{row.key}.click"))
    lines = [
        "| step | total ms | until the script starts | page scripts | between reruns "
        "| after the last run | messages | KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    found = []
    for label, key in steps:
        t, a = s.median_parts(key), split_by.get(key)
        if t is None or a is None:
            continue
        lines.append(
            f"| {label} | {ms(t.total)} | {ms(a.until_run)} | {ms(a.scripts)} "
            f"| {ms(a.between)} | {ms(a.after_run)} | {t.messages:,.0f} | {t.kbytes:,.0f} |"
        )
        browser_view = {
            "browser_until_first_message": t.before,
            "browser_first_message_to_finished": t.server,
            "browser_finished_to_idle": t.after,
        }
        sizes = {"messages": t.messages, "kbytes": t.kbytes}
        found.append(
            {"step": label, "key": key, "total": t.total} | a._asdict() | browser_view | sizes
        )
    return "\n".join(lines), found


def machine(browser_version: str) -> dict:
    """What the figures were measured on."""
    import duckdb
    import streamlit

    def first(path: str, prefix: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[-1].split("=", 1)[-1].strip().strip('"')
        except OSError:
            pass
        return "?"

    mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else None,
        "os": first("/etc/os-release", "PRETTY_NAME"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "duckdb": duckdb.__version__,
        "chromium": browser_version,
    }


def code_version() -> str:
    """The commit measured, and whether app code (app.py, core, sql, pages, ui) had changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--",
                "app.py",
                "serve.py",
                "core",
                "sql",
                "pages",
                "ui",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
    except OSError:
        return "?"
    return head + (f" + {len(changed)} changed app files" if changed else "")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def wait_quiet(limit: float, longest_s: float = 1800) -> None:
    """Wait until other work on the machine has calmed down (the 1-minute load average)."""
    deadline = time.monotonic() + longest_s
    said = False
    while float(load_average().split()[0]) >= limit and time.monotonic() < deadline:
        if not said:
            print(f"Waiting for the load average to drop below {limit:g} ({load_average()})...")
            said = True
        time.sleep(5)


def server_bench(db_path: Path) -> tuple[dict | None, str | None, str | None]:
    """scripts/bench_server.py's figures (run with the app server stopped) and its own table,
    if it exists; else a note that says why not."""
    if not BENCH_SERVER.exists():
        return None, None, "scripts/bench_server.py is not there yet: server-side figures skipped"
    spec = importlib.util.spec_from_file_location("bench_server", BENCH_SERVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "run"):
        return None, None, "scripts/bench_server.py has no run(db_path): figures skipped"
    found = module.run(str(db_path))
    shown = None
    if hasattr(module, "table"):
        try:
            shown = module.table(found)
        except Exception as e:  # its table is a nicety; the figures are printed anyway
            shown = f"(bench_server.table failed: {e!r})"
    return found, shown, None


def flatten(found: dict, prefix: str = "") -> list[tuple[str, object]]:
    out = []
    for k, v in found.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out += flatten(v, f"{name}.")
        else:
            out.append((name, v))
    return out


# -- main -------------------------------------------------------------------------------------
@contextmanager
def working_copy(db: Path, in_place: bool) -> Iterator[Path]:
    """The database the benchmark may write to (sign-ins, views, links, answers)."""
    if in_place:
        yield db
        return
    with tempfile.TemporaryDirectory(prefix="tandem-bench-db-") as tmp:
        copy = Path(tmp) / db.name
        shutil.copyfile(db, copy)
        wal = Path(f"{db}.wal")
        if wal.exists():
            shutil.copyfile(wal, f"{copy}.wal")
        yield copy


def failure_shots(browser, folder: Path) -> list[str]:
    """A screenshot of every open tab, to see where a run got stuck."""
    made = []
    for i, ctx in enumerate(browser.contexts):
        for j, page in enumerate(ctx.pages):
            path = folder / f"failure-{i}-{j}.png"
            try:
                page.screenshot(path=str(path), full_page=True, timeout=10_000)
                made.append(str(path))
            except Exception:  # a tab that cannot be drawn is no reason to hide the real error
                continue
    return made


def write_empty_app(folder: Path) -> Path:
    """The baseline app, with Tandem's own .streamlit/config.toml (same client settings)."""
    (folder / "pages").mkdir(parents=True)
    (folder / "app.py").write_text(EMPTY_APP)
    (folder / "pages" / "2_Second.py").write_text(EMPTY_SECOND)
    (folder / "pages" / "3_Sidebar_one.py").write_text(SIDEBAR_ONE)
    (folder / "pages" / "4_Sidebar_two.py").write_text(SIDEBAR_TWO)
    (folder / ".streamlit").mkdir()
    shutil.copyfile(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    return folder


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="scripts/benchmark.py", description=__doc__.split("\n\n")[0].strip()
    )
    p.add_argument("--db", required=True, type=Path, help="the practice's DuckDB file")
    p.add_argument("--runs", type=int, default=5, help="recorded runs (medians over these)")
    p.add_argument("--warmup", type=int, default=1, help="unrecorded runs first (default 1)")
    p.add_argument("--counselor", default="c01", help="a counselor's username (default c01)")
    p.add_argument("--password", default="synthetic-password", help="that counselor's password")
    p.add_argument("--admin", default="admin", help="an admin's username ('' to skip)")
    p.add_argument("--admin-password", default="admin-password")
    p.add_argument(
        "--instruments",
        default="intake,checkin",
        help="partner links to measure, comma-separated (default intake,checkin)",
    )
    p.add_argument(
        "--step-timeout",
        type=float,
        default=180,
        help="longest wait for one step, seconds (a whole-practice caseload can be slow)",
    )
    p.add_argument(
        "--wait-quiet",
        type=float,
        metavar="LOAD",
        help="first wait (at most 30 minutes) until the 1-minute load average is below LOAD",
    )
    p.add_argument(
        "--browser",
        default=CHROMIUM,
        help=f"the Chromium to drive (default {CHROMIUM}, the full browser a counselor has)",
    )
    p.add_argument(
        "--from-blank",
        action="store_true",
        help="time full loads from a blank tab, not from another site's page (see ELSEWHERE)",
    )
    p.add_argument("--in-place", action="store_true", help="use the file itself, not a copy")
    p.add_argument("--skip-server-bench", action="store_true", help="skip scripts/bench_server.py")
    p.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    p.add_argument("--logs", type=Path, help="keep the two server logs in this folder")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if not args.db.is_file():
        raise SystemExit(f"No database at {args.db}.")
    if not Path(args.browser).exists():
        raise SystemExit(
            f"No Chromium at {args.browser}: apt-get install chromium (or pass --browser)"
        )
    instruments = [i.strip() for i in args.instruments.split(",") if i.strip()]
    from playwright.sync_api import sync_playwright

    if args.wait_quiet:
        wait_quiet(args.wait_quiet)
    load_before = load_average()
    code = code_version()
    with (
        working_copy(args.db, args.in_place) as db_path,
        tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp,
    ):
        tmp = Path(tmp)
        logs = args.logs or tmp
        logs.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        prep = prepare(db_path, args, instruments)
        print(f"Prepared {db_path} in {time.perf_counter() - t:.1f} s: {prep.totals}", flush=True)
        empty_dir = write_empty_app(tmp / "empty")
        (tmp / "runlog").mkdir()
        (tmp / "runlog" / "sitecustomize.py").write_text(RUN_LOGGER)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
        paths = [str(tmp / "runlog"), *filter(None, [os.environ.get("PYTHONPATH")])]
        base_env["PYTHONPATH"] = os.pathsep.join(paths)
        app_env = base_env | {"TANDEM_DB": str(db_path)}
        if os.environ.get("TANDEM_DB_KEY"):
            app_env["TANDEM_DB_KEY"] = os.environ["TANDEM_DB_KEY"]
        samples = Samples()
        servers: list[Server] = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=args.browser, args=CHROMIUM_ARGS)
                empty = start_server("app.py", empty_dir, base_env, logs / "empty.log")
                servers.append(empty)
                # Chromium's own first navigation, before the app's start is timed.
                warm = browser.new_context(viewport=VIEWPORT)
                warm_page = warm.new_page()
                warm_page.goto(empty.base)
                warm_page.get_by_role("heading", name="Empty").wait_for()
                warm.close()
                bench = Bench(browser, "", empty.base, prep, args)
                global ELSEWHERE
                ELSEWHERE = None if args.from_blank else elsewhere(empty.base)
                first_tab = bench.context().new_page()
                if ELSEWHERE:
                    first_tab.goto(ELSEWHERE)  # before the app starts: not in its start-up time
                app = start_server("serve.py", ROOT, app_env, logs / "tandem.log")
                servers.append(app)
                bench.app = app.base
                first = bench.first_page(first_tab)
                startup = {
                    "health_s": app.healthy_after,
                    "first_page_s": time.perf_counter() - app.started,
                    "first_page_load_s": first.total,
                    "first_run_server_s": first.server,  # first reply to the run's end
                    "rss_after_start_mb": rss_mb(app.proc.pid)["rss_mb"],
                }
                print(
                    f"Start-up: health ok after {startup['health_s']:.2f} s, first page idle "
                    f"after {startup['first_page_s']:.2f} s",
                    flush=True,
                )
                bench.sign_in_all()
                print(f"Signed in; measuring couple {bench.couple_id}", flush=True)
                for i in range(args.warmup + args.runs):
                    recorded = i >= args.warmup
                    t = time.perf_counter()
                    try:
                        bench.run(samples if recorded else Samples())
                    except Exception:
                        print(
                            f"Failed; screenshots of the open tabs: {failure_shots(browser, logs)}"
                        )
                        raise
                    kind = f"run {i - args.warmup + 1}/{args.runs}" if recorded else "warm-up"
                    took = time.perf_counter() - t
                    print(f"  {kind}: {took:.1f} s, load average {load_average()}", flush=True)
                memory = rss_mb(app.proc.pid) | {"group_rss_mb": group_rss_mb(app.proc.pid)}
                found = machine(
                    browser.version
                    + ("" if args.browser == CHROMIUM else f" ({Path(args.browser).name})")
                )
                browser.close()
        finally:
            for server in servers:
                server.stop()
        for server in servers:
            log = server.log.read_text(errors="replace")
            if "Traceback" in log:
                raise SystemExit(f"A server logged an exception:\n{log}")
        split_by = samples.attributed(app.log, empty.log)
        startup["first_run_script_s"] = attribute(page_runs(app.log), first).scripts
        server_figures, server_table, server_note = None, None, "skipped (--skip-server-bench)"
        status = 0
        if not args.skip_server_bench:
            t = time.perf_counter()
            try:
                server_figures, server_table, server_note = server_bench(db_path)
            except Exception as e:  # the page figures still count: report it, exit non-zero
                server_note = f"scripts/bench_server.py FAILED: {e!r}"
                status = 1
            else:
                print(f"bench_server.run took {time.perf_counter() - t:.1f} s", flush=True)

    rows = rows_for(prep, instruments, bool(args.admin))
    results = figures(samples, rows)
    pdf = samples.median("pdf.click")
    print()
    print(
        f"Tandem page benchmark · {args.db} · {args.runs} runs (medians) after "
        f"{args.warmup} warm-up · load average {load_before} before, {load_average()} after"
    )
    print("machine: " + ", ".join(f"{k} {v}" for k, v in found.items() if k not in ("kernel",)))
    print(f"practice: {prep.totals} · code: {code}")
    print()
    print(table(results))
    print()
    split_table, splits = breakdown(samples, rows, split_by)
    print("Where the time goes (medians; the page runs' start and end from the server's log):")
    print("until the page script starts (for a full load: the page's HTML and JavaScript, the")
    print("websocket, the session), the page scripts, the gaps between a step's reruns, and")
    print("from the last run's end to idle (sending the result, the browser drawing it); and")
    print("how many websocket messages the step brought (Streamlit sends one per element).")
    print()
    print(split_table)
    print()
    print(
        f"Session summary PDF, click to file: {ms(pdf)} ms (target < {PDF_TARGET_S * 1000:,.0f} ms)"
        + ("" if pdf is None else (" pass" if pdf < PDF_TARGET_S else " MISS"))
    )
    print(
        f"Empty page: full load {ms(samples.median('empty.full'))} ms, button rerun "
        f"{ms(samples.median('empty.button'))} ms, page change {ms(samples.median('empty.nav'))} ms"
    )
    print(sidebar_line(samples))
    print(
        f"Server memory after every page: {memory['rss_mb']:.0f} MB RSS (peak "
        f"{memory['peak_mb']:.0f} MB; process group {memory['group_rss_mb']:.0f} MB) · "
        f"target < {MEMORY_TARGET_MB} MB "
        + ("pass" if memory["rss_mb"] < MEMORY_TARGET_MB else "MISS")
    )
    print(
        f"Start-up: process start to health ok {startup['health_s']:.2f} s; to the first page "
        f"idle {startup['first_page_s']:.2f} s (that page's load {startup['first_page_load_s']:.2f} s, "
        f"its script {startup['first_run_script_s']:.2f} s: imports, database open, migrations "
        f"check) · target < {STARTUP_TARGET_S:g} s "
        + ("pass" if startup["first_page_s"] < STARTUP_TARGET_S else "MISS")
    )
    if server_table:
        print("Server-side (scripts/bench_server.py):")
        print(server_table)
    elif server_figures is not None:
        print("Server-side (scripts/bench_server.py):")
        for name, value in flatten(server_figures):
            print(f"  {name}: {value}")
    else:
        print(f"Server-side: {server_note}")
    print(
        "Full loads from a blank tab (--from-blank)"
        if args.from_blank
        else "Full loads from another site's page (as a visitor's tab; --from-blank: a blank tab)"
    )
    for note in samples.notes:
        print(f"Note: {note}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "database": str(args.db),
                    "runs": args.runs,
                    "warmup": args.warmup,
                    "full_loads_from": "a blank tab" if args.from_blank else "another site",
                    "load_average": {"before": load_before, "after": load_average()},
                    "machine": found,
                    "code": code,
                    "practice": prep.totals,
                    "couple_id": bench.couple_id,
                    "pages": results,
                    "breakdown": splits,
                    "pdf_s": pdf,
                    "empty": {
                        k: samples.median(k)
                        for k in ("empty.full", "empty.button", "empty.nav", "empty.sidebar_nav")
                    },
                    "memory": memory,
                    "startup": startup,
                    "server": server_figures,
                    "server_note": server_note,
                    "samples": samples.values,
                    "notes": samples.notes,
                },
                indent=2,
                default=str,
            )
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
