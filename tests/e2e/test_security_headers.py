"""The production entry point (`streamlit run serve.py`) in a real browser: every response the
browser gets carries the documented security headers, and Streamlit's front end, its charts,
components, images and the partner's phone form all work under the Content-Security-Policy
without a single violation. Another site cannot frame Tandem.

A violation is caught two ways: a `securitypolicyviolation` listener in every frame (reported
to the test through a binding) and Chromium's console message ("...violates the following
Content Security Policy directive..."). Positive controls at the end (an injected inline
script, a script from another origin) prove both are live and that inline scripts are refused.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from core import accounts, couples, demo, links
from core.db import Database
from core.frontend import PARTNER_ELEMENTS, element_files
from core.headers import CONTENT_SECURITY_POLICY
from tests.e2e.conftest import (
    ARTIFACTS,
    VIEWPORT,
    assert_no_exception,
    auth_cookie,
    caseload_link,
    caseload_row,
    counted_context,
    go,
    open_app,
    open_from_caseload,
    rerun,
    running_server,
    shot,
    sign_in,
    wait_idle,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
COUPLE = "Rachel & Marcus"
# SECURITY.md / issue 7: what every response must carry (names lower-case, as Playwright has them).
REQUIRED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
}
CHART = '[data-testid="stVegaLiteChart"]'
CHART_CODE = element_files(("ArrowVegaLiteChart",))[0]
TABLE_CODE = element_files(("DataFrame",))[0]
# Whether the page has loaded a file of that name.
LOADED = "(f) => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/' + f))"
# Vega draws each mark as a group with a class like "mark-line" or "mark-rect".
MARK_PATHS = 'svg [class*="mark-"] path'
# Runs in every frame (the page and the components' iframes) before any of their scripts.
CSP_PROBE = """
document.addEventListener('securitypolicyviolation', (e) => window.__tandemCsp({
  directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
  line: e.lineNumber, sample: e.sample, frame: location.href,
}), true);
"""
# Whether the page script asked for a file at once (`<link rel="modulepreload">`).
PRELOADED = "(f) => document.querySelector(`link[rel=modulepreload][href$='/${f}']`) !== null"


class Watch:
    """What a browser context saw: CSP violations, CSP console messages, page errors and
    the headers of every HTTP response from the server under test."""

    def __init__(self, base: str):
        self.base = base
        self.violations: list[dict] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.responses: list[tuple[str, dict[str, str]]] = []

    def attach(self, ctx: BrowserContext) -> BrowserContext:
        ctx.expose_binding("__tandemCsp", lambda _source, v: self.violations.append(v))
        ctx.add_init_script(CSP_PROBE)
        ctx.on("page", self._page)
        ctx.on("response", self._response)
        return ctx

    def _page(self, page: Page) -> None:
        page.on("console", lambda m: self._console(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, text: str) -> None:
        if "content security policy" in text.lower():
            self.console.append(text)

    def _response(self, response) -> None:
        if response.url.startswith(self.base):
            self.responses.append((response.url, response.headers))

    def assert_clean(self) -> None:
        assert self.violations == [], f"CSP violations: {self.violations}"
        assert self.console == [], f"CSP console messages: {self.console}"
        assert self.errors == [], f"JavaScript errors: {self.errors}"

    def assert_headers_everywhere(self) -> None:
        """Every HTTP response from Tandem (HTML, scripts, styles, fonts, media, component
        pages, health and host checks) carries the documented headers."""
        assert self.responses, "no response was seen"
        for url, headers in self.responses:
            for name, value in REQUIRED.items():
                assert headers.get(name) == value, f"{url}: {name} = {headers.get(name)!r}"


def _prepare(db_path: Path) -> str:
    """The demo practice, plus an intake link for Zoë issued through core (its token)."""
    db = Database(db_path)
    try:
        demo.seed(db)
        actor = accounts.authenticate(db, "demo", "demo-password")
        couple = next(c for c in couples.caseload(db, actor, q="Zoë") if "Łukasz" in c["label"])
        zoe = next(
            p for p in db.all("couples/partners", couple_id=couple["id"]) if p["name"] == "Zoë"
        )
        return links.issue(db, actor, couple["id"], zoe["id"], "intake", 14).token
    finally:
        db.close()


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A server started the production way (serve.py); (base URL, a partner's intake token)."""
    db_path = tmp_path_factory.mktemp("security_headers") / "tandem.duckdb"
    token = _prepare(db_path)
    log = ARTIFACTS / "test_security_headers.server.log"
    with running_server(db_path, log, entry="serve.py") as base:
        yield base, token


def _context(browser, watch: Watch, **options) -> BrowserContext:
    return watch.attach(counted_context(browser, **options))


def _charts_drawn(page: Page, expected: int) -> None:
    """`expected` Vega charts drew marks (SVG paths), not just an empty frame."""
    expect(page.locator(CHART)).to_have_count(expected)
    for chart in page.locator(CHART).all():
        expect(chart.locator(MARK_PATHS).first).to_be_attached()


def test_headers_on_the_html_and_the_health_check(production):
    base, _ = production
    for path in ("/", "/_stcore/health", f"/Questionnaire?t={'x' * 43}"):
        with urllib.request.urlopen(f"{base}{path}", timeout=10) as r:
            assert r.status == 200
            for name, value in REQUIRED.items():
                assert r.headers.get(name) == value, f"{path}: {name}"
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"
    # No inline script runs unless it is one of the hashed ones the pinned packages ship.
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["script-src"].count("'sha256-") >= 2


IN_MAIN = """() => {
  const el = document.activeElement;
  return !!(el && el !== document.body && el.closest('[data-testid="stMain"]'));
}"""


def test_counselor_pages_and_partner_form_run_without_a_csp_violation(production, browser):
    base, intake_token = production
    watch = Watch(base)
    ctx = _context(browser, watch, viewport=VIEWPORT)
    phone_ctx = None
    try:
        page = ctx.new_page()
        response = page.goto(base)
        assert response is not None
        for name, value in REQUIRED.items():
            assert response.headers.get(name) == value, name
        # The login page (with the demo banner and the cookie component), then sign in.
        page.get_by_role("button", name="Sign in", exact=True).last.wait_for()
        wait_idle(page)
        shot(page, "security-1-login-under-csp")
        sign_in(page, base, "demo", "demo-password")
        # The remember-me cookie is written by the cookie component's JavaScript, which starts
        # with an inline (hashed) webpack runtime: it ran under the policy.
        auth_cookie(ctx)
        expect(page.get_by_role("heading", name="Caseload", exact=True)).to_be_visible()
        expect(caseload_row(page, "Safety answer")).to_have_count(1)
        assert_no_exception(page)
        # Tandem's page script loads the charts' code once the caseload is idle (core/frontend.py).
        page.wait_for_function(LOADED, arg=CHART_CODE)
        # The caseload's own elements' code was asked for from the start, at the app's root.
        assert page.evaluate(PRELOADED, element_files(("Selectbox",))[0])

        # A couple's name on the caseload changes page inside the app (the page script, part 8):
        # the same document, no new session; the browser's Back returns the same way.
        page.evaluate("window.__sameDocument = true")
        open_from_caseload(page, COUPLE)
        assert "/Couple?open=" in page.url
        page.go_back()
        expect(page.get_by_role("heading", name="Caseload", exact=True)).to_be_visible()
        wait_idle(page)
        page.go_forward()
        expect(page.get_by_role("heading", name=COUPLE, exact=True)).to_be_visible()
        wait_idle(page)
        assert page.evaluate("window.__sameDocument === true"), "the couple's page was reloaded"
        # From the keyboard: the link goes with the caseload, and the couple's heading takes the
        # focus once its page is drawn; Tab then goes on into the page, not back to the sidebar.
        go(page, "Caseload", "Caseload")
        caseload_link(page, COUPLE).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=COUPLE, exact=True)).to_be_focused()
        wait_idle(page)
        page.keyboard.press("Tab")
        assert page.evaluate(IN_MAIN), "Tab after opening a couple left the page's main part"

        go(page, "Equity and trends", f"Equity and trends · {COUPLE}")
        _charts_drawn(page, 2)
        expect(
            page.locator('[data-testid="stVegaLiteChart"] .mark-line path').first
        ).to_be_visible()
        shot(page, "security-2-equity-charts-under-csp")

        # A new link: its QR code is an image inside the page's message (a data: URI), not
        # one Streamlit's media endpoint would serve to anyone with its address.
        go(page, "Questionnaires", f"Questionnaires · {COUPLE}")
        page.locator('[class*="st-key-send-"][class*="-go"] button').first.click()
        qr = page.locator('[data-testid="stImage"] img').first
        expect(qr).to_be_visible()
        link = page.get_by_test_id("stCode").filter(has_text="/Questionnaire?t=").first
        expect(link).to_be_visible()
        wait_idle(page)
        assert qr.evaluate("i => i.complete && i.naturalWidth") > 0
        assert qr.get_attribute("src").startswith("data:image/png;base64,")
        assert_no_exception(page)
        shot(page, "security-3-questionnaires-qr-under-csp")

        # A session summary downloads from its button (the browser asks for it from this
        # page); its address opened in a new tab, as from the download list, finds nothing.
        go(page, "Sessions", f"Sessions · {COUPLE}")
        page.get_by_role("tab", name="Summary and export").click()
        wait_idle(page)
        with page.expect_download(timeout=60_000) as md:
            page.get_by_role("button", name="Download Markdown").click()
        assert md.value.path().read_text(encoding="utf-8").startswith("# Session summary")
        pasted = ctx.new_page()
        response = pasted.goto(md.value.url)
        assert response is not None and response.status == 404
        pasted.close()

        # Zoë's phone: her intake link (issued through core before the server started), with
        # the phone styles, pills, radios and a text answer, each saved by a script run.
        phone_ctx = _context(browser, watch, viewport=PHONE, is_mobile=True, has_touch=True)
        phone = phone_ctx.new_page()
        open_app(phone, f"{base}/Questionnaire?t={intake_token}")
        expect(phone.get_by_text("Hello Zoë.")).to_be_visible()
        # The base-URL hint in index.html (core/headers.py) ran under the policy: the front end
        # connected at once instead of first asking /Questionnaire/_stcore/health (issue 6).
        assert phone.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == f"{base}/"
        assert not [u for u, _ in watch.responses if "/Questionnaire/_stcore/" in u]
        # The form's element code is loaded while the welcome screen is read; the charts' never.
        phone.wait_for_function(LOADED, arg=element_files(PARTNER_ELEMENTS)[0])
        assert not phone.evaluate(LOADED, CHART_CODE)
        assert not phone.evaluate(LOADED, TABLE_CODE)
        # The phone styles' code was asked for from the start (core/frontend.py).
        html_code = element_files(("Html",))[0]
        assert phone.evaluate(PRELOADED, html_code)
        # A retried test finds this link's earlier answers: pick answers it does not hold yet.
        start = phone.get_by_role("button", name="Start").or_(
            phone.get_by_role("button", name="Continue where you left off")
        )
        rerun(phone, start.click)
        pills = phone.get_by_test_id("stButtonGroup").first
        value = pills.locator('[role="radio"][aria-checked="false"]').first.inner_text().strip()
        pill = pills.get_by_role("radio", name=value, exact=True)
        rerun(phone, pill.click)
        expect(pill).to_have_attribute("aria-checked", "true")
        radios = phone.get_by_test_id("stRadio").first
        label = radios.locator("label:has(input[type=radio]:not(:checked))").first.inner_text()
        rerun(phone, radios.get_by_text(label.strip(), exact=True).click)
        text = phone.locator('[data-testid="stTextInput"] input').last  # a short answer
        text.fill(f"Ünïcode and <b>markup</b> stay text ({time.time():.0f})")
        rerun(phone, lambda: text.press("Enter"))
        expect(phone.get_by_text("Each answer is saved as you give it.")).to_be_visible()
        assert_no_exception(phone)
        shot(phone, "security-4-partner-form-under-csp")

        watch.assert_clean()
        watch.assert_headers_everywhere()
        kinds = {re.sub(r"\?.*", "", u).rsplit(".", 1)[-1] for u, _ in watch.responses}
        assert {"js", "css"} <= kinds, kinds  # the bundle itself was checked, not only HTML
        media = [u for u, _ in watch.responses if "/media/" in u and "/static/media/" not in u]
        # The QR is inline (/static/media/ holds only fonts and icons); the one file served
        # from /media/ is the summary downloaded above, once from its button, once refused.
        assert set(media) == {md.value.url}, media

        # Positive controls, which also prove the detectors live: an injected inline script
        # (XSS) and a script from another origin are both refused.
        page.evaluate(
            """() => {
                 const inline = document.createElement('script');
                 inline.textContent = 'window.__injected = true';
                 document.head.append(inline);
                 const remote = document.createElement('script');
                 remote.src = 'https://cdn.example.invalid/x.js';
                 document.head.append(remote);
               }"""
        )
        for _ in range(50):  # the binding's reports arrive while Playwright waits
            if len(watch.violations) >= 2 and len(watch.console) >= 2:
                break
            page.wait_for_timeout(100)
        assert page.evaluate("() => window.__injected") is None
        blocked = sorted((v["directive"], v["blocked"]) for v in watch.violations)
        assert blocked == [
            ("script-src-elem", "https://cdn.example.invalid/x.js"),
            ("script-src-elem", "inline"),
        ], blocked
        assert len(watch.console) == 2, watch.console
    finally:
        if phone_ctx is not None:
            phone_ctx.close()
        ctx.close()


def _another_site(base: str) -> Iterator[str]:
    """A page on another origin (a loopback address, so Chromium's local-network checks let
    it reach Tandem at all) that frames Tandem's home page under a lure; its URL."""
    body = f'<h1>Win a prize</h1><iframe id="t" src="{base}/" width="900" height="600"></iframe>'

    class Lure(BaseHTTPRequestHandler):
        def do_GET(self):
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Lure)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_another_site_cannot_frame_tandem(production, browser):
    """Clickjacking: a page on another origin that frames Tandem gets a refused, empty frame."""
    base, _ = production
    watch = Watch(base)
    ctx = _context(browser, watch, viewport=VIEWPORT)
    refused: list[str] = []
    ctx.on("requestfailed", lambda r: refused.append(f"{r.url} {r.failure}"))
    try:
        page = ctx.new_page()
        with contextmanager(_another_site)(base) as lure:
            page.goto(lure)
            expect(page.get_by_role("heading", name="Win a prize")).to_be_visible()
            for _ in range(100):  # the console report arrives while Playwright waits
                if watch.console:
                    break
                page.wait_for_timeout(100)
        assert any("frame-ancestors 'self'" in m for m in watch.console), watch.console
        assert any(r.startswith(f"{base}/ ") and "BLOCKED_BY_RESPONSE" in r for r in refused)
        framed = [f for f in page.frames if f != page.main_frame]
        assert [f.url for f in framed] == ["chrome-error://chromewebdata/"]
        assert page.frame_locator("#t").locator('[data-testid="stApp"]').count() == 0
        shot(page, "security-6-framed-by-another-site")
    finally:
        ctx.close()
