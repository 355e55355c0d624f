"""Equity over time and the check-in trends: what counselor and couple look at together."""

import streamlit as st

from core import chart_tables, dates, equity, trends
from core.charts import WIDTH as CHART_WIDTH
from ui import charts
from ui.auth import require_login
from ui.sidebar import CHECKINS, SEASONS
from ui.widgets import browser_zone, open_couple, plain, what_stands_out

app, actor = require_login("Equity and trends")
couple = open_couple(app, actor)

EXPLANATION_WIDTH = 240  # "How this is computed", beside the chart or below it
CHART_BOX = CHART_WIDTH + 80  # the equity chart with its side title and axis labels

st.title(f"Equity and trends · {plain(couple['label'])}", anchor=False)
range_key = st.segmented_control(
    "Time range",
    list(trends.RANGES),
    format_func=lambda k: trends.RANGES[k][0],
    default=trends.DEFAULT_RANGE,
    key="equity.range",
)
shown = trends.page(
    app.db, actor, couple["id"], range_key or trends.DEFAULT_RANGE, zone=browser_zone()
)
win, view, buckets = shown.window, shown.equity, shown.buckets
names = trends.legend_names(couple)
per = "week" if win.bucket == "week" else "month"
if win.history_from is not None:
    asked = trends.RANGES.get(range_key or trends.DEFAULT_RANGE, ("", 0))[0].lower()
    st.caption(
        f"Their history here starts on {dates.shown(win.history_from)}, so the charts start near it "
        f"rather than {asked} ago."
    )

what_stands_out(app, actor, couple)

# -- equity over time ------------------------------------------------------------------------------
# The chart has a fixed width (Vega-Lite cannot size a chart of two panels to its column): side
# by side in columns it ran over the explanation on a 1280 px screen. In a row that wraps, the
# explanation sits beside the chart where there is room for both, and below it where not.
row = st.container(horizontal=True, wrap=True, gap="medium")
left = row.container(width=CHART_BOX)
right = row.container(border=True, width=EXPLANATION_WIDTH)
with left:
    if not view.has_data or view.balance.empty:  # nothing yet, or only a season still to come
        st.info(
            "Nothing to balance yet: add seasons and ledger events, or wait for check-ins with "
            "the home-load questions."
        )
        st.page_link(SEASONS, label="Add seasons and ledger events", icon=":material/auto_stories:")
    else:
        felt_rows = trends.fairness_frame(buckets)  # the chart's panel and its table, made once
        charts.equity_chart(
            view.balance,
            view.seasons,
            view.events,
            felt_rows,
            view.names,
            win.start,
            win.end,
            key="equity.chart",
        )
        felt = (
            " How fair it feels (below it): no check-ins in this time range yet, so it is empty."
            if buckets.empty
            else ""
        )
        charts.caption(
            f"Now: {plain(equity.leaning(view.latest, view.names))}. One point per {per}; "
            f"hold the pointer over one, or tap it, for what makes it up.{felt}",
            charts.numbers(
                chart_tables.equity,
                view.balance,
                view.seasons,
                view.events,
                felt_rows,
                view.names,
                win.bucket,
            ),
        )
with right:
    st.markdown("**How this is computed**")
    a, b = (plain(n) for n in names)
    st.markdown(
        f"""
Zero means even. The line rises when **{a}** has been giving more and falls when **{b}** has.

Three things count, the same way for both:

- **Seasons.** Each week of a season led by one partner's career counts as a week of giving by
  the other. Balanced seasons count nothing.
- **The ledger.** Each sacrifice counts once, on its date: small as 2 weeks,
  medium as 8, large as 26. A repayment is logged from the other side, so it pulls the line back.
- **The home load.** Each partner's own check-in share of household and mental load. 50/50
  counts nothing; carrying all of it counts like a week of giving per week. Each partner's
  account is half of it.

Old history fades: giving counts half after a year, a quarter after two. The line stays
between −100 and +100; a year of steadying while the other's career leads reads about 50.

Below: how fair it feels to each of them, in their own check-ins. The gap between the line and
the feeling is often the conversation.

*A conversation aid, not a verdict: it only knows what was logged here.*
"""
    )

# -- check-in trends --------------------------------------------------------------------------------
st.header("Check-in trends", anchor=False)
if buckets.empty:
    st.info("No check-ins in this time range yet.")
    st.page_link(CHECKINS, label="Set up check-ins", icon=":material/event_repeat:")
    st.stop()
rc = shown.reliable_change
name_of = dict(zip([p["id"] for p in couple["partners"]], names, strict=True))
charts.trends_chart(
    buckets,
    win.bucket,
    names,
    win.start,
    win.end,
    trends.csi_cutoff(),
    {name_of[pid]: value for pid, value in rc.items() if pid in name_of},
    key="trends.chart",
)
charts.caption(
    f"{plain(trends.latest_words(buckets, names, win.bucket))}\n\n"
    f"Each point is the mean of a partner's check-ins in that {per} (point at it for how many). "
    "Satisfaction is the CSI-4 (Funk & Rogge, 2007), scored as published; the other answers are "
    "Tandem's own 0–10 questions, with no published cut-offs. The reliable-change rings use a "
    "threshold Tandem computes from each partner's own check-ins (Jacobson & Truax, 1991): "
    "it is not a published figure for the CSI-4.",
    charts.numbers(chart_tables.trends, buckets, win.bucket, trends.csi_cutoff()),
)
