"""A database that cannot be opened: every visitor gets one calm sentence, and the reason (the
file's path, DuckDB's own words) goes to the server's log, not to the page."""

from __future__ import annotations

import logging

from tests.pages.conftest import new_app, text_of, visible_text
from ui.app import CANNOT_START


def test_an_unopenable_database_says_so_calmly_and_logs_why(tmp_path, caplog):
    broken = tmp_path / "practice.duckdb"
    broken.write_bytes(b"not a database at all " * 4096)
    at = new_app(broken, demo_mode=False)
    with caplog.at_level(logging.ERROR, logger="tandem"):
        at.run()
    assert not at.exception
    assert [text_of(e) for e in at.error] == [CANNOT_START]
    assert str(tmp_path) not in visible_text(at)
    assert any(str(broken) in r.getMessage() for r in caplog.records)  # the operator's reason


def test_the_partner_page_says_the_same(tmp_path):
    broken = tmp_path / "practice.duckdb"
    broken.write_bytes(b"not a database at all " * 4096)
    at = new_app(broken, demo_mode=False)
    at.switch_page("pages/5_Questionnaire.py").run()
    assert not at.exception
    assert str(tmp_path) not in visible_text(at)
    assert CANNOT_START in visible_text(at)
