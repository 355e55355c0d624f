"""Caseload alerts from SQL: the same equity balance as the Python model, a fixed number of
queries whatever the caseload's size, and each story showing up for the right couple."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from core import (
    agreements,
    alerts,
    checkin_rows,
    checkins,
    decisions,
    equity,
    instruments,
    ledger,
    links,
    seasons,
    trends,
)
from core.clock import utcnow
from core.dates import shown
from core.db import Database
from tests.conftest import make_couple

NOW = datetime(2026, 3, 16, 10)
TODAY = NOW.date()


def partner_ids(db, couple_id):
    return [p["id"] for p in db.all("couples/partners", couple_id=couple_id)]


def add_checkins(db, couple_id, rows):
    """Bulk-load typed check-in rows: (partner_id, submitted_at, {column: value})."""
    full = []
    for partner_id, when, values in rows:
        row = dict.fromkeys(checkin_rows.COLUMNS)
        row.update({"safety_flag": False, **values})
        full.append(
            {
                "couple_id": couple_id,
                "partner_id": partner_id,
                "link_id": None,
                "submitted_at": when,
                "period_on": None,
                **row,
            }
        )
    names = [
        "couple_id",
        "partner_id",
        "link_id",
        "submitted_at",
        "period_on",
        *checkin_rows.COLUMNS,
    ]
    db.all("checkins/insert_many", **{n: [r[n] for r in full] for n in names})


def random_history(db, actor, couple_id, rng: random.Random):
    """Seasons, ledger events and load reports at random over six years."""
    a, b = partner_ids(db, couple_id)
    start = TODAY - timedelta(days=6 * 365)
    cursor = start
    while cursor < TODAY:
        length = rng.randint(30, 700)
        end = cursor + timedelta(days=length)
        seasons.create(
            db,
            actor,
            couple_id,
            {
                "lead": rng.choice([a, b, "balanced"]),
                "starts_on": cursor,
                "ends_on": None if end >= TODAY else end,
            },
        )
        cursor = end + timedelta(days=1)
    for _ in range(rng.randint(0, 12)):
        ledger.create(
            db,
            actor,
            couple_id,
            {
                "giver": rng.choice([a, b]),
                "occurred_on": start + timedelta(days=rng.randint(0, 2200)),
                "kind": "other",
                "size": rng.choice([1, 2, 3]),
            },
        )
    rows = []
    for partner in (a, b):
        day = start
        while day < TODAY:
            if rng.random() < 0.8:
                at = datetime.combine(day, datetime.min.time()) + timedelta(
                    hours=rng.randint(0, 23)
                )
                rows.append((partner, at, {"load_share": rng.randint(0, 20) * 5.0}))
            day += timedelta(days=rng.choice([3, 7, 14, 70]))
    add_checkins(db, couple_id, rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_caseload_query_gives_the_same_balance_as_the_python_model(db, counselor, seed):
    rng = random.Random(seed)
    ids = [make_couple(db, counselor, f"A{seed}{i}", f"B{seed}{i}") for i in range(2)]
    for cid in ids:
        random_history(db, counselor, cid, rng)
    found = alerts.gather(db, counselor, now=NOW)
    for cid in ids:
        data = trends.equity_inputs(db, counselor, cid)
        for back, got in (
            (0, found[cid].raw_now),
            (91, found[cid].raw_13w),
            (182, found[cid].raw_26w),
        ):
            day = TODAY - timedelta(days=back)
            frame = equity.series(data, day)
            assert got == pytest.approx(float(frame["raw"].iloc[-1]), rel=1e-9, abs=1e-9)


def counting(monkeypatch) -> list[str]:
    """Record the name of every named query run through a Database (the audit trail's own
    writes aside: a view is recorded once per window, whatever the caseload's size)."""
    seen: list[str] = []
    original = Database._one_statement

    def spy(self, query, run):
        if query != "audit/record":
            seen.append(query)
        return original(self, query, run)

    monkeypatch.setattr(Database, "_one_statement", spy)
    return seen


def test_the_caseload_costs_the_same_few_queries_for_two_or_twenty_couples(
    db, counselor, monkeypatch
):
    for i in range(2):
        make_couple(db, counselor, f"Few{i}", f"Couple{i}")
    seen = counting(monkeypatch)
    alerts.summaries(db, counselor, now=NOW)
    few = len(seen)
    for i in range(18):
        make_couple(db, counselor, f"Many{i}", f"Couple{i}")
    alerts._reuse.clear()  # a whole read (kept, 18 new couples would be read one by one)
    seen.clear()
    assert len(alerts.summaries(db, counselor, now=NOW)) == 20
    assert len(seen) == few <= 5
    assert seen.count("caseload/reviews") == 1  # seasons, agreements and decisions at once


def weekly_checkins(db, couple_id, weeks=12, skip_after=None, first=None):
    """Twelve calm weekly check-ins for both partners (the first partner's may differ)."""
    a, b = partner_ids(db, couple_id)
    rows = []
    for week in range(weeks):
        if skip_after is not None and week > skip_after:
            continue
        when = NOW - timedelta(weeks=weeks - 1 - week, hours=3)
        base = {"csi_total": 17, "resentment": 2, "last_decision": "together"}
        rows.append((a, when, {**base, **(first(week) if first else {})}))
        rows.append((b, when, base))
    add_checkins(db, couple_id, rows)
    return a, b


def test_each_pattern_is_found_for_its_couple_and_the_most_urgent_sorts_first(db, counselor):
    calm_id = make_couple(db, counselor, "Elif", "Mateo")
    worried = make_couple(db, counselor, "Katie", "Jen")
    fang = make_couple(db, counselor, "Fang", "Tomás")
    late = make_couple(db, counselor, "Amara", "Jonah")
    weekly_checkins(db, calm_id)
    weekly_checkins(db, worried, first=lambda week: {"resentment": 2 + week // 2})
    weekly_checkins(db, late, skip_after=6)
    fa, _ = weekly_checkins(db, fang)
    add_checkins(
        db,
        fang,
        [(fa, NOW - timedelta(hours=1), {"csi_total": 12, "safety_flag": True, "safety_level": 2})],
    )
    checkins.set_schedule(
        db, counselor, late, "weekly", date(2025, 12, 1), "UTC", now=datetime(2025, 11, 20)
    )

    found = alerts.summaries(db, counselor, now=NOW)
    rules = {cid: [a.rule for a in s.alerts] for cid, s in found.items()}
    assert rules[calm_id] == []
    assert rules[worried] == [alerts.RESENTMENT]
    assert rules[fang] == [alerts.SAFETY, alerts.LOW]
    assert rules[late] == [alerts.OVERDUE]
    listed = [{"id": cid} for cid in (calm_id, late, worried, fang)]
    assert [r["id"] for r in alerts.by_urgency(listed, found)] == [fang, worried, late, calm_id]
    assert found[calm_id].last_checkin == NOW - timedelta(hours=3)


def test_a_counselor_sees_only_their_couples_and_an_admin_may_see_the_practice(
    db, admin, counselor, other_counselor
):
    mine = make_couple(db, counselor, "Mine", "Ours")
    theirs = make_couple(db, other_counselor, "Theirs", "Yours")
    assert set(alerts.summaries(db, counselor, now=NOW)) == {mine}
    assert set(alerts.summaries(db, counselor, whole_practice=True, now=NOW)) == {mine}
    assert set(alerts.summaries(db, admin, whole_practice=True, now=NOW)) == {mine, theirs}
    assert set(alerts.summaries(db, admin, now=NOW)) == set()


def test_passed_season_reviews_are_found_and_other_sources_can_be_added(db, counselor, monkeypatch):
    cid = make_couple(db, counselor)
    a, _ = partner_ids(db, cid)
    seasons.create(
        db,
        counselor,
        cid,
        {
            "lead": a,
            "starts_on": date(2025, 1, 1),
            "title": "Her turn",
            "review_on": date(2026, 2, 1),
        },
    )

    def agreements_source(db, actor, scope, couple_ids, today):
        return [alerts.Review(c, "agreement “Offers”", date(2026, 1, 1)) for c in couple_ids]

    monkeypatch.setattr(alerts, "REVIEW_SOURCES", [*alerts.REVIEW_SOURCES, agreements_source])
    summary = alerts.summaries(db, counselor, now=NOW)[cid]
    (review,) = [x for x in summary.alerts if x.rule == alerts.REVIEW]
    assert "agreement “Offers” (due 1 Jan 2026) and 1 more" in review.reason
    assert summary.next_review.what == "agreement “Offers”"


def agreement(db, actor, couple_id, title, review_on, status="active", agreement_id=None):
    """Save an agreement (or a new version of one) with its review date; its id."""
    raw = {"title": title, "body": "What we agreed.", "kind": "other", "status": status}
    saved = agreements.save(
        db, actor, couple_id, {**raw, "review_on": review_on}, agreement_id=agreement_id
    )
    return saved.agreement_id


def follow_up(db, actor, couple_id, decision_id, on, status="open"):
    """Set a decision's follow-up date (and status: a decided one says what was decided)."""
    decided = {"outcome": "We chose together.", "decided_on": on - timedelta(days=30)}
    fields = {"status": status, "follow_up_on": on, **(decided if status == "decided" else {})}
    decisions.update(db, actor, couple_id, decision_id, fields)


def next_review(db, actor, couple_id, now):
    found = alerts.summaries(db, actor, now=now)[couple_id].next_review
    return (found.what, found.review_on) if found else None


def test_next_review_is_the_soonest_of_seasons_agreements_and_decision_follow_ups(db, counselor):
    """The walkthrough's couple: a season review in three months showed while an agreement was
    due in seven weeks (agreements counted only once passed) and a decision's follow-up was not
    counted at all. Each edit shows at once, though the caseload's signals are kept."""
    now = utcnow()
    today = now.date()
    cid = make_couple(db, counselor, "Maya", "Jonas")
    maya, _ = partner_ids(db, cid)
    seasons.create(
        db,
        counselor,
        cid,
        {
            "lead": maya,
            "starts_on": today - timedelta(days=200),
            "title": "Maya's fellowship",
            "review_on": today + timedelta(days=92),
        },
    )
    season = ("season “Maya's fellowship”", today + timedelta(days=92))
    assert next_review(db, counselor, cid, now) == season
    offer = agreement(
        db, counselor, cid, "How we decide on the Edinburgh offer", today + timedelta(days=51)
    )
    assert next_review(db, counselor, cid, now) == (
        "agreement “How we decide on the Edinburgh offer”",
        today + timedelta(days=51),
    )
    move = decisions.create(db, counselor, cid, "Moving to Edinburgh", "relocation")
    follow_up(db, counselor, cid, move, today + timedelta(days=30))
    assert next_review(db, counselor, cid, now) == (
        "follow-up of decision “Moving to Edinburgh”",
        today + timedelta(days=30),
    )
    # Decided, its follow-up is no longer counted: there is no marking it done, and once
    # passed it would stay flagged for good.
    follow_up(db, counselor, cid, move, today + timedelta(days=20), status="decided")
    assert next_review(db, counselor, cid, now)[0].startswith("agreement")
    agreement(db, counselor, cid, "How we decide on the Edinburgh offer", None, "retired", offer)
    assert next_review(db, counselor, cid, now) == season
    # None of them has passed: nothing to flag.
    assert alerts.REVIEW not in [
        a.rule for a in alerts.summaries(db, counselor, now=now)[cid].alerts
    ]


def test_passed_agreement_reviews_and_follow_ups_still_raise_the_review_alert(db, counselor):
    """Five days on, an agreement's review and an open decision's follow-up have passed: the
    alert names the older and counts the other; a draft's date and a decided decision's
    follow-up are not counted."""
    today = utcnow().date()
    cid = make_couple(db, counselor, "Maya", "Jonas")
    agreement(db, counselor, cid, "Sunday planning", today + timedelta(days=10))
    agreement(db, counselor, cid, "Only a draft", today - timedelta(days=9), status="draft")
    agreement(db, counselor, cid, "Who moves first", today + timedelta(days=3), "under_review")
    move = decisions.create(db, counselor, cid, "Moving to Edinburgh", "relocation")
    follow_up(db, counselor, cid, move, today + timedelta(days=1))
    done = decisions.create(db, counselor, cid, "Nursery", "other")
    follow_up(db, counselor, cid, done, today - timedelta(days=5), status="decided")

    later = datetime.combine(today + timedelta(days=5), datetime.min.time()) + timedelta(hours=9)
    summary = alerts.summaries(db, counselor, now=later)[cid]
    (review,) = [a for a in summary.alerts if a.rule == alerts.REVIEW]
    assert review.reason == (
        "Review date passed: follow-up of decision “Moving to Edinburgh” "
        f"(due {shown(today + timedelta(days=1))}) and 1 more."
    )
    # Passed ones come first, the oldest of them.
    assert summary.next_review.what == "follow-up of decision “Moving to Edinburgh”"


def test_guesses_compared_period_by_period_catch_gaps_in_opposite_directions(db, counselor):
    """Round 1: Maya guessed 4/10 for how fair things feel to Jonas, who said 10; round 2 she
    guessed 7 and he said 1. Both 8-week means were 5.5, and the alert went quiet."""
    cid = make_couple(db, counselor, "Maya", "Jonas")
    maya, jonas = partner_ids(db, cid)
    first, second = date(2026, 3, 2), date(2026, 3, 9)  # the schedule's weekly periods
    rounds = [(first, 4, 10), (second, 7, 1)]
    add_checkins(
        db,
        cid,
        [
            row
            for period, guess, felt in rounds
            for row in (
                (maya, NOW - timedelta(days=(NOW.date() - period).days - 1),
                 {"period_on": period, "fairness_partner": guess, "fairness_me": 6}),
                (jonas, NOW - timedelta(days=(NOW.date() - period).days - 2),
                 {"period_on": period, "fairness_me": felt, "fairness_partner": 6}),
            )
        ],
    )  # fmt: skip
    (diverging,) = [a for a in alerts.summaries(db, counselor, now=NOW)[cid].alerts]
    assert diverging.reason == (
        "Perceptions diverging (last 8 weeks): Maya thinks it feels 7/10 fair to Jonas, who "
        "says 1/10 (6 points apart on average over the 2 check-ins both sent)."
    )


def test_only_answers_of_the_same_period_are_paired(db, counselor):
    """Without a schedule a check-in's period is its week: answers of one week pair (sent on
    Monday and Saturday), a week answered by one partner only pairs with nothing."""
    cid = make_couple(db, counselor, "Maya", "Jonas")
    maya, jonas = partner_ids(db, cid)
    monday = datetime(2026, 3, 2, 9)
    add_checkins(
        db,
        cid,
        [
            (maya, monday, {"fairness_partner": 5}),
            (jonas, monday + timedelta(days=5), {"fairness_me": 6}),
            (maya, monday + timedelta(days=7), {"fairness_partner": 1}),  # Jonas skipped it
            (jonas, monday - timedelta(days=7), {"fairness_me": 10}),  # Maya skipped that one
        ],
    )
    (signals,) = [
        p for p in alerts.gather(db, counselor, now=NOW)[cid].partners if p["partner_id"] == maya
    ]
    assert (signals["guess_periods_8w"], signals["guess_gap_8w"]) == (1, 1.0)
    assert alerts.summaries(db, counselor, now=NOW)[cid].alerts == ()


def submit_intake(
    db, actor, couple_id, partner_id, private: dict, when: datetime, submit: bool = True
) -> str:
    """One partner's intake: every required question answered, plus the counselor-only answers
    in `private`, submitted at `when` (unless not `submit`); its token."""
    token = links.issue(db, actor, couple_id, partner_id, "intake", now=when - timedelta(days=1))
    for item in instruments.load("intake").items:
        if item.required:
            value = item.options[0].value if item.options else (item.min or 0)
            if item.type in instruments.TEXT_TYPES:
                value = "Something I would say."
            if item.type == instruments.MULTI:
                value = [value]
            links.save_answer(db, token.token, item.id, value, now=when)
    for item_id, value in private.items():
        links.save_answer(db, token.token, item_id, value, now=when)
    if submit:
        assert links.submit(db, token.token, now=when)
    return token.token


def test_a_worrying_answer_in_the_intakes_counselor_only_part_raises_the_safety_alert(
    db, counselor
):
    """The intake asks the same safety questions as the check-in, in a part only the counselor
    reads; an answer there that calls for attention is on the caseload as a check-in's is, for
    as long (SAFETY_DAYS), and a calm one is not."""
    afraid = make_couple(db, counselor, "Zoë", "Łukasz")
    calm_id = make_couple(db, counselor, "Elif", "Mateo")
    old = make_couple(db, counselor, "Amara", "Jonah")
    zoe, _ = partner_ids(db, afraid)
    elif_, mateo = partner_ids(db, calm_id)
    amara, _ = partner_ids(db, old)
    sometimes = instruments.load("intake").item("safety_afraid").options[2].value
    submit_intake(db, counselor, afraid, zoe, {"safety_afraid": sometimes}, NOW - timedelta(days=2))
    never = instruments.load("intake").item("safety_afraid").options[0].value
    submit_intake(db, counselor, calm_id, elif_, {"safety_afraid": never}, NOW - timedelta(days=2))
    submit_intake(db, counselor, calm_id, mateo, {}, NOW - timedelta(days=2))  # skipped: optional
    long_ago = NOW - timedelta(days=alerts.SAFETY_DAYS + 5)
    submit_intake(db, counselor, old, amara, {"safety_thinking_of_ending": True}, long_ago)

    found = alerts.summaries(db, counselor, now=NOW)
    rules = {cid: [a.rule for a in s.alerts] for cid, s in found.items()}
    assert alerts.SAFETY in rules[afraid]
    (alert,) = [a for a in found[afraid].alerts if a.rule == alerts.SAFETY]
    assert "by Zoë (14 Mar 2026, in “Getting started”)" in alert.reason
    assert "Łukasz" not in alert.reason
    assert alerts.SAFETY not in rules[calm_id]
    assert alerts.SAFETY not in rules[old]  # older than the safety window
    # The same for one couple (its overview's "What stands out").
    one = alerts.summaries(db, counselor, couple_id=afraid, now=NOW)
    assert alerts.SAFETY in [a.rule for a in one[afraid].alerts]


def test_an_intake_submitted_after_the_caseload_was_drawn_raises_the_alert_at_once(db, counselor):
    """The caseload's alerts are kept between writes that touch a couple: the intake's
    submission is one (it named no couple, and the badge waited for the next day)."""
    cid = make_couple(db, counselor, "Zoë", "Łukasz")
    zoe, _ = partner_ids(db, cid)
    when = utcnow() - timedelta(hours=1)
    sometimes = instruments.load("intake").item("safety_afraid").options[2].value
    token = submit_intake(db, counselor, cid, zoe, {"safety_afraid": sometimes}, when, False)
    now = utcnow()
    assert alerts.SAFETY not in [
        a.rule for a in alerts.summaries(db, counselor, now=now)[cid].alerts
    ]
    assert links.submit(db, token)
    assert alerts.SAFETY in [a.rule for a in alerts.summaries(db, counselor, now=now)[cid].alerts]


def test_the_safety_alert_names_an_intake_concern_behind_a_newer_check_ins(db, counselor):
    """A walkthrough: once a check-in had a concern, the alert named only it, and the intake's
    ("thinking of ending: yes", a private note) went unmentioned."""
    cid = make_couple(db, counselor, "Maya", "Jonas")
    maya, jonas = partner_ids(db, cid)
    submit_intake(
        db, counselor, cid, jonas, {"safety_thinking_of_ending": True}, NOW - timedelta(days=9)
    )
    add_checkins(
        db, cid, [(jonas, NOW - timedelta(days=1), {"safety_flag": True, "safety_level": 4})]
    )
    (alert,) = [
        a for a in alerts.summaries(db, counselor, now=NOW)[cid].alerts if a.rule == alerts.SAFETY
    ]
    assert "by Jonas (15 Mar 2026; also 7 Mar 2026, in “Getting started”)" in alert.reason, (
        alert.reason
    )
