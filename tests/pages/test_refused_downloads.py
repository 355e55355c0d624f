"""A client-data download that core refuses when clicked (the couple was moved away since the
page was drawn) is one line in the server's log, not a traceback; the page's download buttons
rerun it, so it says "not available" itself."""

from __future__ import annotations

import logging
from pathlib import Path

from streamlit.runtime.media_file_storage import MediaFileStorageError

from core.errors import NotFound
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
    assert source.count("on_click=DOWNLOAD_RERUNS") == 2 and 'on_click="ignore"' not in source
