"""Tandem's charts on a page: core.charts' Vega-Lite specs, built once per distinct data and
drawn with st.vega_lite_chart.

st.altair_chart turned each chart into a spec and checked it against the Vega-Lite schema on
every run (~0.75 s for the equity page, on top of ~0.3 s building the charts; issue 6). The
specs here are plain dicts, identical to what Altair produced, kept with their rows already
in the Arrow form Streamlit sends, so a repeat view costs about a millisecond a chart. The
roadmap and the decision matrix (core.roadmap.timeline_spec, core.decisions.matrix_spec) are
kept the same way by `kept_chart`.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from core import charts

# Specs kept per process in one cache, the least recently used dropped first: 64 for each of
# the three kinds drawn (equity, trends; roadmap and matrix). One is ~10-80 KB (its rows as Arrow
# and the spec), so the cache stays under ~15 MB. A spec is keyed by what it is drawn from,
# never by who asked: that is read through core's ownership check first, so a hit can only
# return a chart of exactly the rows the caller was just given.
CACHE_ENTRIES = 3 * 64


def _digest(*inputs: Any) -> str:
    """A key for everything a chart is drawn from. Pickling these small frames takes ~0.1 ms;
    Streamlit hashing them column by column (its default for DataFrame arguments) took ~5 ms."""
    return hashlib.sha256(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def _arrow(rows: list[dict]) -> bytes:
    """JSON rows as the Arrow IPC bytes Streamlit sends a chart's data in."""
    try:
        table = pa.Table.from_pylist(rows)  # ~7x faster than through a pandas frame
    except (pa.ArrowException, TypeError):  # a column mixing kinds: Streamlit's own fixes
        return dataframe_util.convert_anything_to_arrow_bytes(rows)
    return dataframe_util.convert_arrow_table_to_arrow_bytes(table)


def _shipped(spec: charts.Spec) -> charts.Spec:
    """The spec with each dataset as Arrow bytes, which st.vega_lite_chart passes on as they
    are (given rows, it would convert them to Arrow on every run)."""
    return {**spec, "datasets": {name: _arrow(rows) for name, rows in spec["datasets"].items()}}


# Arguments with a leading underscore are not hashed by Streamlit: `key` stands for them all.
@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _kept_spec(
    key: str, _build: Callable[..., charts.Spec], _inputs: tuple[Any, ...]
) -> charts.Spec:
    return _shipped(_build(*_inputs))


# A chart of a fixed width (the equity and trend charts) is drawn in a container of this prefix:
# on a phone it keeps at least 30rem and scrolls sideways rather than shrinking its words to
# 5-6 px (ui/widgets.py's READABLE_CSS). Charts at the column's width need no such container.
FIXED_WIDTH = "tandem-fixed-chart-"


def _key(build: Callable[..., Any], inputs: tuple[Any, ...]) -> str:
    """What a kept spec or table is found by: its builder and everything it is built from."""
    return _digest(f"{build.__module__}.{build.__qualname__}", *inputs)


def _draw(build: Callable[..., charts.Spec], inputs: tuple[Any, ...], **chart_args: Any) -> None:
    """Draw the spec `build(*inputs)` makes, built once per distinct inputs."""
    st.vega_lite_chart(_kept_spec(_key(build, inputs), build, inputs), **chart_args)


def _draw_fixed(build: Callable[..., charts.Spec], inputs: tuple[Any, ...], key: str) -> None:
    """_draw for a chart of a fixed width (see FIXED_WIDTH)."""
    with st.container(key=FIXED_WIDTH + key.replace(".", "-")):
        _draw(build, inputs, key=key)


def kept_chart(build: Callable[..., charts.Spec], *inputs: Any) -> None:
    """Draw the spec `build(*inputs)` makes (core.roadmap.timeline_spec,
    core.decisions.matrix_spec), built once per distinct inputs, at the column's width. Built
    through Altair and checked against the schema, a roadmap took ~0.3 s on every run of its
    page, and later on its first view after a change (issue 6); a miss now takes ~20 ms."""
    _draw(build, inputs, width="stretch")


# Chart tables kept per process (core.chart_tables' HTML, 3-50 KB each; ~9 ms to build for a
# year of weeks), keyed like the specs by what they are built from.
TABLE_ENTRIES = 64


@st.cache_data(max_entries=TABLE_ENTRIES, show_spinner=False)
def _kept_table(key: str, _build: Callable[..., str], _inputs: tuple[Any, ...]) -> str:
    return _build(*_inputs)


def numbers(build: Callable[..., str], *inputs: Any) -> str:
    """`build(*inputs)` (a core.chart_tables function: a chart's numbers as folded tables),
    built once per distinct inputs."""
    return _kept_table(_key(build, inputs), build, inputs)


def caption(words: str, tables: str = "") -> None:
    """The line under a chart (Markdown), with the chart's numbers folded after it (`tables`,
    HTML from `numbers`) in the same element: a keyboard and a screen reader reach them, and
    the page draws nothing more (issue 6)."""
    st.caption(f"{words}\n\n{tables}" if tables else words, unsafe_allow_html=bool(tables))


# The equity chart's plot on a phone (a browser that says "Mobile": iPhones and Android
# phones, not tablets): with its axes and titles it fits a 390 px screen's column whole. At
# charts.WIDTH it was a sideways scroll there that hid the newest weeks, "now", off to the right
# (a walkthrough). Its words keep their size; only the plot is narrower.
PHONE_WIDTH = 270


def on_a_phone() -> bool:
    """Whether the browser calls itself a phone's (its User-Agent says "Mobile")."""
    return "Mobile" in (st.context.headers.get("User-Agent") or "")


def equity_chart(
    balance: pd.DataFrame,
    seasons: pd.DataFrame,
    events: pd.DataFrame,
    fairness: pd.DataFrame | None,
    names: Sequence[str],
    start: date,
    end: date,
    *,
    key: str,
) -> None:
    """Draw core.charts.equity_spec for these frames (see there for what each holds)."""
    inputs = (balance, seasons, events, fairness, tuple(names), start, end)
    if on_a_phone():
        _draw(charts.equity_spec, (*inputs, PHONE_WIDTH), key=key)
    else:
        _draw_fixed(charts.equity_spec, inputs, key)


def _trends_spec(buckets: pd.DataFrame, bucket: str, *rest: Any) -> charts.Spec:
    """core.charts.trends_spec of the bucketed frame (`rest`: trends_chart's names, start, end,
    cutoff and rc), its long form made inside the cache too."""
    names, start, end, cutoff, rc, phone = rest
    frame = charts.trend_frame(buckets, bucket)
    if phone:  # one panel under another, each as wide as the equity chart on a phone
        return charts.trends_spec(frame, names, start, end, cutoff, rc, bucket, PHONE_WIDTH, 1)
    return charts.trends_spec(frame, names, start, end, cutoff, rc, bucket)


def trends_chart(
    buckets: pd.DataFrame,
    bucket: str,
    names: Sequence[str],
    start: date,
    end: date,
    cutoff: float,
    rc: dict[str, float | None],
    *,
    key: str,
) -> None:
    """Draw core.charts.trends_spec for bucketed check-ins (core.trends.flag_changes's frame)."""
    inputs = (buckets, bucket, tuple(names), start, end, cutoff, rc)
    if on_a_phone():
        _draw(_trends_spec, (*inputs, True), key=key)
    else:
        _draw_fixed(_trends_spec, (*inputs, False), key)
