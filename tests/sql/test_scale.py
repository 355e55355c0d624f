"""What issue 6 changed for a large practice keeps the app's behaviour: caseload summaries are
reused only while nothing changed, and the cheaper queries answer as the old ones did."""

from __future__ import annotations

import random
from collections import OrderedDict
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from core import alerts, audit, checkins, couples, instruments, links, seasons, synthetic
from core.db import Database
from tests.conftest import make_couple
from tests.sql.test_caseload_alerts import add_checkins, partner_ids

NOW = datetime(2026, 3, 18, 9, 30, 10)


@pytest.fixture
def queries(monkeypatch) -> list[str]:
    """The names of the data queries run from now on (the audit trail's own rows aside)."""
    seen: list[str] = []
    original = Database._one_statement

    def spy(self, query, run):
        if not query.startswith("audit/"):
            seen.append(query)
        return original(self, query, run)

    monkeypatch.setattr(Database, "_one_statement", spy)
    return seen


@pytest.fixture
def read_for(monkeypatch) -> list[int | None]:
    """The couple ids (None: the whole caseload) that caseload alerts read their signals for."""
    found: list[int | None] = []
    original = alerts._gather
    monkeypatch.setattr(
        alerts,
        "_gather",
        lambda db, actor, whole, cid, now: (
            found.append(cid) or original(db, actor, whole, cid, now)
        ),
    )
    return found


def _season(db, counselor, couple_id, review_on):
    partner = db.all("couples/partners", couple_id=couple_id)[0]["id"]
    return seasons.create(
        db,
        counselor,
        couple_id,
        {"lead": partner, "starts_on": date(2025, 1, 1), "title": "Turn", "review_on": review_on},
    )


def test_caseload_summaries_are_reused_while_nothing_is_written(db, counselor, queries):
    make_couple(db, counselor)
    first = alerts.summaries(db, counselor, now=NOW)
    assert queries
    queries.clear()
    again = alerts.summaries(db, counselor, now=NOW + timedelta(seconds=30))
    assert again == first and queries == []


def test_a_write_makes_the_next_summaries_read_again(db, counselor, queries):
    cid = make_couple(db, counselor)
    assert not alerts.summaries(db, counselor, now=NOW)[cid].alerts
    _season(db, counselor, cid, date(2026, 2, 1))
    queries.clear()
    found = alerts.summaries(db, counselor, now=NOW)[cid]
    assert queries and [a.rule for a in found.alerts] == [alerts.REVIEW]


def test_recording_a_view_in_the_audit_trail_does_not_void_the_reuse(db, counselor, queries):
    cid = make_couple(db, counselor)
    alerts.summaries(db, counselor, now=NOW)
    audit.record(db, counselor, "view", couple_id=cid, obj="couple")
    queries.clear()
    alerts.summaries(db, counselor, now=NOW)
    assert queries == []


def test_a_partner_answering_keeps_the_reuse_and_sending_the_check_in_ends_it(
    db, counselor, queries
):
    cid = make_couple(db, counselor)
    partner = db.all("couples/partners", couple_id=cid)[0]["id"]
    issued = links.issue(db, counselor, cid, partner, "checkin")
    before = alerts.summaries(db, counselor, now=NOW)[cid]
    links.open_link(db, issued.token)
    answers = synthetic.answers_for(instruments.load("checkin"), np.random.default_rng(1))
    for item, value in answers.items():
        links.save_answer(db, issued.token, item, value)
    queries.clear()
    assert alerts.summaries(db, counselor, now=NOW)[cid] == before and queries == []
    links.submit(db, issued.token)
    queries.clear()
    after = alerts.summaries(db, counselor, now=NOW)[cid]
    assert queries and before.last_checkin is None and after.last_checkin is not None


def test_another_day_another_scope_or_another_counselor_reads_again(
    db, counselor, other_counselor, admin, queries
):
    make_couple(db, counselor)
    alerts.summaries(db, counselor, now=NOW)
    for actor, whole, at in (
        (counselor, False, NOW + timedelta(days=1)),
        (other_counselor, False, NOW),
        (admin, True, NOW),
    ):
        queries.clear()
        alerts.summaries(db, actor, whole_practice=whole, now=at)
        assert queries, (actor.username, whole, at)


def test_a_later_moment_reuses_the_judgement_until_a_check_in_status_may_change(
    db, counselor, queries, monkeypatch
):
    """The summaries were made again for every couple each new minute (~0.2 s of the admin's
    caseload over 2,000 couples). Now a couple's is kept until a partner's check-in status may
    change: here its grace ends, mid-day in UTC (weekly from Monday in New York, nobody has
    checked in: due from 04:00 UTC on the 16th, overdue three days later)."""
    cid = make_couple(db, counselor)
    checkins.set_schedule(
        db,
        counselor,
        cid,
        "weekly",
        date(2026, 3, 16),
        "America/New_York",
        now=datetime(2026, 3, 1),
    )
    overdue_at = datetime(2026, 3, 19, 4)
    assert alerts.summaries(db, counselor, now=overdue_at - timedelta(hours=3))[cid].alerts == ()
    judged = []
    original = alerts._judged
    monkeypatch.setattr(
        alerts, "_judged", lambda s, now, zone=None: judged.append(now) or original(s, now, zone)
    )
    queries.clear()

    def rules_at(now):
        return [a.rule for a in alerts.summaries(db, counselor, now=now)[cid].alerts]

    assert rules_at(overdue_at - timedelta(minutes=1)) == [] and judged == []
    assert rules_at(overdue_at) == [alerts.OVERDUE] and judged == [overdue_at]
    assert rules_at(overdue_at + timedelta(hours=2)) == [alerts.OVERDUE]
    assert judged == [overdue_at]
    earlier = overdue_at - timedelta(hours=1)  # before what is kept was made: judged again
    assert rules_at(earlier) == [] and judged == [overdue_at, earlier]
    assert queries == []  # the signals were kept all along
    # What is kept is dated for one reader: another time zone is judged again (its dates).
    seen = alerts.summaries(db, counselor, now=earlier, zone="Asia/Tokyo")[cid]
    assert seen.zone == "Asia/Tokyo" and judged == [overdue_at, earlier, earlier]
    assert queries == []


def test_a_write_to_one_couple_reads_only_that_couple_again_with_the_same_result(
    db, counselor, read_for
):
    ids = [make_couple(db, counselor, f"A{i}", f"B{i}") for i in range(3)]
    alerts.summaries(db, counselor, now=NOW)
    read_for.clear()  # only what the write below makes it read
    _season(db, counselor, ids[1], date(2026, 2, 1))
    kept = alerts.summaries(db, counselor, now=NOW)
    assert read_for == [ids[1]]
    assert [a.rule for a in kept[ids[1]].alerts] == [alerts.REVIEW]
    alerts._reuse.clear()
    assert alerts.summaries(db, counselor, now=NOW) == kept


def test_a_new_couple_reads_only_itself_into_the_kept_caseload(db, counselor, read_for):
    make_couple(db, counselor)
    alerts.summaries(db, counselor, now=NOW)
    read_for.clear()  # only what the write below makes it read
    new = make_couple(db, counselor, "Noor", "Sam")  # couples/insert returns the id it made
    found = alerts.summaries(db, counselor, now=NOW)
    assert read_for == [new] and new in found
    alerts._reuse.clear()
    assert alerts.summaries(db, counselor, now=NOW) == found


def test_a_write_that_names_no_couple_reads_the_whole_caseload_again(db, counselor, read_for):
    cid = make_couple(db, counselor)
    alerts.summaries(db, counselor, now=NOW)
    read_for.clear()
    db.write(lambda tx: tx.all("demo/set_repaid", ids=[], repaid_by_ids=[]))
    assert cid in alerts.summaries(db, counselor, now=NOW) and read_for == [None]


def test_a_couple_moved_to_another_counselor_leaves_the_kept_caseload(
    db, counselor, other_counselor, admin
):
    cid = make_couple(db, counselor)
    assert cid in alerts.summaries(db, counselor, now=NOW)
    couples.reassign(db, admin, cid, other_counselor.counselor_id)
    assert cid not in alerts.summaries(db, counselor, now=NOW)


def test_a_reused_result_cannot_be_changed_by_its_caller(db, counselor):
    cid = make_couple(db, counselor)
    alerts.summaries(db, counselor, now=NOW).clear()
    assert cid in alerts.summaries(db, counselor, now=NOW)


def test_reuse_never_crosses_from_one_database_to_another(scratch, counselor, db):
    make_couple(db, counselor)
    alerts.summaries(db, counselor, now=NOW)
    other = Database(scratch / "other-practice.duckdb")
    try:
        assert other.instance != db.instance
        assert alerts.summaries(other, counselor, now=NOW) == {}
    finally:
        other.close()


def test_link_counts_answers_only_while_a_link_is_open(db, counselor):
    cid = make_couple(db, counselor)
    partner = db.all("couples/partners", couple_id=cid)[0]["id"]
    issued = links.issue(db, counselor, cid, partner, "csi4")
    for item, value in {"csi4_happiness": 4, "csi4_warm": 4}.items():
        links.save_answer(db, issued.token, item, value)
    (row,) = links.for_couple(db, counselor, cid)
    assert row["answered"] == 2
    for item in ("csi4_rewarding", "csi4_satisfied"):
        links.save_answer(db, issued.token, item, 3)
    links.submit(db, issued.token)
    (row,) = links.for_couple(db, counselor, cid)
    assert row["status"] == "submitted" and row["answered"] is None


def test_the_fallback_font_is_loaded_only_for_text_dejavu_cannot_print():
    from core import pdf

    try:
        fonts = pdf.find_fonts()
    except pdf.FontsMissing:
        pytest.skip("PDF fonts are not installed here")
    page = pdf.Page("Harbour Street", "Session summary", "7 Mar 2027")
    assert pdf.FALLBACK not in pdf.Document(page, fonts, text="Zoë and Łukasz").fonts
    assert pdf.FALLBACK in pdf.Document(page, fonts, text="王芳 and Tomás").fonts
    assert pdf.FALLBACK in pdf.Document(page, fonts).fonts  # text unknown: load it anyway


def test_only_bulk_loads_write_without_saying_which_couple():
    """A new write query that names no couple makes every kept read stale (the caseload reads
    all its couples again): it has to be meant. The lists in core/db.py name real writes."""
    from core import db as storage

    listed = storage.UNSEEN_BY_KEPT_READS | storage.COUPLE_FREE_WRITES | storage.NEW_COUPLE_WRITES
    writes = {n for n in storage.all_query_names() if storage.is_write_query(n)}
    assert listed <= writes
    unnamed = {n for n in writes - listed if "$couple_id" not in storage.load_sql(n)}
    assert {n.split("/")[0] for n in unnamed} <= {"demo", "synthetic"}, unnamed


ZONES = ("UTC", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago")


def _fresh(db, actor, now):
    """The summaries at `now` as made from nothing kept (what is kept is put back after)."""
    saved = OrderedDict(alerts._reuse)
    alerts._reuse.clear()
    try:
        return alerts.summaries(db, actor, now=now)
    finally:
        alerts._reuse.clear()
        alerts._reuse.update(saved)


def test_kept_summaries_equal_fresh_ones_as_time_goes_on_and_back(db, counselor):
    """A walk through time (minutes to a day forward, some back, check-ins sent between looks)
    over couples on every cadence in zones with DST and odd offsets, one without a schedule,
    some with review dates: at each step what is kept equals what is made afresh."""
    rng = random.Random(27)
    start = datetime(2026, 3, 1)
    ids = []
    for i in range(8):
        cid = make_couple(db, counselor, f"A{i}", f"B{i}")
        ids.append(cid)
        if i:  # the first has no schedule
            checkins.set_schedule(
                db,
                counselor,
                cid,
                rng.choice(["weekly", "fortnightly", "monthly"]),
                start.date() + timedelta(days=rng.randrange(-40, 30)),
                rng.choice(ZONES),
                now=start + timedelta(hours=rng.randrange(-24 * 30, 24 * 20)),
            )
        sent = [
            (p, start + timedelta(minutes=rng.randrange(-60 * 24 * 60, 60 * 24 * 30)), {})
            for p in partner_ids(db, cid)
            for _ in range(rng.choice([0, 0, 1, 3]))
        ]
        if sent:
            add_checkins(db, cid, sent)
        if rng.random() < 0.5:
            _season(db, counselor, cid, start.date() + timedelta(days=rng.randrange(0, 30)))
    now = start
    for step in range(120):
        r = rng.random()
        if r < 0.6:
            now += timedelta(minutes=rng.randrange(1, 60 * 30))
        elif r < 0.8:
            now -= timedelta(minutes=rng.randrange(1, 60 * 10))
        elif r < 0.9:
            now += timedelta(seconds=rng.randrange(0, 120))
        else:
            cid = rng.choice(ids)
            partner = rng.choice(partner_ids(db, cid))
            add_checkins(db, cid, [(partner, now - timedelta(minutes=rng.randrange(600)), {})])
        kept = alerts.summaries(db, counselor, now=now)
        assert kept == _fresh(db, counselor, now), (step, now)
