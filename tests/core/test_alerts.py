"""Caseload alert rules, one by one: each fires on its pattern, stays quiet otherwise, and
says why in one line."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest

from core import alerts, equity
from core.alerts import CoupleSignals, Review, Summary
from core.schedule import Schedule

NOW = datetime(2026, 3, 15, 12)


def partner(name: str, **signals) -> dict:
    """One partner's signals as sql/caseload/partner_signals.sql returns them."""
    return {"name": name, **signals}


def couple(*partners, **extra) -> CoupleSignals:
    return CoupleSignals(1, list(partners), **extra)


def fired(signals: CoupleSignals) -> dict[str, str]:
    return {a.rule: a.reason for a in alerts.evaluate(signals, NOW)}


def raw_for(balance: float) -> float:
    """The raw weeks' worth that shows as `balance` on screen."""
    return equity.SCALE * math.atanh(balance / 100)


def test_nothing_to_report_raises_nothing():
    assert fired(couple(partner("Ana"), partner("Bo"))) == {}


# -- safety ----------------------------------------------------------------------------------
def test_a_recent_safety_answer_raises_the_most_severe_alert_naming_who_and_when():
    signals = couple(partner("Ana", safety_at=datetime(2026, 3, 2)), partner("Bo"))
    reason = fired(signals)[alerts.SAFETY]
    assert "Ana" in reason and "2 Mar 2026" in reason and "Bo" not in reason
    assert alerts.SEVERITY[alerts.SAFETY] == max(alerts.SEVERITY.values())


# -- satisfaction ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("latest", "fires"), [(13, True), (13.5, False), (21, False), (None, False)]
)
def test_satisfaction_below_the_published_cut_off_fires(latest, fires):
    signals = couple(partner("Ana", csi_latest=latest), partner("Bo", csi_latest=18))
    assert (alerts.LOW in fired(signals)) is fires
    if fires:
        assert "13.5" in fired(signals)[alerts.LOW] and "Ana 13" in fired(signals)[alerts.LOW]


def dropping(latest, previous, earlier=16.0, rmssd=1.0, steps=10, window=8):
    return partner(
        "Ana",
        csi_latest=latest,
        csi_previous=previous,
        csi_earlier=earlier,
        csi_earlier_at=datetime(2025, 10, 1),
        csi_rmssd=rmssd,
        csi_steps=steps,
        csi_window_n=window,
    )


def test_two_check_ins_below_the_reliable_change_raise_a_drop_that_says_it_is_computed():
    reason = fired(couple(dropping(12, 13), partner("Bo")))[alerts.DROP]
    assert "Ana from about 16" in reason and "13 and 12" in reason
    assert "not a published figure" in reason


@pytest.mark.parametrize(
    "ana",
    [
        dropping(12, 15),  # only the newest one is down: could be one bad week
        dropping(15, 15),  # within the reliable change (threshold 2)
        dropping(12, 12, rmssd=3.0),  # a noisy partner: threshold 5.9
        dropping(12, 12, steps=2),  # too few check-ins to know the noise
        dropping(12, 12, window=4),  # too few in the last 26 weeks
    ],
)
def test_no_drop_without_a_reliable_sustained_fall(ana):
    assert alerts.DROP not in fired(couple(ana, partner("Bo")))


# -- resentment ------------------------------------------------------------------------------
def resentful(n=6, slope=0.05, span=60, latest=6, first=3):
    return partner(
        "Katie",
        resentment_n=n,
        resentment_slope=slope,
        resentment_span_days=span,
        resentment_latest=latest,
        resentment_first=first,
    )


def test_resentment_rising_over_recent_check_ins_fires_with_the_numbers():
    reason = fired(couple(partner("Jen"), resentful()))[alerts.RESENTMENT]
    assert reason == "Resentment rising (of 10): Katie 3 → 6 over the last 6 check-ins."


@pytest.mark.parametrize(
    "katie",
    [
        resentful(slope=0.02),  # rises 1.2 points over the window: not enough
        resentful(latest=3),  # rising but still low
        resentful(n=3),  # too few check-ins to call it a trend
        resentful(slope=-0.05),  # falling
    ],
)
def test_resentment_that_is_not_clearly_rising_does_not_fire(katie):
    assert alerts.RESENTMENT not in fired(couple(partner("Jen"), katie))


# -- decisions ----------------------------------------------------------------------------------
def test_decisions_reported_as_made_alone_fire_when_they_outnumber_joint_ones():
    signals = couple(
        partner("David", decided_alone=3, decided_together=1),
        partner("Priya", decided_alone=2, decided_together=0),
    )
    reason = fired(signals)[alerts.ALONE]
    assert "5 of 6" in reason and "David 3×" in reason and "Priya 2×" in reason


@pytest.mark.parametrize(("alone", "together"), [(1, 0), (2, 2), (2, 5), (0, 0)])
def test_decisions_alone_stay_quiet_when_rare_or_outnumbered(alone, together):
    signals = couple(
        partner("David", decided_alone=alone, decided_together=together), partner("Priya")
    )
    assert alerts.ALONE not in fired(signals)


# -- perceptions -------------------------------------------------------------------------------
def guessing(gap, periods, guess, felt) -> dict:
    """One partner's guesses of the other's fairness, as partner_signals.sql pairs them."""
    return {
        "guess_gap_8w": gap,
        "guess_periods_8w": periods,
        "guess_latest": guess,
        "felt_latest": felt,
    }


def test_a_wrong_guess_of_how_fair_it_feels_to_the_other_fires():
    signals = couple(
        partner("David", **guessing(5.0, 1, 8.0, 3.0)),
        partner("Priya", **guessing(1.0, 1, 7.0, 8.0)),
    )
    reason = fired(signals)[alerts.DIVERGING]
    assert "David thinks it feels 8/10 fair to Priya, who says 3/10" in reason
    assert "on average" not in reason  # one pair of answers: its gap is the whole story
    assert "Priya thinks" not in reason  # her guess of David (7 vs 8) is close enough


def test_guesses_off_in_opposite_directions_fire_on_their_average_gap():
    """Maya guessed 4 when Jonas said 10, then 7 when he said 1: 6 points apart both times
    (the two 8-week means, 5.5 and 5.5, hid it)."""
    signals = couple(partner("Maya", **guessing(6.0, 2, 7.0, 1.0)), partner("Jonas"))
    assert fired(signals)[alerts.DIVERGING] == (
        "Perceptions diverging (last 8 weeks): Maya thinks it feels 7/10 fair to Jonas, who "
        "says 1/10 (6 points apart on average over the 2 check-ins both sent)."
    )


@pytest.mark.parametrize(("gap", "fires"), [(alerts.PERCEPTION_GAP, True), (3.9, False)])
def test_the_average_gap_fires_from_the_threshold(gap, fires):
    # The latest pair is close: the average over the periods decides, not the last one.
    signals = couple(partner("Ana", **guessing(gap, 3, 6.0, 6.5)), partner("Bo"))
    assert (alerts.DIVERGING in fired(signals)) is fires


def test_both_claiming_most_of_the_home_load_fires():
    signals = couple(partner("Ana", load_share_8w=70.0), partner("Bo", load_share_8w=65.0))
    assert "Ana 70%, Bo 65%" in fired(signals)[alerts.DIVERGING]


def test_close_perceptions_do_not_fire():
    signals = couple(
        partner("Ana", load_share_8w=60.0, **guessing(1.0, 4, 6.0, 5.0)),
        partner("Bo", load_share_8w=45.0, **guessing(2.5, 4, 7.0, 7.0)),
    )
    assert alerts.DIVERGING not in fired(signals)


# -- sustained yielding ------------------------------------------------------------------------
@pytest.mark.parametrize(("now", "then", "who"), [(60, 55, "Ana"), (-70, -52, "Bo")])
def test_a_balance_leaning_one_way_for_six_months_fires_naming_who_gave(now, then, who):
    signals = couple(
        partner("Ana"),
        partner("Bo"),
        raw_now=raw_for(now),
        raw_13w=raw_for((now + then) / 2),
        raw_26w=raw_for(then),
    )
    reason = fired(signals)[alerts.YIELDING]
    assert reason.startswith(f"{who} has been giving more for at least six months")
    assert f"{now:+d} of 100 now" in reason


@pytest.mark.parametrize(
    ("now", "mid", "then"), [(60, 55, 45), (60, -55, 60), (20, 20, 20), (60, 60, -60)]
)
def test_a_balance_that_only_recently_leans_or_swings_does_not_fire(now, mid, then):
    signals = couple(
        partner("Ana"),
        partner("Bo"),
        raw_now=raw_for(now),
        raw_13w=raw_for(mid),
        raw_26w=raw_for(then),
    )
    assert alerts.YIELDING not in fired(signals)


# -- schedule and reviews ------------------------------------------------------------------------
WEEKLY = Schedule("weekly", date(2026, 1, 5), "UTC")


def test_an_overdue_check_in_fires_naming_each_late_partner():
    signals = couple(
        partner("Amara", last_at=NOW - timedelta(days=30)),
        partner("Jonah", last_at=NOW - timedelta(days=2)),
        schedule=WEEKLY,
    )
    reason = fired(signals)[alerts.OVERDUE]
    assert "Amara (due" in reason and "Jonah" not in reason


def test_no_overdue_alert_without_a_schedule_or_within_grace():
    late = partner("Amara", last_at=NOW - timedelta(days=30))
    assert alerts.OVERDUE not in fired(couple(late, partner("Jonah")))
    # Sunday's check-in, Wednesday now: due since Monday, still inside the three days' grace.
    sunday = datetime(2026, 3, 8, 20)
    recent = couple(
        partner("Amara", last_at=sunday), partner("Jonah", last_at=sunday), schedule=WEEKLY
    )
    assert [a.rule for a in alerts.evaluate(recent, datetime(2026, 3, 11, 9))] == []
    assert [a.rule for a in alerts.evaluate(recent, datetime(2026, 3, 12, 9))] == [alerts.OVERDUE]


def test_a_passed_review_date_fires_and_a_coming_one_does_not():
    passed = Review(1, "season “Noor's start-up years”", date(2026, 1, 31))
    coming = Review(1, "agreement “Offers”", date(2026, 4, 1))
    assert (
        "due 31 Jan 2026"
        in fired(couple(partner("A"), partner("B"), reviews=[passed, coming]))[alerts.REVIEW]
    )
    assert alerts.REVIEW not in fired(couple(partner("A"), partner("B"), reviews=[coming]))


# -- the caseload line ---------------------------------------------------------------------------
def test_alerts_come_most_severe_first():
    signals = couple(
        partner("Ana", safety_at=datetime(2026, 3, 1), csi_latest=10),
        partner("Bo", last_at=NOW - timedelta(days=40)),
        schedule=WEEKLY,
    )
    assert [a.rule for a in alerts.evaluate(signals, NOW)] == [
        alerts.SAFETY,
        alerts.LOW,
        alerts.OVERDUE,
    ]


def test_an_archived_couple_keeps_only_a_safety_alert():
    signals = couple(
        partner("Ana", safety_at=datetime(2026, 3, 1), csi_latest=10),
        partner("Bo", last_at=NOW - timedelta(days=40)),
        schedule=WEEKLY,
    )
    summary = alerts.summarise(signals, NOW)
    assert alerts.as_shown(summary, "active") == summary
    archived = alerts.as_shown(summary, "archived")
    assert [a.rule for a in archived.alerts] == [alerts.SAFETY]
    assert archived.last_checkin == summary.last_checkin  # the rest of the line is kept
    quiet = couple(partner("Ana", last_at=NOW - timedelta(days=40)), partner("Bo"), schedule=WEEKLY)
    assert alerts.as_shown(alerts.summarise(quiet, NOW), "archived").alerts == ()


def test_the_couple_who_needs_attention_first_sorts_on_top():
    rows = [{"id": i} for i in (1, 2, 3, 4)]
    a = alerts.Alert
    found = {
        1: Summary(1, (), datetime(2026, 3, 1), None, None),
        2: Summary(2, (a(alerts.OVERDUE, "x"), a(alerts.REVIEW, "y")), None, None, None),
        3: Summary(3, (a(alerts.SAFETY, "z"),), datetime(2026, 3, 14), None, None),
        4: Summary(4, (a(alerts.REVIEW, "y"),), datetime(2026, 1, 1), None, None),
    }
    assert [r["id"] for r in alerts.by_urgency(rows, found)] == [3, 2, 4, 1]


def test_what_the_caseload_says_is_dated_on_the_readers_clock():
    """Stored in UTC: a check-in at 08:50 on 24 Nov in Sydney is 21:50 on the 23rd. The
    caseload and the alerts dated it by the couple's schedule (UTC without one) while the
    couple's pages used the counselor's own clock: two dates for one answer (walkthrough)."""
    sent = datetime(2026, 11, 23, 21, 50)
    signals = CoupleSignals(
        1,
        [{"name": "Ana", "last_at": sent, "safety_at": sent}, {"name": "Bo"}],
        schedule=Schedule("weekly", date(2026, 1, 5), "America/Chicago", datetime(2026, 1, 5)),
    )
    now = datetime(2026, 11, 24)
    sydney = alerts.summarise(signals, now, "Australia/Sydney")
    assert sydney.last_checkin_on == date(2026, 11, 24)
    assert "Ana (24 Nov 2026)" in sydney.alerts[0].reason
    utc = alerts.summarise(signals, now)  # no zone from the browser: UTC
    assert utc.last_checkin_on == date(2026, 11, 23)
    assert "Ana (23 Nov 2026)" in utc.alerts[0].reason
    unknown = alerts.summarise(signals, now, "Not/AZone")  # unknown: UTC, no error
    assert (unknown.last_checkin_on, unknown.alerts) == (utc.last_checkin_on, utc.alerts)
    assert signals.shown_zone is None  # the signals as read are not changed
    assert Summary(1, (), None, None, None, "Australia/Sydney").last_checkin_on is None


def test_a_review_date_passes_at_the_readers_midnight():
    """The Agreements page counts a review as come on the counselor's own day; the caseload
    counted UTC's, a whole morning later in Sydney. Its judgement is kept until the reader's
    midnight, when a review may pass."""
    signals = CoupleSignals(
        1,
        [{"name": "Ana"}, {"name": "Bo"}],
        reviews=[Review(1, "agreement “X”", date(2026, 11, 24))],
    )
    sydney_midnight = datetime(2026, 11, 24, 13)  # 00:00 on the 25th in Sydney (UTC+11)
    before = alerts._judged(signals, sydney_midnight - timedelta(hours=1), "Australia/Sydney")
    assert before.summary.alerts == () and before.until == sydney_midnight
    after = alerts.summarise(signals, sydney_midnight, "Australia/Sydney")
    assert [a.rule for a in after.alerts] == [alerts.REVIEW]
    assert alerts.summarise(signals, sydney_midnight).alerts == ()  # UTC: still the 24th
    utc = alerts._judged(signals, sydney_midnight, None)
    assert utc.until == datetime(2026, 11, 25)
    assert alerts._judged(signals, sydney_midnight, "Not/AZone").until == datetime(2026, 11, 25)


@pytest.mark.parametrize(
    ("slopes", "label"),
    [
        ([(-0.05, 6), (0.0, 6)], "↘ Ana"),
        ([(0.0, 6), (0.04, 6)], "↗ Bo"),
        ([(0.01, 6), (-0.01, 6)], "→ steady"),
        ([(-0.1, 2), (None, 0)], "—"),  # too few check-ins to tell
    ],
)
def test_the_satisfaction_trend_names_the_partner_who_moves(slopes, label):
    (s1, n1), (s2, n2) = slopes
    signals = couple(
        partner("Ana", csi_slope_per_day=s1, csi_n_90d=n1),
        partner("Bo", csi_slope_per_day=s2, csi_n_90d=n2),
    )
    assert alerts.summarise(signals, NOW).trend_label == label


def test_next_review_prefers_a_passed_one_then_the_soonest():
    reviews = [Review(1, "a", date(2026, 5, 1)), Review(1, "b", date(2026, 4, 1))]
    assert (
        alerts.summarise(couple(partner("A"), partner("B"), reviews=reviews), NOW).next_review.what
        == "b"
    )
    reviews.append(Review(1, "c", date(2026, 2, 1)))
    assert (
        alerts.summarise(couple(partner("A"), partner("B"), reviews=reviews), NOW).next_review.what
        == "c"
    )
