"""The equity page's charts as the browser gets them: core's spec with its rows as Arrow, built
once per distinct data and reused on a repeat view."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from core import accounts, chart_tables, charts, couples
from tests.core.test_chart_tables import Tables
from tests.core.test_charts import walk
from tests.pages.conftest import signed_in
from ui import charts as chart_ui
from ui import state

EQUITY = "pages/6_Equity_and_trends.py"


def on_page(db, db_path):
    """Signed in as the demo counselor, on Rachel & Marcus's equity page."""
    actor = accounts.authenticate(db, "demo", "demo-password")
    couple = next(
        c for c in couples.caseload(db, actor, status="all") if c["label"] == "Rachel & Marcus"
    )
    at = signed_in(db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = couple["id"]
    at.switch_page(EQUITY).run()
    assert not at.exception
    return at


@pytest.fixture
def builds(monkeypatch):
    """Counts the specs core builds for the page (the cache starts empty)."""
    chart_ui._kept_spec.clear()
    made = []
    for name in ("equity_spec", "trends_spec"):
        real = getattr(charts, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            made.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(charts, name, counted)
    return made


def shipped(at) -> list[tuple[dict, dict[str, list[dict]]]]:
    """Each chart's spec and its datasets' rows, decoded from the Arrow the browser gets."""
    found = []
    for el in at.get("vega_lite_chart"):
        rows = {
            d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist()
            for d in el.proto.datasets
        }
        found.append((json.loads(el.proto.spec), rows))
    return found


def test_a_repeat_view_draws_the_same_charts_without_building_them_again(demo_db, db_path, builds):
    at = on_page(demo_db, db_path)
    first = shipped(at)
    assert sorted(builds) == ["equity_spec", "trends_spec"]
    at.run()
    assert not at.exception
    assert shipped(at) == first and len(builds) == 2
    at.button_group(key="equity.range").set_value("all").run()
    assert not at.exception and len(builds) == 4  # other rows, other charts


def test_every_dataset_the_spec_names_reaches_the_browser_with_the_specs_rows(
    demo_db, db_path, builds
):
    at = on_page(demo_db, db_path)
    (equity_spec, equity_rows), (trends_spec, trends_rows) = shipped(at)
    for spec, rows in ((equity_spec, equity_rows), (trends_spec, trends_rows)):
        named = {d["data"]["name"] for d in walk(spec) if isinstance(d.get("data"), dict)}
        assert named == set(rows) and "datasets" not in spec
    # The check-ins are shipped once, one row per partner, bucket and measure (a year: ~54 weeks).
    longest = max(len(r) for r in trends_rows.values())
    assert 0 < longest <= 2 * 54 * len(charts.TREND_PANELS) + 2 * len(charts.TREND_PANELS) * 10
    checkins = max(trends_rows.values(), key=len)
    assert {"day", "partner", "measure", "value"} <= set(checkins[0])


def test_the_charts_count_days_on_the_browsers_clock(demo_db, db_path, monkeypatch):
    """The page hands core the browser's zone: a check-in falls in the week of its day as the
    counselor's clock reads it (tests/sql/test_trends_on_the_readers_days.py)."""
    import ui.widgets
    from core import trends

    asked = []
    real = trends.page

    def page(*args, **kwargs):
        asked.append(kwargs.get("zone"))
        return real(*args, **kwargs)

    monkeypatch.setattr(trends, "page", page)
    monkeypatch.setattr(ui.widgets, "browser_zone", lambda: "America/Chicago")
    on_page(demo_db, db_path)
    assert asked == ["America/Chicago"]


def test_each_chart_is_followed_by_its_numbers_in_the_line_already_under_it(demo_db, db_path):
    """An accessibility audit: a chart's points are reached only by hovering. The element under
    each chart (no element more: issue 6) holds its numbers, folded, in tables whose figures
    are the ones shipped to the chart."""
    at = on_page(demo_db, db_path)
    kinds = [n.type for n in at.main if n.type in ("vega_lite_chart", "caption")]
    for chart in (i for i, kind in enumerate(kinds) if kind == "vega_lite_chart"):
        assert kinds[chart + 1] == "caption"
    folded = [c.value for c in at.caption if '<details class="tandem-numbers">' in c.value]
    assert len(folded) == 2  # the equity chart's, the trends'
    assert all(c.proto.allow_html for c in at.caption if "<details" in c.value)
    equity_table, trends_table = (Tables(text).tables[0] for text in folded)
    (spec, rows), _ = shipped(at)
    # The newest week's balance as the chart draws it (its line's layer's rows).
    line = next(r for r in rows.values() if r and "balance" in r[0] and "season" in r[0])
    newest = max(line, key=lambda r: r["day"])
    assert equity_table["rows"][-1][1] == chart_tables.signed(newest["balance"])
    assert equity_table["rows"][0][:2] == ["Week ending", "Balance"]
    assert trends_table["rows"][0][:2] == ["Week of", "Partner"]
    assert {r[1] for r in trends_table["rows"][1:]} == {"Rachel", "Marcus"}
