"""A client-data download that core refuses when clicked (the couple was moved away since the
page was drawn) is one line in the server's log, not a traceback; the page's download buttons
rerun it, so it says "not available" itself."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.runtime.media_file_storage import MediaFileStorageError

from core.errors import NotFound, PermissionDenied
from ui.widgets import _DOWNLOADS_LOG, DOWNLOAD_RERUNS


class Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def log_a_failed_download(cause: Exception) -> logging.LogRecord:
    kept = Kept()
    _DOWNLOADS_LOG.addHandler(kept)
    try:
        try:
            raise MediaFileStorageError(f"Callable execution failed: {cause}") from cause
        except MediaFileStorageError:
            # What Streamlit's DeferredFileHandler does with it.
            _DOWNLOADS_LOG.exception("Error executing deferred callable for file_id %s", "f1")
    finally:
        _DOWNLOADS_LOG.removeHandler(kept)
    return kept.records[-1]


def test_a_refusal_is_one_line_at_info():
    record = log_a_failed_download(NotFound("couple"))
    assert record.getMessage() == "A download was refused: That couple is not available to you."
    assert record.levelno == logging.INFO and record.exc_info is None


def test_a_real_fault_keeps_its_traceback():
    record = log_a_failed_download(RuntimeError("disk full"))
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_the_sessions_downloads_rerun_the_page():
    assert DOWNLOAD_RERUNS == "rerun"
    source = (Path(__file__).parents[2] / "pages" / "14_Sessions.py").read_text(encoding="utf-8")
    # Every download button of the page: the summary's two, each partner's own data, the record.
    buttons = source.count(".download_button(")
    assert buttons == 3 and source.count("on_click=DOWNLOAD_RERUNS") == buttons
    assert 'on_click="ignore"' not in source


# -- a download checks the sign-in itself ---------------------------------------------------
def app_on(db, idle_minutes: int = 30):
    """What signed_in_download reads of the app: its database and the idle limit."""
    import types

    return types.SimpleNamespace(db=db, settings=types.SimpleNamespace(idle_minutes=idle_minutes))


def live(db, admin, counselor):
    from core import accounts

    return accounts.start_session(db, counselor, accounts.session_expiry(1))


def test_a_download_gets_the_account_as_it_is_at_the_click(db, admin, counselor):
    from core import accounts
    from ui.auth import signed_in_download

    actor = live(db, admin, counselor)
    made = []
    data = signed_in_download(app_on(db), actor, lambda now: made.append(now) or b"file")
    assert data() == b"file"
    assert made[0].counselor_id == actor.counselor_id and made[0].session_id == actor.session_id
    accounts.end_session(db, actor)  # signed out in another tab
    with pytest.raises(PermissionDenied, match="sign in again"):
        data()
    assert len(made) == 1


def test_a_download_after_the_account_was_deactivated_makes_nothing(db, admin, counselor):
    from core import accounts
    from ui.auth import signed_in_download

    actor = live(db, admin, counselor)
    data = signed_in_download(app_on(db), actor, lambda now: pytest.fail("made a file"))
    accounts.set_active(db, admin, actor.counselor_id, False)
    with pytest.raises(PermissionDenied):
        data()


def test_a_download_past_the_idle_limit_makes_nothing(db, admin, counselor):
    from core import accounts
    from ui.auth import signed_in_download

    actor = live(db, admin, counselor)
    with db.cursor() as cur:  # last used an hour ago
        cur.execute(
            "UPDATE auth_sessions SET last_seen_at = last_seen_at - INTERVAL 1 HOUR WHERE id = ?",
            [actor.session_id],
        )
    data = signed_in_download(app_on(db, 30), actor, lambda now: pytest.fail("made a file"))
    with pytest.raises(PermissionDenied):
        data()
    assert accounts.current(db, actor.session_id) is None  # and the sign-in is over


def test_every_download_of_client_data_checks_the_sign_in():
    """Each st.download_button in pages/ gets its data from signed_in_download."""
    for page in (Path(__file__).parents[2] / "pages").glob("*.py"):
        source = page.read_text(encoding="utf-8")
        buttons = source.count("download_button(")
        assert source.count("data=signed_in_download(") == buttons, page.name
