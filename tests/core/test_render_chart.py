"""Chart pictures are drawn in a short-lived child process: the server never loads vl-convert,
every child ends, and a child that fails or hangs becomes a calm message, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core import exports, markdown, render_chart
from core.errors import TandemError
from core.render_chart import PNG_SIGNATURE, ChartsNotDrawn, Renderer

ROOT = Path(__file__).resolve().parents[2]
LINE = {
    "data": {"values": [{"week": 1, "score": 3}, {"week": 2, "score": 5}]},
    "mark": "line",
    "encoding": {
        "x": {"field": "week", "type": "quantitative"},
        "y": {"field": "score", "type": "quantitative"},
    },
}
BARS = {**LINE, "mark": "bar", "width": 300}


def is_running(pid: int) -> bool:
    """True while a process with this id exists (and is not a reaped zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def child_script(tmp_path, monkeypatch):
    """Replace the child with a script of the test's own (a failing or hanging renderer)."""

    def use(source: str) -> None:
        script = tmp_path / "child.py"
        script.write_text(textwrap.dedent(source), encoding="utf-8")
        monkeypatch.setattr(render_chart, "CHILD", script)

    return use


def test_every_spec_comes_back_as_a_png_in_order():
    line, bars = render_chart.pngs([LINE, BARS])
    assert line.startswith(PNG_SIGNATURE) and bars.startswith(PNG_SIGNATURE)
    assert line != bars


def test_the_process_that_asks_never_loads_vl_convert_and_the_child_ends():
    probe = textwrap.dedent(
        """
        import sys
        from core import render_chart
        with render_chart.Renderer() as r:
            pid = r._proc.pid
            (png,) = r.pngs([{"mark": "point", "data": {"values": [{}]}}])
        print(png[:8] == render_chart.PNG_SIGNATURE, "vl_convert" in sys.modules, pid)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    drawn, loaded, pid = out.stdout.split()
    assert (drawn, loaded) == ("True", "False")
    assert not is_running(int(pid))


def test_a_renderer_never_asked_for_pictures_ends_its_child():
    with Renderer() as renderer:
        pid = renderer._proc.pid
        assert is_running(pid)
    assert not is_running(pid)


def test_a_spec_the_child_cannot_draw_is_a_calm_error_with_the_reason_for_the_log():
    with pytest.raises(ChartsNotDrawn) as caught:
        render_chart.pngs([{"mark": {"type": "no-such-mark"}, "data": {"values": [{}]}}])
    assert isinstance(caught.value, TandemError)  # pages show str(error), never a traceback
    assert "could not be drawn" in str(caught.value) and "Traceback" not in str(caught.value)
    assert "failed" in caught.value.detail


def test_a_child_past_its_time_limit_is_ended(child_script):
    child_script("import time\ntime.sleep(60)\n")
    renderer = Renderer(time_limit=0.5)
    pid = renderer._proc.pid
    with pytest.raises(ChartsNotDrawn) as caught:
        renderer.pngs([LINE])
    assert "time limit" in caught.value.detail
    assert not is_running(pid)


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("import sys\nprint('engine broke', file=sys.stderr)\nsys.exit(3)\n", "engine broke"),
        ("import sys\nsys.stdin.read()\nprint('not json')\n", "unreadable"),
        (
            "import sys, json\nsys.stdin.read()\nprint(json.dumps({'pngs': ['aGVsbG8=']}))\n",
            "other than the pictures",
        ),
        ("import sys, json\nsys.stdin.read()\nprint(json.dumps({'pngs': []}))\n", "other than"),
    ],
    ids=["exits-with-an-error", "answers-garbage", "answers-no-png", "answers-too-few"],
)
def test_a_child_that_answers_wrongly_is_a_calm_error(child_script, source, detail):
    child_script(source)
    with pytest.raises(ChartsNotDrawn) as caught:
        render_chart.pngs([LINE])
    assert detail in caught.value.detail


def test_a_chart_that_is_not_plain_json_is_a_calm_error():
    with pytest.raises(ChartsNotDrawn) as caught:
        render_chart.pngs([{"data": {"values": [{"when": object()}]}, "mark": "point"}])
    assert "not plain JSON" in caught.value.detail


def test_a_renderer_draws_once():
    with Renderer() as renderer:
        renderer.pngs([LINE])
        with pytest.raises(ChartsNotDrawn):
            renderer.pngs([LINE])


def test_the_child_gets_none_of_the_apps_secrets(child_script, monkeypatch):
    monkeypatch.setenv("TANDEM_DB_KEY", "secret-key-123")
    monkeypatch.setenv("TANDEM_COOKIE_KEY", "cookie-key-456")
    child_script(
        """
        import json, os, sys
        sys.stdin.read()
        print(json.dumps({"pngs": []}), end="")
        print(" ".join(sorted(os.environ)), file=sys.stderr)
        sys.exit(1)
        """
    )
    with pytest.raises(ChartsNotDrawn) as caught:
        render_chart.pngs([LINE])
    names = caught.value.detail.rsplit(": ", 1)[1].split()
    assert not [n for n in names if n.startswith(("TANDEM_", "PYTHON"))]


# -- the exports that use it ---------------------------------------------------------------------
def summary_with_chart() -> exports.Summary:
    s = exports.Summary(
        title="Session summary: Zoë & 王芳",
        lines=["Session on 12 Mar 2026"],
        document="Session summary",
        practice="Harbour Street Counselling",
        dated="12 Mar 2026",
    )
    s.add("h2", "Our roadmap")
    s.add("chart", ("Roadmap caption", LINE))
    s.add("p", "After the chart.")
    return s


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext (poppler-utils) extracts it, on one line."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (see .ci/run)")
    path = tmp_path / "summary.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_a_pdf_whose_charts_cannot_be_drawn_still_arrives_and_says_so(
    child_script, caplog, tmp_path
):
    child_script("import sys\nprint('engine broke', file=sys.stderr)\nsys.exit(3)\n")
    pdf = exports.to_pdf(summary_with_chart())
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf
    text = pdf_text(pdf, tmp_path)
    assert f"Roadmap caption {exports.NOT_DRAWN}" in text
    assert text.index("Our roadmap") < text.index(exports.NOT_DRAWN) < text.index("After the")
    assert "engine broke" in caplog.text  # the reason is in the server log


def test_a_pdf_carries_its_chart_as_a_picture():
    pdf = exports.to_pdf(summary_with_chart())
    assert b"/Subtype /Image" in pdf


def test_markdown_whose_charts_cannot_be_drawn_says_so_in_place(child_script):
    child_script("import sys\nsys.exit(3)\n")
    out = exports.to_markdown(summary_with_chart())
    said = markdown.escape_file(exports.NOT_DRAWN)
    assert "data:image/png" not in out
    assert "Roadmap caption" in out and said in out
    assert out.index("Our roadmap") < out.index(said) < out.index("After the chart")


def test_markdown_embeds_each_chart_as_png_data():
    out = exports.to_markdown(summary_with_chart())
    assert "](data:image/png;base64,iVBORw0KGgo" in out  # base64 of the PNG signature


def test_a_charts_texts_go_to_the_engine_as_the_pdf_prints_them():
    # An emoji (no font has it) in the same line as Arabic set the whole line in boxes, the
    # Arabic name included; as a placeholder it leaves the Arabic drawn.
    spec = {
        **LINE,
        "title": {"text": "Equity", "subtitle": ["Above zero أحمد, below it Amélie 🌈 O'Brien."]},
        "datasets": {"d": [{"who": "Amélie 🌈", "n": 1}, {"who": "王芳", "n": 2}]},
    }
    sent = exports._spec(spec)
    assert sent["title"]["subtitle"] == ["Above zero أحمد, below it Amélie □ O'Brien."]
    assert [row["who"] for row in sent["datasets"]["d"]] == ["Amélie □", "王芳"]
    assert sent["encoding"] == LINE["encoding"] and spec["datasets"]["d"][0]["who"] == "Amélie 🌈"
    assert exports.chart_png(spec).startswith(PNG_SIGNATURE)


def test_the_engines_message_reaches_the_log_without_what_it_quotes():
    """A Vega error can quote a value of the chart's data (a partner's name): the server log
    must not hold client data."""
    message = 'Unrecognized field "Zoë Łukasz" in\n"seasons" (was \'Lisbon year\')'
    shown = render_chart.redacted(message)
    assert "Zoë" not in shown and "Lisbon" not in shown and "\n" not in shown
    assert shown.startswith("Unrecognized field '…' in '…' (was '…')")


def test_a_long_label_does_not_cut_its_values_first_word_and_a_question_takes_no_colon(tmp_path):
    """fpdf2's write() cut a word that did not fit the rest of the line ("RACHEL-SECRE / T-3",
    "Counselling-ses / sions"; walkthrough, 2026-11-23), and labels read "recognised?:"."""
    from core import pdf
    from core.exports import fact_label  # how every format writes a fact's label

    doc = pdf.Document(pdf.Page("A practice", "Session summary", "12 Mar 2026"))
    label = "What each of you would want the other to have recognised by now in the"
    pairs = [(label, "Counselling-sessions-together"), ("Recognised?", "yes")]
    doc.facts([(fact_label(k), v) for k, v in pairs])
    text = pdf_text(doc.finished(), tmp_path)
    assert "Counselling-sessions-together" in text, text
    assert "Recognised? yes" in text and "?:" not in text


def test_a_question_as_a_facts_label_takes_no_colon_in_the_markdown_file_either():
    """The PDF wrote "Recognised? yes" while the Markdown file and the summary's text still
    wrote "Recognised?:" (one rule now, core.exports.fact_label)."""
    from core import exports

    summary = exports.Summary("Title", [], "Session summary", "A practice", "12 Mar 2026")
    summary.add("facts", [("Recognised?", "yes"), ("Kind", "Trial")])
    written = exports.to_markdown(summary)
    assert "- **Recognised?** yes" in written and "- **Kind:** Trial" in written
    assert "Recognised? yes" in summary.text() and "Kind: Trial" in summary.text()
