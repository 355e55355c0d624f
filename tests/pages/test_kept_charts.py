"""The roadmap's and the decision matrix's charts (ui.charts.kept_chart): the browser gets the
spec st.altair_chart makes of the same chart (checked there against Vega-Lite's schema), built
once per distinct data and reused on a repeat view; a change to the data draws the change."""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa
import pytest
import streamlit as st

from core import decisions, roadmap
from core.charts import as_altair
from tests.pages.conftest import demo_actor, open_tab, visible_text
from tests.pages.test_issue5_pages import DECISIONS, ROADMAP, couple_id, open_page
from ui import charts as chart_ui


@pytest.fixture
def builds(monkeypatch):
    """The specs core builds for the pages, with what each was built from (the cache starts
    empty)."""
    chart_ui._kept_spec.clear()
    made = []
    for module, name in ((roadmap, "timeline_spec"), (decisions, "matrix_spec")):
        real = getattr(module, name)

        def counted(*args, _real=real, **kwargs):
            made.append((_real, args))
            return _real(*args, **kwargs)

        counted.__module__, counted.__qualname__ = real.__module__, real.__qualname__
        monkeypatch.setattr(module, name, counted)
    return made


def shipped(at) -> list[tuple[dict, dict[str, list[dict]]]]:
    """Each chart's spec and its datasets' rows, decoded from the Arrow the browser gets."""
    return [
        (
            json.loads(el.proto.spec),
            {
                d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist()
                for d in el.proto.datasets
            },
        )
        for el in at.get("vega_lite_chart")
    ]


def as_st_altair_chart_drew_it(monkeypatch, open_it) -> list[tuple[dict, dict]]:
    """What the page shipped when it drew its chart as an Altair chart with st.altair_chart, as
    it did before: Streamlit checks it against the schema."""

    def the_old_way(build, *inputs):
        st.altair_chart(as_altair(build(*inputs)), width="stretch")

    with monkeypatch.context() as patch:
        patch.setattr(chart_ui, "kept_chart", the_old_way)
        return shipped(open_it())


def test_the_roadmap_is_drawn_as_st_altair_chart_drew_it_and_built_once_per_data(
    demo_db, db_path, builds, monkeypatch
):
    old = as_st_altair_chart_drew_it(monkeypatch, lambda: open_page(demo_db, db_path, ROADMAP))
    builds.clear()
    at = open_page(demo_db, db_path, ROADMAP)
    first = shipped(at)
    assert first == old and len(old) == 1 and len(builds) == 1
    at.run()  # a repeat view (the Change tab's picker reruns the page too)
    assert not at.exception
    assert shipped(at) == first and len(builds) == 1
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Rachel & Marcus")
    raw = {"partner_id": None, "category": "family", "title": "Grandma's 90th", "note": "",
           "starts_on": date(2027, 6, 1), "ends_on": None}  # fmt: skip
    roadmap.add(demo_db, actor, cid, raw)
    at.run()
    assert not at.exception and len(builds) == 2  # other rows, another chart
    ((_, rows),) = shipped(at)
    assert "Grandma's 90th" in {r.get("title") for values in rows.values() for r in values}
    # The dates behind the chart, folded in the line under it (core.chart_tables), follow too.
    (under,) = [c.value for c in at.caption if "The dates behind this chart" in c.value]
    assert '<td class="long">Grandma&#x27;s 90th</td>' in under
    assert shipped(at) == as_st_altair_chart_drew_it(monkeypatch, at.run)


def test_the_decision_matrix_chart_is_drawn_as_st_altair_chart_drew_it(
    demo_db, db_path, builds, monkeypatch
):
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Jennifer & Katie")
    did = decisions.create(demo_db, actor, cid, "Who takes the Paris role", "job_offer")
    o1 = decisions.add_option(demo_db, actor, cid, did, "Jennifer goes")
    decisions.add_option(demo_db, actor, cid, did, "Katie goes")
    f = decisions.add_factor(demo_db, actor, cid, did, "Growth")
    m = decisions.matrix(demo_db, actor, cid, did)
    jennifer = m.partners[0]["id"]
    decisions.save_partner_grid(demo_db, actor, cid, did, jennifer, {f: 8}, {(f, o1): 9})

    def open_it():
        at = open_page(demo_db, db_path, DECISIONS, label="Jennifer & Katie")
        return open_tab(at, "decisions.tab", "Opportunity matrix")

    old = as_st_altair_chart_drew_it(monkeypatch, open_it)
    builds.clear()
    at = open_it()
    assert "Jennifer goes" in visible_text(at)
    assert shipped(at) == old and len(old) == 1 and len(builds) == 1
    at.run()
    assert not at.exception and shipped(at) == old and len(builds) == 1
