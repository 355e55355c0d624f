"""Each chart's numbers as folded tables (core.chart_tables): the figures the chart is drawn
from, every text escaped, a caption on every table, a region Tab reaches, long tables cut to
the newest rows with a word about it, and HTML Markdown takes whole."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pandas as pd
import pytest

from core import chart_tables, roadmap
from core.trends import MEASURES

NAMES = ("Rachel", "Marcus")
HOSTILE = 'Zoë <script>alert("x")</script> & $x$ **bold** :red[no]'


class Tables(HTMLParser):
    """The tables of some HTML: each one's caption, region label, heading row and rows (as the
    text of their cells), and every element's tag with its attributes."""

    def __init__(self, text: str):
        super().__init__()
        self.tables: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self.cell: list[str] | None = None
        self.row: list[str] | None = None
        self.label = ""
        self.caption: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("role") == "region":
            self.label = attrs.get("aria-label", "")
        if tag == "table":
            self.tables.append({"label": self.label, "caption": "", "rows": []})
        elif tag == "caption":
            self.caption = []
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = "".join(self.caption)
            self.caption = None
        elif tag in ("th", "td"):
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr":
            self.tables[-1]["rows"].append(self.row)

    def handle_data(self, data):
        for part in (self.cell, self.caption):
            if part is not None:
                part.append(data)


def balance(weeks: int = 3) -> pd.DataFrame:
    days = pd.date_range("2026-01-04", periods=weeks, freq="7D")
    return pd.DataFrame(
        {
            "day": days,
            "balance": [34.4 - 20 * i for i in range(weeks)],
            "raw": [0.0] * weeks,
            "season": [2.04 - i for i in range(weeks)],
            "ledger": [-0.04] * weeks,
            "load": [float("nan")] + [1.0] * (weeks - 1),
        }
    )


def seasons(title: str = "Rachel's turn") -> pd.DataFrame:
    return pd.DataFrame(
        [{"start": date(2025, 10, 1), "end": date(2027, 1, 1), "lead": "Rachel", "title": title}]
    ).assign(span="1 Oct 2025 – still going")


def events(what: str = "Moved cities") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "day": pd.Timestamp("2026-01-10"),
                "giver": "Marcus",
                "what": what,
                "size": "Large",
                "acknowledged": True,
                "repaid": "Not yet",
            }
        ]
    )


def fairness() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"day": pd.Timestamp("2026-01-05"), "partner": "Rachel", "fairness_me": 6.0, "checkins": 1},
            {"day": pd.Timestamp("2026-01-05"), "partner": "Marcus", "fairness_me": 7.5, "checkins": 2},
            {"day": pd.Timestamp("2026-01-12"), "partner": "Marcus", "fairness_me": 8.0, "checkins": 1},
        ]
    )  # fmt: skip


def buckets(weeks: int = 2) -> pd.DataFrame:
    rows = []
    for i in range(weeks):
        for partner in NAMES:
            rows.append(
                {"bucket": pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=i), "partner": partner,
                 "checkins": 1, "csi_total": 15.0, "fairness_me": 6.5, "heard": None,
                 "resentment": 4.0, "stress": 6.0, "load_share": 57.5,
                 "csi_change": "reliably lower" if (i, partner) == (1, "Rachel") else ""}
            )  # fmt: skip
    return pd.DataFrame(rows)


def equity_html(**given) -> str:
    frames = {"balance": balance(), "seasons": seasons(), "events": events()}
    frames |= {"fairness": fairness()} | given
    return chart_tables.equity(
        frames["balance"], frames["seasons"], frames["events"], frames["fairness"], NAMES, "week"
    )


def test_the_equity_table_lists_each_weeks_balance_and_its_parts_as_the_chart_draws_them():
    parsed = Tables(equity_html())
    first = parsed.tables[0]
    assert first["label"] == "Equity over time"
    assert "above zero Rachel has given more, below it Marcus" in first["caption"]
    # The parts are in weeks' worth, the balance on its bounded scale: they never add up to it.
    assert "add up" not in first["caption"]
    assert "their sum, kept within \u2212100 to +100 as the page explains" in first["caption"]
    assert first["rows"] == [
        ["Week ending", "Balance", "From seasons", "From the ledger", "From the home load"],
        ["4 Jan 2026", "+34", "+2.0", "0.0", "—"],  # −0.04 is 0.0, never −0.0
        ["11 Jan 2026", "+14", "+1.0", "0.0", "+1.0"],
        ["18 Jan 2026", "\u22126", "0.0", "0.0", "+1.0"],  # a minus sign, not a hyphen
    ]
    labels = [t["label"] for t in parsed.tables]
    assert labels == ["Equity over time", "Seasons", "Ledger events", "How fair it feels"]
    assert parsed.tables[1]["rows"][1] == ["Rachel's turn", "Rachel", "1 Oct 2025 – still going"]
    assert parsed.tables[2]["rows"][1] == [
        "10 Jan 2026", "Marcus", "Moved cities", "Large", "Yes", "Not yet"
    ]  # fmt: skip
    # Felt fairness a row per week, a partner per column; a dash where one had no check-in.
    assert parsed.tables[3]["rows"] == [
        ["Week of", "Rachel", "Marcus"],
        ["5 Jan 2026", "6", "7.5"],
        ["12 Jan 2026", "—", "8"],
    ]


def test_every_table_has_a_caption_and_a_region_that_tab_reaches_under_a_summary():
    html = equity_html()
    parsed = Tables(html)
    assert html.startswith('<details class="tandem-numbers">\n<summary>')
    assert [t for t, _ in parsed.tags].count("summary") == 1
    regions = [a for t, a in parsed.tags if a.get("role") == "region"]
    assert len(regions) == len(parsed.tables) == 4
    assert all(r["tabindex"] == "0" and r["aria-label"] for r in regions)
    assert all(t["caption"] for t in parsed.tables)
    # Column headings and row headings, for a screen reader's table navigation.
    scopes = [a.get("scope") for t, a in parsed.tags if t == "th"]
    assert set(scopes) == {"col", "row"}
    # Markdown takes an HTML block up to its first blank line: there is none.
    assert "\n\n" not in html


def test_text_people_typed_stays_text():
    html = equity_html(seasons=seasons(HOSTILE), events=events(HOSTILE + "\n\nmore"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\n\n" not in html  # a typed blank line would end Markdown's HTML block
    parsed = Tables(html)
    assert parsed.tables[1]["rows"][1][0] == HOSTILE
    assert parsed.tables[2]["rows"][1][2] == HOSTILE + " more"
    names = ('Ann "A" <b>', "Bo & Co")
    named = chart_tables.equity(balance(), seasons(), events(), None, names, "week")
    assert "&lt;b&gt;" in named and "<b>" not in named and "&amp; Co" in named


def test_no_seasons_events_or_check_ins_leave_only_the_balance():
    empty = pd.DataFrame()
    html = chart_tables.equity(balance(), empty, empty, None, NAMES, "month")
    parsed = Tables(html)
    assert [t["label"] for t in parsed.tables] == ["Equity over time"]
    assert parsed.tables[0]["caption"].startswith("Equity over time, month by month")


def test_a_long_history_lists_the_newest_rows_and_says_so():
    n = chart_tables.MAX_ROWS + 5
    html = chart_tables.equity(balance(n), pd.DataFrame(), pd.DataFrame(), None, NAMES, "week")
    rows = Tables(html).tables[0]["rows"][1:]
    assert len(rows) == chart_tables.MAX_ROWS
    assert rows[-1][0] == f"{balance(n)['day'].iloc[-1]:%-d %b %Y}"  # the newest kept
    assert f"Only the newest {chart_tables.MAX_ROWS} of {n} weeks are listed." in html
    assert "Only the newest" not in equity_html()


def test_the_trends_table_has_a_row_per_week_and_partner_with_each_measures_mean():
    parsed = Tables(chart_tables.trends(buckets(), "week", 13.5))
    (only,) = parsed.tables
    head, *rows = only["rows"]
    assert head[:2] == ["Week of", "Partner"]
    assert head[2:8] == list(MEASURES.values())  # the charts' panels, in their order
    assert rows[0] == ["5 Jan 2026", "Marcus", "15", "6.5", "—", "4", "6", "57.5", "1", "—"]
    assert rows[3][1] == "Rachel" and rows[3][-1] == "reliably lower"  # the chart's ring
    assert "under 13.5 is notable dissatisfaction" in only["caption"]
    assert [a.get("scope") for t, a in parsed.tags if t == "th"][-2:] == ["row", "row"]


def test_the_trends_table_cuts_whole_weeks_not_one_partners_row_of_a_week():
    weeks = chart_tables.MAX_ROWS + 3
    html = chart_tables.trends(buckets(weeks), "week", 13.5)
    rows = Tables(html).tables[0]["rows"][1:]
    assert len(rows) == 2 * chart_tables.MAX_ROWS
    assert f"Only the newest {chart_tables.MAX_ROWS} of {weeks} weeks are listed." in html
    assert chart_tables.trends(pd.DataFrame(), "week", 13.5) == ""


def test_the_roadmap_table_lists_every_date_the_lanes_and_the_seasons_still_going():
    today = date(2026, 11, 22)
    rows = [
        {"lane": "Rachel", "title": "Starts a PhD", "start": date(2027, 9, 1),
         "end": date(2031, 6, 30), "category": "Study or training", "from": "roadmap"},
        {"lane": "Together", "title": HOSTILE, "start": date(2024, 11, 1), "end": None,
         "category": "Family transition", "from": "roadmap"},
        {"lane": "Marcus", "title": "Retires", "start": date(2090, 1, 1), "end": None,
         "category": "Career step", "from": "roadmap"},  # not drawn: too far; listed
    ]  # fmt: skip
    data = {
        "frame": roadmap.frame(rows, today),
        "seasons": pd.DataFrame(
            [
                {
                    "lead": "Marcus",
                    "title": "His turn",
                    "start": date(2020, 1, 1),
                    "end": date(2025, 9, 30),
                },
                {
                    "lead": "Balanced",
                    "title": "Ours",
                    "start": date(2025, 10, 1),
                    "end": date(2027, 1, 1),
                },
            ]
        ),  # fmt: skip
        "seasons_open": [False, True],
    }
    html = chart_tables.roadmap(data)
    assert "<summary>The dates behind this chart</summary>" in html
    events, spans = Tables(html).tables
    assert events["rows"][1:] == [
        ["1 Nov 2024", "", "Together", HOSTILE, "Family transition", "Past"],
        ["1 Sep 2027", "30 Jun 2031", "Rachel", "Starts a PhD", "Study or training", "Planned"],
        ["1 Jan 2090", "", "Marcus", "Retires", "Career step", "Planned"],
    ]
    assert spans["rows"][1:] == [
        ["1 Jan 2020", "30 Sep 2025", "His turn", "Marcus"],
        ["1 Oct 2025", "still going", "Ours", "Balanced"],  # not the chart's right edge
    ]
    # The titles' column keeps room for them on a phone (ui/widgets.py), and only it.
    assert html.count('<td class="long">Starts a PhD</td>') == 1
    assert html.count('<td class="long">Ours</td>') == 1
    assert html.count('class="long"') == 5


def test_a_roadmap_with_nothing_on_it_has_no_table():
    data = {"frame": roadmap.frame([], date(2026, 11, 22)), "seasons": pd.DataFrame()}
    assert chart_tables.roadmap(data) == ""


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [(34.4, 0, "+34"), (-0.4, 0, "0"), (-2.46, 1, "\u22122.5"), (None, 0, "—"), (float("nan"), 1, "—")],
)  # fmt: skip
def test_signed_figures_use_a_minus_sign_and_never_say_minus_zero(value, places, shown):
    assert chart_tables.signed(value, places) == shown


def test_means_read_as_whole_numbers_when_they_are():
    assert [chart_tables.mean(v) for v in (7.0, 6.5, 6.26, None, "x")] == [
        "7",
        "6.5",
        "6.3",
        "—",
        "—",
    ]
