"""AppTest fixtures: the real app.py and pages against a temp database, per test."""

from __future__ import annotations

import html
import json
import re
import types
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import accounts, demo, frontend
from core.settings import SETTINGS
from ui import state

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
# Pages a visitor may open without signing in: a partner's link page (the token is the key).
PUBLIC_PAGES = ["pages/5_Questionnaire.py"]
PAGES = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "pages").glob("*.py")
    if str(p.relative_to(ROOT)) not in PUBLIC_PAGES
)
DEMO_PASSWORDS = {a["username"]: a["password"] for a in demo.DEMO_ACCOUNTS}


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch):
    """A developer's own TANDEM_* variables must not leak into page tests."""
    for env_name, *_ in SETTINGS.values():
        monkeypatch.delenv(env_name, raising=False)


@pytest.fixture(autouse=True, scope="session")
def _app_test_setup_done_once():
    """Two things each AppTest does again that no test changes, done once per test process:
    - a new app scans every installed package's metadata for Streamlit components (~0.1 s of
      CPU each, most of it parsing the metadata's mail-style headers: 28% of the CPU of
      test_nonsense_pages.py, 67 core-seconds before, 48 after);
    - each run reads, parses (for "magic") and compiles every script it runs into a new cache.
    The scan's answer and one script cache are handed to every app instead (the scripts are
    files of this repository, unchanged while the tests run)."""
    from streamlit.components.v2 import manifest_scanner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    found = manifest_scanner.scan_component_manifests()
    scripts = ScriptCache()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda *a, **k: list(found))
        patch.setattr(app_test, "ScriptCache", lambda: scripts)
        yield


COOKIE_KEY = "test-cookie-key-that-is-long-enough-for-hs256"  # signs the remember-me cookie


def new_app(db_path, *, demo_mode: bool = True) -> AppTest:
    """The entry script with its own database, not yet run."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["database_path"] = str(db_path)
    at.secrets["demo"] = "1" if demo_mode else "0"
    at.secrets["cookie_key"] = COOKIE_KEY
    return at


def fake_client(monkeypatch, ip: str = "203.0.113.7", cookies: dict | None = None) -> None:
    """What a real server hands a page about its browser: a string address and the cookies
    (AppTest's runtime context is a mock, whose `st.context.ip_address` is a MagicMock)."""
    from streamlit.runtime import context as st_context

    client = types.SimpleNamespace(headers=(), cookies=cookies or {}, remote_ip=ip)
    monkeypatch.setattr(st_context, "_get_client_context", lambda: client)


def signed_in(db, db_path, username: str, page: str | None = None) -> AppTest:
    """An app whose session is already signed in (a live server-side session) as `username`."""
    actor = accounts.authenticate(db, username, DEMO_PASSWORDS.get(username, "test-password-1"))
    actor = accounts.start_session(db, actor, accounts.session_expiry(1))
    at = new_app(db_path)
    at.session_state[state.ACTOR] = actor
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def visible_text(at: AppTest) -> str:
    """Everything the page shows as text, joined (Markdown escapes removed)."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
        "success",
        "toast",
    ):
        parts.extend(str(el.value) for el in getattr(at, kind))
    parts.extend(str(el.label) for el in at.button)
    for table in at.dataframe:
        frame = table.value
        parts.extend(str(c) for c in frame.columns)
        parts.extend(str(v) for v in frame.to_numpy().ravel())
    parts.extend(_Text.of(body) for body in html_bodies(at))
    return "\n".join(parts).replace("\\", "")


def pinned(table) -> set[str]:
    """The columns a data grid keeps on the left while it scrolls sideways."""
    return {c for c, v in json.loads(table.proto.columns or "{}").items() if v.get("pinned")}


def html_bodies(at: AppTest) -> list[str]:
    """The HTML of every st.html element on the page."""
    return [el.proto.body for el in at.get("html")]


def _table_body(at: AppTest, cls: str) -> str:
    bodies = [b for b in html_bodies(at) if f'class="{cls}"' in b]
    assert len(bodies) == 1, f"no single table {cls} on the page"
    return bodies[0]


def html_table(at: AppTest, cls: str) -> list[dict[str, str]]:
    """The rows of a table that ui.tables.table_html drew in a region of class `cls`: {column
    heading: the cell's text} (an empty cell's dash is "—")."""
    parser = _Rows()
    parser.feed(_table_body(at, cls))
    return [dict(zip(parser.head, r["cells"], strict=True)) for r in parser.rows]


def html_pinned(at: AppTest, cls: str) -> set[str]:
    """The headings of the columns such a table keeps at the left while it scrolls sideways."""
    return set(re.findall(r'<th scope="col" class="pin[^"]*">([^<]*)</th>', _table_body(at, cls)))


def profile_cards(at: AppTest) -> list[dict]:
    """The couple overview's partner cards (ui/profiles.py), in order: each one's name, its
    details' lines and its questionnaires' lines (as HTML: a status is in <b>)."""
    body = next(b for b in html_bodies(at) if 'class="tandem-profiles"' in b)
    cards = []
    for section in re.findall(r"<section>(.*?)</section>", body, re.S):
        name = re.search(r"<h2>(.*?)</h2>", section, re.S).group(1)
        details, _caption, status = re.findall(r"<p[^>]*>(.*?)</p>", section, re.S)
        cards.append(
            {
                "name": html.unescape(name),
                "details": details.split("<br>"),
                "status": status.split("<br>"),
            }
        )
    return cards


class _Text(HTMLParser):
    """An HTML body's text, without its tags, its style sheet and what is hidden from screen
    readers (the sidebar's icons, aria-hidden spans)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.spans: list[bool] = []  # open spans: hidden or not

    @classmethod
    def of(cls, body: str) -> str:
        parser = cls()
        parser.feed(body)
        return " ".join(p.strip() for p in parser.parts if p.strip())

    def handle_starttag(self, tag, attrs):
        self.skip += tag == "style"
        if tag == "span":
            self.spans.append(("aria-hidden", "true") in attrs)

    def handle_endtag(self, tag):
        self.skip -= tag == "style"
        if tag == "span" and self.spans:
            self.spans.pop()

    def handle_data(self, data):
        if not self.skip and not any(self.spans):
            self.parts.append(data)


@dataclass(frozen=True)
class SidebarLink:
    label: str
    href: str
    current: bool  # marked as the page on screen (aria-current)


class _Links(_Text):
    """The links of an HTML body, with their text as a screen reader reads it."""

    def __init__(self):
        super().__init__()
        self.links: list[SidebarLink] = []
        self.open: dict | None = None

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag == "a":
            a = dict(attrs)
            self.open = {"href": a.get("href") or "", "current": a.get("aria-current") == "page"}
            self.parts = []

    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        if tag == "a" and self.open is not None:
            label = " ".join(p.strip() for p in self.parts if p.strip())
            self.links.append(SidebarLink(label, self.open["href"], self.open["current"]))
            self.open = None


def sidebar_links(at: AppTest) -> list[SidebarLink]:
    """The sidebar's page links: one HTML element where the page script follows them (served by
    serve.py, the `served` fixture), else Streamlit's page links (ui/sidebar.py)."""
    parser = _Links()
    for el in at.sidebar.get("html"):
        parser.feed(el.proto.body)
    pages = [
        SidebarLink(el.proto.label, el.proto.page, False) for el in at.sidebar.get("page_link")
    ]
    return parser.links + pages


@pytest.fixture
def served(monkeypatch):
    """Pages drawn as under serve.py, which puts the page script into them."""
    monkeypatch.setattr(frontend, "_served", True)


class _Rows(HTMLParser):
    """The caseload table's body rows: each row's cells' text, its badges and its link."""

    def __init__(self):
        super().__init__()
        self.head: list[str] = []
        self.rows: list[dict] = []
        self.cell: list[str] | None = None
        self.in_head = False
        self.row: dict | None = None
        self.link: list[str] | None = None  # the text of the link being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.row = {"cells": [], "badges": [], "href": None}
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag == "a" and self.row is not None:
            self.row["href"] = attrs.get("href")
            self.link = []
        elif tag == "span" and "badge" in (attrs.get("class") or "") and self.row is not None:
            self.row["badges"].append("")

    def handle_endtag(self, tag):
        if tag == "a" and self.row is not None and self.link is not None:
            self.row["name"] = "".join(self.link).strip()
            self.link = None
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.cell is not None:
            text = "".join(self.cell).strip()
            if self.in_head:
                self.head.append(text.replace("\u2011", "-"))  # a non-breaking hyphen
            elif self.row is not None:
                self.row["cells"].append(text)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.link is not None:
            self.link.append(data)
        if self.cell is not None:
            self.cell.append(data)
            if self.row is not None and self.row["badges"] and self.row["badges"][-1] == "":
                self.row["badges"][-1] = data


def caseload_rows(at: AppTest) -> list[dict]:
    """The caseload table's rows as the browser shows them: {column heading: text}, except
    "Couple", the link's text (the couple's name) with "About" the line under it, plus "alerts"
    (the badges' words, in order) and "href" (the couple's link)."""
    bodies = [b for b in html_bodies(at) if "tandem-caseload" in b]
    assert len(bodies) == 1, "no single caseload table on the page"
    parser = _Rows()
    parser.feed(bodies[0])
    rows = []
    for row in parser.rows:
        shown = dict(zip(parser.head, row["cells"], strict=True))
        shown["About"] = shown["Couple"].removeprefix(row["name"]).strip()
        shown["Couple"] = row["name"]
        shown["alerts"] = row["badges"]
        shown["href"] = row["href"]
        rows.append(shown)
    return rows


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab `label` of the lazy tabs (ui.widgets.lazy_tabs) keyed `key`, as a click
    on it does: only the open tab's body runs."""
    at.session_state[key] = label
    return at.run()


def open_fold(at: AppTest, key: str) -> AppTest:
    """Open the expander keyed `key` (ui.widgets.lazy_expander), as a click on its heading
    does: only an open expander's body runs."""
    at.session_state[key] = True
    return at.run()


def shows_login_form(at: AppTest) -> bool:
    """True when the sign-in form is on screen."""
    keys = {t.key for t in at.text_input}
    return {"login_username", "login_password"} <= keys


def demo_actor(db, username: str = "demo"):
    """A demo account signed in through core (its password is '<username>-password')."""
    from core import accounts

    return accounts.authenticate(db, username, f"{username}-password")


def couple_named(db, label: str) -> dict:
    """The demo counselor's couple called `label`, as core.couples.get returns it."""
    from core import couples

    actor = demo_actor(db)
    cid = next(r["id"] for r in couples.caseload(db, actor, status="all") if r["label"] == label)
    return couples.get(db, actor, cid)


@pytest.fixture
def partners(db, couple_id):
    """(Rachel's id, Marcus's id): the two partners of counselor A's couple."""
    first, second = db.all("couples/partners", couple_id=couple_id)
    return first["id"], second["id"]


@pytest.fixture
def issue(db, counselor, couple_id, partners):
    """Issue a link for Rachel (partner 1) for an instrument; returns the Issued."""
    from core import links

    return lambda instrument: links.issue(db, counselor, couple_id, partners[0], instrument, 14)


def text_of(element) -> str:
    """What a message element says, its Markdown escapes removed (pages show core's messages,
    which may quote typed text, as plain text: ui.widgets.plain)."""
    return str(element.value).replace("\\", "")
