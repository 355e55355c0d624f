"""The trend charts' last figures in words (core.trends.latest_words): what the charts end on,
for a screen reader, which gets no text from a chart's drawing (accessibility review)."""

from datetime import date

import pandas as pd

from core.trends import latest_words


def frame(rows):
    return pd.DataFrame(rows)


def test_each_partners_newest_bucket_in_words_in_the_panels_order():
    buckets = frame(
        [
            {"partner": "Ana", "bucket": date(2026, 11, 9), "csi_total": 12.0, "stress": 6.0},
            {"partner": "Ana", "bucket": date(2026, 11, 16), "csi_total": 14.5, "stress": 5.0},
            {"partner": "Ben", "bucket": date(2026, 11, 2), "csi_total": 18.0, "stress": None},
        ]
    )
    assert latest_words(buckets, ["Ana", "Ben"], "week") == (
        "Latest: Ana (week of 16 Nov 2026): satisfaction 14.5 of 21, stress 5 of 10; "
        "Ben (week of 2 Nov 2026): satisfaction 18 of 21."
    )


def test_a_partner_without_check_ins_is_left_out_and_nothing_says_nothing():
    buckets = frame([{"partner": "Ana", "bucket": pd.Timestamp("2026-11-01"), "load_share": 62.5}])
    assert latest_words(buckets, ["Ana", "Ben"], "month") == (
        "Latest: Ana (month of 1 Nov 2026): share of the home load 62.5%."
    )
    assert latest_words(frame([]), ["Ana", "Ben"], "week") == ""
