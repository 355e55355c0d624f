"""Pages given nonsense in session state or the URL: a calm message, never a traceback.

A couple id lives in session state (never in the URL; the sign-in notes it on the server for a
reload, tests/sql/test_open_couple.py) and every counselor page opens it
through ui.widgets.open_couple; record ids live in the pickers' widget state. Each table below
is pages x bad values; one signed-in session per page tries every value in turn.
"""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

from core import accounts, couples, links
from tests.conftest import rows
from tests.pages.conftest import PAGES, ROOT, fake_client, new_app, signed_in, text_of, visible_text
from ui import once, state

# Every page that opens a couple from session state (found in the source, so a new page is
# covered the day it is added).
COUPLE_PAGES = [p for p in PAGES if "open_couple(app, actor)" in (ROOT / p).read_text("utf-8")]
NOT_AVAILABLE = "That couple is not available to you."
OWN = "Rachel & Marcus"  # the demo counselor's couple the record tests open
THEIRS = "Hana & Yusuf"  # a couple of another counselor (riley)

# What a tampered or stale session could hold where an id belongs; "theirs" is replaced by
# the id of a couple (or record) that belongs to someone else.
BAD_IDS = [
    "theirs",
    "abc",
    "",
    " ",
    -1,
    0,
    10**12,
    2**63,
    10**40,
    3.7,
    math.nan,
    math.inf,
    True,
    [1],
    {"id": 1},
    ("1",),
    "1 OR 1=1",
    "1; DROP TABLE couples",
    "\x00",
    "💑",
]


def actor_of(db, username: str):
    return accounts.authenticate(db, username, f"{username}-password")


def couple_named(db, label: str, username: str) -> int:
    actor = actor_of(db, username)
    return next(r["id"] for r in couples.caseload(db, actor, status="all") if r["label"] == label)


def calm(at: AppTest, where: str) -> str:
    """The page ran to its end or to a calm stop: no exception element; returns its text."""
    assert not at.exception, f"{where}: {[e.stack_trace[-3:] for e in at.exception]}"
    return visible_text(at)


def test_the_table_covers_every_page_that_opens_a_couple():
    assert len(COUPLE_PAGES) >= 9
    assert {"pages/1_Couple.py", "pages/12_Decisions.py", "pages/14_Sessions.py"} <= set(
        COUPLE_PAGES
    )


@pytest.mark.parametrize("page", COUPLE_PAGES)
def test_a_nonsense_couple_id_in_session_state_gets_a_calm_message(demo_db, db_path, page):
    theirs = couple_named(demo_db, THEIRS, "riley")
    at = signed_in(demo_db, db_path, "demo")
    for bad in BAD_IDS:
        value = theirs if bad == "theirs" else bad
        at.session_state[state.COUPLE_ID] = value
        at.switch_page(page).run()
        text = calm(at, f"{page} with {value!r}")
        assert NOT_AVAILABLE in [text_of(w) for w in at.warning], f"{page} with {value!r}"
        assert "Hana" not in text and "Yusuf" not in text
        assert state.COUPLE_ID not in at.session_state  # the bad id is forgotten
    at.session_state[state.COUPLE_ID] = couple_named(demo_db, OWN, "demo")
    at.switch_page(page).run()
    assert OWN in calm(at, page)  # and the page still opens the counselor's own couple


def test_a_couple_id_in_the_url_is_ignored_on_every_page(demo_db, db_path):
    theirs = couple_named(demo_db, THEIRS, "riley")
    at = signed_in(demo_db, db_path, "demo")
    for name in ("couple_id", "couple", "id", "t", state.COUPLE_ID):
        at.query_params[name] = str(theirs)
    for page in COUPLE_PAGES:
        at.switch_page(page).run()
        text = calm(at, page)
        assert "Choose a couple from your caseload" in text, page
        assert "Hana" not in text and "Yusuf" not in text, page


BAD_RECORD_IDS = ["theirs", "abc", 10**40, math.nan, None, True, [1]]
# (page, widget/session key holding a record id, the table that record comes from, who). A key
# ending in ".pick" after "saved:" is the record a save chose for that picker (ui.once.Pick).
RECORD_KEYS = [
    ("pages/11_Agreements.py", "agreements.pick.{cid}", "agreements", "demo"),
    ("pages/11_Agreements.py", "saved:agreements.pick.{cid}", "agreements", "demo"),
    ("pages/12_Decisions.py", "decisions.pick.{cid}", "decisions", "demo"),
    ("pages/12_Decisions.py", "saved:decisions.pick.{cid}", "decisions", "demo"),
    ("pages/14_Sessions.py", "sessions.pick.{cid}", "couple_sessions", "demo"),
    ("pages/14_Sessions.py", "saved:sessions.pick.{cid}", "couple_sessions", "demo"),
    ("pages/7_Seasons_and_ledger.py", "season.pick", "seasons", "demo"),
    ("pages/7_Seasons_and_ledger.py", "ledger.pick", "ledger_events", "demo"),
    ("pages/7_Seasons_and_ledger.py", "saved:season.pick", "seasons", "demo"),
    ("pages/7_Seasons_and_ledger.py", "saved:ledger.pick", "ledger_events", "demo"),
    ("pages/13_Roadmap.py", "roadmap.chosen", "roadmap_events", "demo"),
    ("pages/3_Questionnaires.py", "revoke.id", "links", "demo"),
    ("pages/1_Couple.py", "couple.reassign_to", "counselors", "admin"),
    ("pages/9_Admin.py", "admin.account", "counselors", "admin"),
    ("pages/9_Admin.py", "admin.move.couple", "couples", "admin"),
    ("pages/9_Admin.py", "admin.move.to", "counselors", "admin"),
    ("pages/9_Admin.py", "audit.couple", "couples", "admin"),
]

# Pickers on a lazy tab other than the first: the tab is opened (only the open tab runs).
OPEN_TAB = {
    "admin.move.couple": ("admin.tab", "Move a couple"),
    "admin.move.to": ("admin.tab", "Move a couple"),
    "audit.couple": ("admin.tab", "Audit trail"),
}


@pytest.mark.parametrize(("page", "key", "table", "who"), RECORD_KEYS)
def test_a_nonsense_record_id_in_a_picker_is_calm(demo_db, db_path, page, key, table, who):
    own = couple_named(demo_db, OWN, "demo")
    foreign = rows(
        demo_db,
        f'SELECT max(id) FROM "{table}" WHERE '
        + ("couple_id <> $c" if table not in ("counselors", "couples") else "id <> $c"),
        c=own,
    )[0][0]
    actor = accounts.start_session(demo_db, actor_of(demo_db, who), accounts.session_expiry(1))
    for bad in BAD_RECORD_IDS:
        if key == "audit.couple" and isinstance(bad, str | list | dict):
            continue  # a number input's state is a double on the wire: no text can arrive
        value = foreign if bad == "theirs" else bad
        # A fresh session per value: AppTest itself cannot re-send a drawn picker whose state a
        # test replaced with a value outside its options (a browser only sends listed ones).
        at = new_app(db_path)
        at.session_state[state.ACTOR] = actor
        at.session_state[state.COUPLE_ID] = own
        if key.startswith("saved:"):  # a save's choice, kept in the session's holder
            held = once._Held()
            held.picks[key.removeprefix("saved:").format(cid=own)] = (1, value)
            at.session_state[once._HELD] = held
        else:
            at.session_state[key.format(cid=own)] = value
        if key in OPEN_TAB:
            tabs, label = OPEN_TAB[key]
            at.session_state[tabs] = label
        at.switch_page(page).run()
        text = calm(at, f"{page} {key}={value!r}")
        if page != "pages/9_Admin.py":
            assert OWN in text, f"{page} {key}={value!r}"  # the page still shows its couple


# -- the partner's page: the token in the URL is the only key ---------------------------------
PARTNER_PAGE = ROOT / "pages" / "5_Questionnaire.py"


@pytest.fixture(autouse=True)
def _client_address(monkeypatch):
    """A real server hands the page a string address (AppTest would give a MagicMock)."""
    fake_client(monkeypatch)


def partner_page(db_path, token) -> AppTest:
    at = AppTest.from_file(str(PARTNER_PAGE), default_timeout=30)
    at.secrets["database_path"] = str(db_path)
    at.secrets["demo"] = "0"
    at.query_params["t"] = token
    return at


@pytest.fixture
def real_token(db, counselor, couple_id):
    partner = db.all("couples/partners", couple_id=couple_id)[0]["id"]
    return links.issue(db, counselor, couple_id, partner, "csi4").token


BAD_TOKENS = [
    "",
    " ",
    "x" * 43,
    "é" * 43,
    "💑" * 43,
    "\x00" * 43,
    "%00%0A%0D",
    "t" * 100_000,
    "'; DROP TABLE links; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "real+junk",
    " real ",
    "REAL",
    ["real", "x" * 43],  # the same parameter twice: ?t=…&t=…
    ["x" * 43, "real"],
    ["", ""],
]


@pytest.mark.parametrize("token", BAD_TOKENS, ids=lambda t: repr(t)[:24])
def test_a_bad_token_shows_one_calm_message(db, db_path, real_token, token):
    placeholders = {
        "real": real_token,
        "real+junk": real_token + "junk",
        " real ": f" {real_token} ",
        "REAL": real_token.upper(),
    }
    if isinstance(token, list):
        value = [placeholders.get(t, t) for t in token]
    else:
        value = placeholders.get(token, token)
    at = partner_page(db_path, value)
    at.run()
    text = calm(at, repr(token)[:40])
    opened = isinstance(token, list) and token[-1] == "real"
    if opened:  # the last of repeated parameters is the one read, as in a browser
        assert "Hello Rachel." in text
    else:
        assert [text_of(i) for i in at.info] == [links.LinkUnavailable.MESSAGE]
        assert "Rachel" not in text and "Marcus" not in text


def _choose_app():
    import streamlit as st

    from ui.widgets import choose

    labels = {1: "one", 2: "two", 3: "three"}
    st.session_state.setdefault("seen", [])
    st.session_state["seen"].append(choose("Pick", labels, "pick", value=2))


@pytest.mark.parametrize("kept", [True, 9, "2", None])
def test_choose_drops_a_kept_choice_no_longer_offered(kept):
    at = AppTest.from_function(_choose_app)
    at.session_state["pick"] = kept
    at.run()
    assert not at.exception
    # Dropped, so the box starts where the page asks (True is not record 1).
    assert at.session_state["seen"] == [2]
    assert at.selectbox(key="pick").value == 2


def test_choose_keeps_an_offered_choice_and_shows_the_words():
    at = AppTest.from_function(_choose_app).run()
    assert at.selectbox(key="pick").options == ["one", "two", "three"]
    at.selectbox(key="pick").set_value(3).run()
    at.run()
    assert at.session_state["seen"][-2:] == [3, 3]
