"""The Streamlit settings a privacy review relies on stay as .streamlit/config.toml says."""

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def _config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_client_data_leaves_only_through_audited_exports():
    # Tables' CSV download and copy, and charts' data views, would bypass core's ownership
    # check and the audit trail (tests/e2e/test_foundation.py looks at the caseload's toolbar).
    assert _config()["client"]["disableDataExport"] is True


def test_users_never_see_tracebacks_or_developer_tools():
    client = _config()["client"]
    assert client["showErrorDetails"] == "none"
    assert client["toolbarMode"] == "viewer"
    assert client["showSidebarNavigation"] is False  # the sidebar is drawn per role


def test_no_usage_statistics_and_xsrf_protection_on():
    config = _config()
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableXsrfProtection"] is True
