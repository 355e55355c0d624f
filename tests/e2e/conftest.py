"""Real-browser fixtures: a Streamlit server per test module, Debian's Chromium, helpers."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from core import links
from core.db import Database
from core.settings import SETTINGS
from tests.conftest import demo_practice, make_counselor, make_couple, make_first_admin
from tests.e2e.browser import (
    CASELOAD_ROWS,
    CHROMIUM_ARGS,
    IDLE,
    TEST_CHROMIUM,
    VIEWPORT,
    caseload_link,
)

ROOT = Path(__file__).resolve().parents[2]
# The project's venv runs the server (the one pytest runs in, if there is none).
PYTHON = ROOT / ".venv" / "bin" / "python"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# A fixed signing key, so a cookie copied from one browser context is valid in another.
COOKIE_KEY = "e2e-cookie-key-0123456789abcdef0123456789abcdef0123456789abcdef"
COOKIE_NAME = "tandem_auth"
# A cold start takes ~1.5 s here; the margin is for a machine busy with other work.
SERVER_START_TIMEOUT_S = 60
# Longest wait for an element or an expectation: a first page load costs ~1.5 s and a
# rerun ~0.1 s when the machine is quiet, several times that when it is not.
STEP_TIMEOUT_MS = 20_000
expect.set_options(timeout=STEP_TIMEOUT_MS)
# Tall pages are cut here so a runaway page cannot produce a giant PNG.
SHOT_MAX_HEIGHT = 6000
# streamlit-authenticator's cookie manager (extra-streamlit-components' keys "init", "set",
# "delete"). Matched by element container: the iframe itself mounts only after the run.
COOKIE_COMPONENTS = '.st-key-init, [class*="st-key-tandem_cookie_"]'

# Known app bug: the follow-up run started by the cookie manager's "init" component (or any
# click) can remove the "set" component before its JavaScript has written the cookie. Seen
# in ~1 of 10 sign-ins on a loaded machine; test_keep_me_signed_in_survives_a_quick_first_click
# reproduces it every time.

# The browser tests' one run counter: the script runs the server reported finished to the
# page (Streamlit's `script_finished` message on its websocket; a fragment's run, as the
# partner form makes, counts too), as `window.__tandemRuns`, read by `runs_finished` and
# `rerun`; every context made by `counted_context` has it. A step can wait for a rerun whose
# screen looks as before (e.g. a second failed sign-in), and a run whose finish has arrived has
# done its work (an answer's on_change save committed before the script started). The count
# lives in the page: a reload starts it again at 0.
# It once counted the page's script-state attribute turning "running", which on a loaded
# machine (ten partner pages on two cores) sometimes never turned, the run's start and end
# reaching the page together. A second counter (FinishedRuns, the same message through
# Playwright's websocket events) was added for that; once this one read the message too, both
# counted the same thing, and FinishedRuns went.
# The page's own WebSocket is wrapped; each message's top-level protobuf fields are read for
# ForwardMsg.script_finished (a field number and enum values from Streamlit's proto).
_FINISHED_FIELD = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
_FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
RUN_COUNTER = (
    "window.__tandemRuns = 0;\n(() => {\n"
    f"  const FIELD = {_FINISHED_FIELD}, OK = {list(_FINISHED_OK)};\n"
    """  const Native = window.WebSocket;
  const varint = (b, i) => {
    let v = 0, s = 0, x;
    do { x = b[i++]; v += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length);
    return [v, i];
  };
  const finished = (data) => {
    if (!(data instanceof ArrayBuffer)) return false;
    const b = new Uint8Array(data);
    let i = 0, key, v;
    while (i < b.length) {
      [key, i] = varint(b, i);
      const field = Math.floor(key / 8), wire = key % 8;
      if (wire === 0) {
        [v, i] = varint(b, i);
        if (field === FIELD) return OK.includes(v);
      } else if (wire === 2) { [v, i] = varint(b, i); i += v; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  // Counted once Streamlit's own handler has had the message (a task later).
  class Counting extends Native {
    constructor(...args) {
      super(...args);
      if (String(args[0]).includes('/_stcore/stream')) {
        this.addEventListener('message', (e) => {
          if (finished(e.data)) setTimeout(() => { window.__tandemRuns++; }, 0);
        });
      }
    }
  }
  window.WebSocket = Counting;
})();
"""
)


# -- the server --------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group (only the group this fixture started)."""
    if proc.poll() is not None:
        return
    pgid = os.getpgid(proc.pid)
    os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        proc.wait(timeout=10)


def copy_of_the_demo(db_path: Path) -> None:
    """Write the demo practice to `db_path`: a copy of the one seeded once per test session
    (tests.conftest.demo_practice). A demo server seeds an empty database itself, but that
    took ~2.7 s of each new server's first page (the page tests cover the seeding itself)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_practice(), db_path)


def start_server(
    db_path: Path, log_path: Path, *, entry: str = "app.py", settings: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """Start a demo-mode Tandem server (`streamlit run <entry>`) on its own database and wait
    until it answers; (the process, its base URL). The caller stops it (`_stop`, or a kill).

    `entry` is "app.py" (what the tests use) or "serve.py" (production: security headers).
    `settings`: more TANDEM_* variables for this server (e.g. a short idle limit).
    A database a test prepared is served as it is; a missing one starts as the demo practice.
    """
    if not db_path.exists():
        copy_of_the_demo(db_path)
    port = _free_port()
    base = f"http://localhost:{port}"
    # A developer's own TANDEM_* settings must not reach the server under test.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    env |= {
        "TANDEM_DEMO": "1",
        "TANDEM_DB": str(db_path),
        "TANDEM_BCRYPT_ROUNDS": "4",
        "TANDEM_COOKIE_KEY": COOKIE_KEY,
        "TANDEM_REMEMBER_HOURS": SETTINGS["remember_hours"][2],
        # No idle limit, so no idle check (ui/auth.py) runs on its own in the middle of a step
        # and passes for the run a click started; test_idle_sign_out.py sets one.
        "TANDEM_IDLE_MINUTES": "0",
    } | (settings or {})
    cmd = [
        *(str(PYTHON) if PYTHON.exists() else sys.executable, "-m", "streamlit", "run", entry),
        *("--server.headless", "true", "--server.port", str(port)),
        *("--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not _healthy(base):
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            pytest.fail(f"Tandem never answered on {base}. Server log:\n{log_path.read_text()}")
        time.sleep(0.1)
    return proc, base


def assert_clean_log(log_path: Path) -> None:
    """Fail if the server logged a traceback (users must never hit one)."""
    text = log_path.read_text(errors="replace")
    if "Traceback" in text:
        pytest.fail(f"The server logged an exception (users must never hit one):\n{text}")


def partner_links(
    db_path: Path, couples: int, *instruments: str, both: bool = False
) -> dict[str, list[str]]:
    """A new practice at `db_path` (its first admin and counselor casey) with `couples` couples,
    and a fresh 14-day link to each of `instruments` for the first partner of each couple (for
    each partner, with `both`): instrument -> the links' tokens, couple by couple."""
    db = Database(db_path)
    try:
        counselor = make_counselor(db, make_first_admin(db), "casey")
        tokens: dict[str, list[str]] = {name: [] for name in instruments}
        for c in range(couples):
            cid = make_couple(db, counselor, f"Ana{c}", f"Ben{c}")
            partners = db.all("couples/partners", couple_id=cid)
            for partner in partners if both else partners[:1]:
                for name in instruments:
                    issued = links.issue(db, counselor, cid, partner["id"], name, 14)
                    tokens[name].append(issued.token)
    finally:
        db.close()
    return tokens


@contextmanager
def running_server(
    db_path: Path, log_path: Path, entry: str = "app.py", settings: dict[str, str] | None = None
) -> Iterator[str]:
    """A demo-mode Tandem server on a free port with its own database; yields the base URL.

    Fails if the server never answers, or if its log shows a traceback afterwards.
    """
    proc, base = start_server(db_path, log_path, entry=entry, settings=settings)
    try:
        yield base
    finally:
        _stop(proc)
    assert_clean_log(log_path)


@pytest.fixture(scope="module")
def server(request, tmp_path_factory) -> Iterator[str]:
    """One server per test module (tests in a module share its database); the base URL."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    db_path = tmp_path_factory.mktemp(name) / "tandem.duckdb"
    with running_server(db_path, ARTIFACTS / f"{name}.server.log") as base:
        yield base


@pytest.fixture
def fresh_server(request, tmp_path) -> Iterator[str]:
    """A server and database of its own per test, and per retry, for a test that changes what
    its retry would start from (a couple it creates, a password it changes): a first attempt
    that missed a step's timing would otherwise make every retry fail on its leftovers."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    stem = re.sub(r"[^\w.\[\]+-]", "_", request.node.name)
    log = ARTIFACTS / f"{module}.{stem}.server.log"
    with running_server(tmp_path / "tandem.duckdb", log) as base:
        yield base


# -- the browser -------------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver for the whole session."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator[Browser]:
    """Debian's Chromium headless shell (or Chromium itself); Playwright never downloads one."""
    b = playwright_driver.chromium.launch(executable_path=TEST_CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


def counted_context(browser: Browser, **options) -> BrowserContext:
    """A new browser context (`options` as for Browser.new_context; the desktop viewport
    unless given) with the step timeout and the run counter (RUN_COUNTER). The caller closes it."""
    zone = os.environ.get("TANDEM_E2E_TIMEZONE")  # e.g. Pacific/Kiritimati: the suite elsewhere
    defaults = {"viewport": VIEWPORT} | ({"timezone_id": zone} if zone else {})
    ctx = browser.new_context(**(defaults | options))
    ctx.set_default_timeout(STEP_TIMEOUT_MS)
    ctx.add_init_script(RUN_COUNTER)
    return ctx


@pytest.fixture
def new_context(browser) -> Iterator:
    """A factory of fresh browser contexts (separate cookie jars), all closed at the end."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        ctx = counted_context(browser)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def context(new_context) -> BrowserContext:
    """A fresh browser context: no cookies, no storage."""
    return new_context()


@pytest.fixture
def page(context) -> Page:
    """A page in the fresh context, 1400×900."""
    return context.new_page()


# -- helpers -----------------------------------------------------------------------------
def wait_idle(page: Page) -> None:
    """Wait until the script run has finished and the connection is up."""
    page.wait_for_selector(IDLE)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden")


def runs_finished(page: Page) -> int:
    """How many script runs the server has reported finished to this page (RUN_COUNTER)."""
    return page.evaluate("window.__tandemRuns")


def rerun(page: Page, action) -> None:
    """Do `action` (a click, a key press) and wait for the script run it starts to finish.

    For steps whose result may look like the screen before (the same error again).
    """
    runs = runs_finished(page)
    action()
    page.wait_for_function(f"window.__tandemRuns > {runs}")
    # The run's last messages are in; let the page draw them before it is read.
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    wait_idle(page)


def open_app(page: Page, url: str) -> None:
    """Load a URL and wait for its first script run to finish."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    page.get_by_test_id("stMainBlockContainer").wait_for()
    wait_idle(page)


def settle(page: Page) -> None:
    """Wait for the run, then for the follow-up run that the cookie component starts when it
    reports the browser's cookies (it renders at sign-in and sign-out; its iframe mounts up
    to ~0.7 s after the run, and its container is gone once the follow-up run is over)."""
    wait_idle(page)
    page.wait_for_function(f"!document.querySelector({COOKIE_COMPONENTS!r})")
    wait_idle(page)


def login_form(page: Page) -> Locator:
    """The sign-in form's submit button (present only while nobody is signed in)."""
    return page.get_by_role("button", name="Sign in", exact=True).last


def submit_login(page: Page, username: str, password: str) -> None:
    """Type into the real sign-in form on the current page and submit; waits for the run."""
    login_form(page).wait_for()
    page.get_by_label("Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    rerun(page, lambda: login_form(page).click())
    settle(page)


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    """Sign in through the real form (opening the app first unless a form is on screen)."""
    if not page.url.startswith(base) or login_form(page).count() == 0:
        open_app(page, base)
    submit_login(page, username, password)
    sign_out_button(page).wait_for()
    assert_no_exception(page)


def sign_out_button(page: Page) -> Locator:
    """The sidebar's sign-out button."""
    return page.locator(".st-key-sign_out button").last


def sign_out(page: Page) -> None:
    """Sign out with the sidebar button and wait for the login form."""
    rerun(page, lambda: sign_out_button(page).click())
    login_form(page).wait_for()
    settle(page)
    assert_no_exception(page)


def sidebar_link(page: Page, label: str) -> Locator:
    """A page link in the sidebar."""
    return page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True)


def go(page: Page, label: str, heading: str) -> None:
    """Navigate inside the app with a sidebar link; waits for the page's heading."""
    sidebar_link(page, label).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)


def caseload_row(page: Page, label: str) -> Locator:
    """The caseload table's row naming `label`: count it with expect(...).to_have_count(n)."""
    return page.locator(CASELOAD_ROWS).filter(has_text=label)


def open_from_caseload(page: Page, label: str) -> None:
    """Click the couple `label`'s name on the caseload; waits for the couple's page."""
    expect(caseload_row(page, label)).to_have_count(1)
    caseload_link(page, label).click()
    expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)


def assert_no_exception(page: Page) -> None:
    """Users must never see an exception box."""
    assert page.locator('[data-testid="stException"]').count() == 0, "an exception is on screen"


def auth_cookie(context: BrowserContext, timeout_s: float = 10) -> dict:
    """The remember-me cookie, once the browser has it (it is written by a component's JS;
    ui/auth.py keeps re-rendering the write until the browser reports it, so it must come)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
        if found:
            return found[0]
        time.sleep(0.05)
    pytest.fail(f"no {COOKIE_NAME} cookie after sign-in")


def shot(page: Page, name: str) -> Path:
    """A full-page PNG under test-artifacts/e2e/ (Streamlit scrolls inside stMain, so the
    viewport is stretched to the content's height for the picture)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    height = page.evaluate(
        """() => Math.max(window.innerHeight, ...[...document.querySelectorAll(
             '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]'
           )].map((e) => e.scrollHeight))"""
    )
    size = page.viewport_size or VIEWPORT
    stretched = min(int(height), SHOT_MAX_HEIGHT)
    if stretched > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": stretched})
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    if stretched > size["height"]:
        page.set_viewport_size(size)
    return path


# A real browser on a loaded 2-core machine sometimes misses a step's timing; the app is not
# at fault then. Browser tests (only they) get two more tries; a real bug fails all three.
E2E_RERUNS = 2


def pytest_collection_modifyitems(config, items):
    """Give every browser test E2E_RERUNS retries (pytest-rerunfailures)."""
    for item in items:
        if "/tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.flaky(reruns=E2E_RERUNS, reruns_delay=1))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test leaves its failure message and a screenshot of each page it had
    open (and the page's text) under test-artifacts/e2e/failed/, to see what the browser
    showed when a step timed out."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = [item.funcargs[n] for n in ("page", "phone") if n in item.funcargs]
    folder = ARTIFACTS / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.\[\]+-]", "_", item.name)  # a parameter may hold "/" (a time zone)
    # The failure itself too: a retry that passes hides the first try's message from the log.
    (folder / f"{stem}.{int(time.time())}.failure.txt").write_text(
        report.longreprtext, encoding="utf-8"
    )
    for k, page in enumerate(pages):
        try:
            if page.is_closed():
                continue
            name = f"{stem}.{k}.{int(time.time())}"
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            (folder / f"{name}.txt").write_text(page.inner_text("body"), encoding="utf-8")
        except Exception:  # noqa: BLE001, S112 - a screenshot must never hide the failure
            continue
