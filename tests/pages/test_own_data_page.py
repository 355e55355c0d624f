"""The Sessions page offers each partner's own data beside the full record, to the couple's
counselor only (the file's contents are tested in tests/sql/test_own_data.py: AppTest cannot
click a download)."""

from __future__ import annotations

from tests.pages.conftest import new_app, open_tab, shows_login_form, signed_in, visible_text
from tests.pages.test_issue5_pages import SESSIONS, couple_id
from ui import state


def download_labels(at) -> list[str]:
    """The labels of the page's download buttons (AppTest has no element type for them)."""
    return [el.proto.label for el in at.get("download_button")]


def sessions_page(db, db_path, username="demo"):
    at = signed_in(db, db_path, username)
    at.session_state[state.COUPLE_ID] = couple_id(db, "Rachel & Marcus")
    at.switch_page(SESSIONS).run()
    open_tab(at, "sessions.tab", "Summary and export")
    assert not at.exception, at.exception
    return at


def test_each_partner_has_a_download_of_their_own_data(demo_db, db_path):
    at = sessions_page(demo_db, db_path)
    labels = download_labels(at)
    assert "Download Rachel's own data" in labels
    assert "Download Marcus's own data" in labels
    assert "Download full record (zip)" in labels
    text = visible_text(at)
    assert "For a partner who asks to see what the practice holds about them" in text
    assert "Never the other partner's answers and never your notes" in text


def test_a_new_session_view_offers_them_too(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    cid = couple_id(demo_db, "Rachel & Marcus")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(SESSIONS).run()
    at.selectbox(key=f"sessions.pick.{cid}").set_value("new").run()
    assert not at.exception
    assert {"Download Rachel's own data", "Download Marcus's own data"} <= set(download_labels(at))


def test_another_counselor_gets_no_download(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley")
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "Rachel & Marcus")
    at.switch_page(SESSIONS).run()
    assert not at.exception
    assert "not available to you" in visible_text(at)
    assert download_labels(at) == []


def test_a_signed_out_visitor_gets_the_sign_in_form_and_no_download(demo_db, db_path):
    at = new_app(db_path)
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "Rachel & Marcus")
    at.session_state["sessions.tab"] = "Summary and export"
    at.run()
    at.switch_page(SESSIONS).run()
    assert not at.exception
    assert shows_login_form(at)
    assert download_labels(at) == []
    assert "Rachel" not in visible_text(at)
