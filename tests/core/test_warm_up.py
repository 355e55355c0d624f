"""serve.py's warm-up: what the first pages of a new server process would otherwise wait for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
import json, sys
import serve
serve.EXPORTS_AFTER_S = 0
serve._warm_up()
from core import pdf
print(json.dumps({
    "modules": [m for m in WANTED if m in sys.modules],
    "altair": "altair" in sys.modules,
    "fonts_read": pdf._covered.cache_info().currsize,
    "fonts": len(pdf.find_fonts()),
}))
"""
WANTED = ("pandas", "pyarrow", "core.alerts", "core.exports", "core.decisions", "fpdf")


def test_the_warm_up_imports_the_pages_modules_and_reads_the_pdf_fonts():
    done = subprocess.run(
        [sys.executable, "-c", f"WANTED = {WANTED!r}\n{CHECK}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["modules"] == list(WANTED)
    assert not found["altair"]  # no chart needs it in the server (~26 MB)
    assert found["fonts_read"] == found["fonts"] > 0  # every installed PDF font's table
