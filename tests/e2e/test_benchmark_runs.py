"""The page benchmark (scripts/benchmark.py) keeps working: one run on the demo practice.

No timing is asserted here (CI machines vary); BENCHMARKS.md holds the figures at practice
scale. This only proves that the script starts both servers, walks every page in the real
browser and prints a figure for each.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from tests.e2e.conftest import ARTIFACTS, PYTHON, ROOT, TEST_CHROMIUM

pytestmark = pytest.mark.e2e

PAGES = (
    "Caseload, counselor",
    "Caseload, admin (whole practice",
    "Couple overview",
    "Equity and trend charts",
    "Questionnaires / intake comparison",
    "Sessions",
    "Check-ins",
    "Seasons and ledger",
    "Agreements",
    "Decisions",
    "Roadmap",
    "Partner link (intake): load, Start",
    "Partner link (intake): tap an answer",
)


def test_the_benchmark_runs_on_a_tiny_practice(tmp_path):
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    db = tmp_path / "demo.duckdb"
    subprocess.run(
        [python, "-m", "core.manage", "demo", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    out = tmp_path / "bench.json"
    logs = ARTIFACTS / "benchmark"
    done = subprocess.run(
        [
            *(python, "scripts/benchmark.py", "--db", str(db)),
            *("--runs", "1", "--warmup", "0", "--skip-server-bench"),
            # One partner questionnaire: the check-in's steps run the same code (--instruments
            # loops over them), and the suite keeps within its ten minutes.
            *("--instruments", "intake"),
            *("--counselor", "demo", "--password", "demo-password"),
            *("--admin", "admin", "--admin-password", "admin-password"),
            *("--step-timeout", "60", "--json", str(out), "--logs", str(logs)),
            # The browser tests' Chromium (the headless shell where installed: less CPU).
            *("--browser", TEST_CHROMIUM),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    (logs / "benchmark.out").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, done.stdout + done.stderr

    # The printed table: a row per page, each with a figure.
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    for page in PAGES:
        found = [r for r in rows if r.startswith(f"| {page}")]
        assert found, f"no row for {page!r} in:\n{done.stdout}"
        assert any(ch.isdigit() for ch in found[0].split("|")[5]), found[0]  # click ms
    for line in ("Session summary PDF, click to file:", "Server memory", "Start-up:"):
        assert line in done.stdout, done.stdout
    # And what Tandem's sidebar alone costs a page change (two empty pages with it).
    assert "| Empty page with Tandem's sidebar: page change |" in done.stdout, done.stdout
    assert "Empty page with Tandem's sidebar (2 elements, no data): page change" in done.stdout

    # The JSON: every page has its medians and empty-page equivalents.
    figures = json.loads(out.read_text())
    for page in figures["pages"]:
        assert page["click_s"] and page["empty_click_s"], page
        if not page["key"].endswith(".answer"):
            assert page["full_s"] and page["empty_full_s"], page
    assert figures["empty"]["empty.sidebar_nav"] > 0
    assert figures["pdf_s"] > 0
    assert figures["memory"]["rss_mb"] > 0
    assert figures["startup"]["health_s"] > 0
    # The benchmark signs in, issues links and saves answers on a copy, never on the file.
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
