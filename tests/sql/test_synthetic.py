"""The synthetic practice (core/synthetic.py) on a tiny size: reproducible, whole, and usable
by every read the pages make."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from core import (
    accounts,
    agreements,
    alerts,
    checkin_rows,
    checkins,
    comparison,
    couples,
    decisions,
    exports,
    instruments,
    ledger,
    links,
    record,
    roadmap,
    seasons,
    sessions,
    synthetic,
    trends,
)
from core.db import Database
from core.errors import TandemError
from core.manage import main as manage
from tests.conftest import count, erase_for_good, rows

TINY = synthetic.Size(counselors=3, couples=12, years=1, seed=7)
NOW = datetime(2026, 3, 18, 9, 30)
# Tables whose rows must come out the same for the same seed and moment (ids included).
COMPARED = {
    "couples": "id, counselor_id, status, notes, created_at, archived_at",
    "partners": "id, couple_id, position, name, occupation, city",
    "checkins": "id, couple_id, partner_id, link_id, submitted_at, period_on, csi_total, "
    "resentment, load_share, career_lead, last_decision, success_mean, safety_level",
    "links": "id, couple_id, partner_id, instrument_id, token_hash, submitted_at",
    "answers": "link_id, item_id, value_json",
    "seasons": "couple_id, title, lead_partner_id, starts_on, ends_on, review_on",
    "ledger_events": "id, couple_id, occurred_on, giver_partner_id, size, repaid_by_id",
    "agreement_versions": "agreement_id, version, status, review_on",
    "decision_scores": "factor_id, option_id, partner_id, score",
    "couple_sessions": "id, couple_id, held_on, focus",
}


def _made(folder, name: str, size: synthetic.Size = TINY) -> tuple[Database, synthetic.Report]:
    db = Database(folder / name)
    return db, synthetic.generate(db, size, now=NOW)


@pytest.fixture(scope="module")
def practice(scratch):
    """One tiny synthetic practice, shared by the read-only tests of this module."""
    db, report = _made(scratch, "synthetic-tiny.duckdb")
    yield db, report
    db.close()


@pytest.fixture(scope="module")
def c01(practice):
    return accounts.authenticate(practice[0], "c01", synthetic.COUNSELOR_PASSWORD)


@pytest.fixture(scope="module")
def admin(practice):
    return accounts.authenticate(practice[0], synthetic.ADMIN_USERNAME, synthetic.ADMIN_PASSWORD)


def test_the_same_seed_and_moment_make_the_same_practice(practice, scratch):
    db, _ = practice
    again, _ = _made(scratch, "synthetic-again.duckdb")
    try:
        for table, columns in COMPARED.items():
            sql = f"SELECT {columns} FROM {table} ORDER BY ALL"
            assert rows(db, sql) == rows(again, sql), table
    finally:
        again.close()


def test_another_seed_makes_another_practice(practice, scratch):
    db, _ = practice
    other, _ = _made(scratch, "synthetic-other.duckdb", synthetic.Size(3, 12, 1, seed=8))
    try:
        sql = "SELECT couple_id, submitted_at, csi_total FROM checkins ORDER BY ALL"
        assert rows(db, sql) != rows(other, sql)
    finally:
        other.close()


def test_counts_are_as_asked_and_the_report_says_so(practice):
    db, report = practice
    assert count(db, "counselors") == TINY.counselors + 1
    assert count(db, "couples") == TINY.couples
    assert count(db, "partners") == 2 * TINY.couples
    assert count(db, "checkin_schedules") == TINY.couples
    # About weekly from both partners over a year, minus skips, breaks and late starters.
    assert 12 * 2 * 52 * 0.5 < count(db, "checkins") <= 12 * 2 * 54
    assert report.counts["checkins"] == count(db, "checkins")
    assert report.file_bytes > 0 and report.seconds > 0
    text = "\n".join(report.lines())
    assert synthetic.COUNSELOR_PASSWORD in text and synthetic.ADMIN_PASSWORD in text
    for table in ("seasons", "ledger_events", "agreement_versions", "decision_scores"):
        assert count(db, table) > 0, table
    for table in ("roadmap_events", "couple_sessions", "session_links", "standing_links"):
        assert count(db, table) > 0, table


def test_every_couple_is_owned_by_a_counselor_and_c01_has_the_biggest_caseload(practice):
    db, _ = practice
    assert not rows(
        db,
        "SELECT c.id FROM couples c LEFT JOIN counselors co ON co.id = c.counselor_id "
        "WHERE co.id IS NULL OR co.role <> 'counselor'",
    )
    per = dict(
        rows(
            db,
            "SELECT co.username, count(*) FROM couples c "
            "JOIN counselors co ON co.id = c.counselor_id GROUP BY co.username",
        )
    )
    assert per["c01"] == max(per.values()) and sum(per.values()) == TINY.couples


def test_every_row_points_at_rows_that_exist(practice):
    db, _ = practice
    orphans = {
        "partners": "SELECT count(*) FROM partners p LEFT JOIN couples c ON c.id = p.couple_id "
        "WHERE c.id IS NULL",
        "checkins": "SELECT count(*) FROM checkins ch LEFT JOIN partners p ON p.id = ch.partner_id "
        "AND p.couple_id = ch.couple_id LEFT JOIN links l ON l.id = ch.link_id "
        "WHERE p.id IS NULL OR l.id IS NULL OR l.partner_id <> ch.partner_id",
        "answers": "SELECT count(*) FROM answers a LEFT JOIN links l ON l.id = a.link_id "
        "WHERE l.id IS NULL OR l.partner_id <> a.partner_id OR l.couple_id <> a.couple_id",
        "ledger": "SELECT count(*) FROM ledger_events e LEFT JOIN ledger_events r "
        "ON r.id = e.repaid_by_id WHERE e.repaid_by_id IS NOT NULL "
        "AND (r.id IS NULL OR r.couple_id <> e.couple_id)",
        "versions": "SELECT count(*) FROM agreement_versions v LEFT JOIN agreements a "
        "ON a.id = v.agreement_id WHERE a.id IS NULL OR a.couple_id <> v.couple_id",
        "scores": "SELECT count(*) FROM decision_scores s LEFT JOIN decision_options o "
        "ON o.id = s.option_id LEFT JOIN decision_factors f ON f.id = s.factor_id "
        "WHERE o.decision_id <> s.decision_id OR f.decision_id <> s.decision_id",
        "session links": "SELECT count(*) FROM session_links s LEFT JOIN links l "
        "ON l.id = s.link_id LEFT JOIN couple_sessions cs ON cs.id = s.session_id "
        "WHERE l.couple_id IS DISTINCT FROM s.couple_id OR cs.couple_id IS DISTINCT FROM s.couple_id",
    }
    for what, sql in orphans.items():
        assert rows(db, sql)[0][0] == 0, what


def test_each_check_in_is_stored_as_the_app_stores_one(practice):
    db, _ = practice
    form = instruments.load(checkin_rows.CHECKIN)
    sample = rows(db, "SELECT link_id FROM checkins ORDER BY id LIMIT 40")
    typed = checkin_rows.COLUMNS
    for (link_id,) in sample:
        answers = {
            item: json.loads(value)
            for item, value in rows(
                db, "SELECT item_id, value_json FROM answers WHERE link_id = $l", l=link_id
            )
        }
        assert instruments.missing_required(form, answers) == []
        assert instruments.clean_answers(form, answers) == answers
        stored = rows(db, f"SELECT {', '.join(typed)} FROM checkins WHERE link_id = $l", l=link_id)[
            0
        ]
        assert dict(zip(typed, stored, strict=True)) == pytest.approx(
            checkin_rows.typed_row(answers, form)
        )
    # The link was opened, started and submitted, and the period matches the schedule.
    assert not rows(
        db,
        "SELECT l.id FROM links l JOIN checkins c ON c.link_id = l.id "
        "WHERE NOT (l.opened_at <= l.started_at AND l.started_at < l.submitted_at "
        "AND l.submitted_at = c.submitted_at AND l.expires_at > l.submitted_at)",
    )


def test_submitted_questionnaires_answer_every_required_item(practice):
    db, _ = practice
    for link_id, instrument_id in rows(
        db,
        "SELECT id, instrument_id FROM links WHERE instrument_id <> 'checkin' "
        "AND submitted_at IS NOT NULL ORDER BY id LIMIT 30",
    ):
        form = instruments.load(instrument_id)
        answers = {
            item: json.loads(value)
            for item, value in rows(
                db, "SELECT item_id, value_json FROM answers WHERE link_id = $l", l=link_id
            )
        }
        assert answers and instruments.missing_required(form, answers) == []
        assert instruments.clean_answers(form, answers) == answers


def test_dates_are_relative_to_now_and_nothing_is_in_the_future(practice):
    db, _ = practice
    latest, earliest = rows(db, "SELECT max(submitted_at), min(submitted_at) FROM checkins")[0]
    assert latest <= NOW and (NOW - latest).days < 7
    assert (NOW - earliest).days <= 366 + 7
    assert rows(db, "SELECT count(*) FROM couple_sessions WHERE held_on > $d", d=NOW.date()) == [
        (0,)
    ]


def test_the_app_numbers_new_rows_after_the_synthetic_ones(practice, c01, admin):
    db, _ = practice
    before = rows(db, "SELECT max(id) FROM couples")[0][0]
    made = couples.create(db, c01, {"name": "New"}, {"name": "Couple"})
    assert made > before
    erase_for_good(db, admin, made, "New & Couple")


def test_the_reads_every_page_makes_run_on_it(practice, c01, admin):
    db, _ = practice
    mine = couples.caseload(db, c01)
    assert len(mine) == couples.counts(db, c01)["active"]
    whole = couples.caseload(db, admin, status="all", whole_practice=True)
    assert len(whole) == TINY.couples
    summaries = alerts.summaries(db, c01, now=NOW)
    assert set(summaries) == {r["id"] for r in couples.caseload(db, c01, status="all")}
    assert len(alerts.summaries(db, admin, whole_practice=True, now=NOW)) == TINY.couples
    cid = max(mine, key=lambda r: r["id"])["id"]
    for key in trends.RANGES:
        win = trends.window(db, c01, cid, key, today=NOW.date())
        frame = trends.buckets(db, c01, cid, win)
        trends.flag_changes(frame, trends.reliable_change(db, c01, cid))
    assert not trends.buckets(db, c01, cid, trends.window(db, c01, cid, "1y")).empty
    view = trends.equity_view(db, c01, cid, trends.window(db, c01, cid, "2y"))
    assert not view.balance.empty
    plan, _, partners = checkins.overview(db, c01, cid)
    assert plan is not None and len(partners) == 2
    assert not checkins.recent(db, c01, cid).empty
    intake = links.submitted_answers(db, c01, cid, "intake")
    a, b = (intake[p["id"]]["answers"] for p in couples.get(db, c01, cid)["partners"])
    assert comparison.compare(instruments.load("intake"), a, b, names=("A", "B")).rows
    assert links.for_couple(db, c01, cid)
    seasons.for_couple(db, c01, cid)
    ledger.for_couple(db, c01, cid)
    agreements.for_couple(db, c01, cid)
    for d in decisions.for_couple(db, c01, cid):
        decisions.results(decisions.matrix(db, c01, cid, d["id"]))
    roadmap.timeline(db, c01, cid)
    held = sessions.for_couple(db, c01, cid)
    assert held
    sessions.homework_answers(db, c01, cid, held[0]["id"])
    pdf = exports.summary_pdf(db, c01, cid, held[0]["id"], exports.Options(), "Synthetic")
    assert pdf.startswith(b"%PDF")
    assert record.export_zip(db, c01, cid, "Synthetic")


def test_every_newest_submission_in_one_query_matches_one_query_per_form(practice, c01):
    db, _ = practice
    forms = [i.id for i in instruments.all_instruments()]
    for row in couples.caseload(db, c01)[:3]:
        together = links.latest_submissions(db, c01, row["id"], forms)
        assert list(together) == forms
        for form in forms:
            assert together[form] == links.submitted_answers(db, c01, row["id"], form), form
        assert together["intake"] and together["checkin"]


def test_alerts_fire_for_some_couples_and_not_all(scratch):
    db, _ = _made(scratch, "synthetic-alerts.duckdb", synthetic.Size(2, 40, 1, seed=3))
    try:
        admin = accounts.authenticate(db, synthetic.ADMIN_USERNAME, synthetic.ADMIN_PASSWORD)
        found = alerts.summaries(db, admin, whole_practice=True, now=NOW)
        flagged = [s for s in found.values() if s.alerts]
        assert 0 < len(flagged) < len(found)
    finally:
        db.close()


def test_the_generator_refuses_a_database_that_already_has_a_practice(practice):
    db, _ = practice
    with pytest.raises(TandemError, match="already has accounts"):
        synthetic.generate(db, TINY, now=NOW)


@pytest.mark.parametrize(
    "size", [synthetic.Size(0, 10, 1), synthetic.Size(2, 0, 1), synthetic.Size(2, 10, 0)]
)
def test_the_generator_refuses_sizes_it_cannot_make(db, size):
    with pytest.raises(TandemError):
        synthetic.generate(db, size, now=NOW)


def test_the_command_writes_a_practice_and_prints_how_to_sign_in(db_path, capsys):
    assert manage(["synth", "--db", str(db_path), "--counselors", "2", "--couples", "3",
                   "--years", "0.5"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "c01" in out and synthetic.COUNSELOR_PASSWORD in out and " MB" in out
    db = Database(db_path)
    try:
        assert count(db, "couples") == 3
    finally:
        db.close()


def test_the_command_loads_with_enough_working_memory(db_path, monkeypatch):
    # The server's default limit (128MB) failed a full-size load at its commit ("failed to pin
    # block"); the generator opens its file with at least SYNTH_MEMORY_MB.
    import core.manage as manage_module

    limits = []

    def recording(path, *args, memory_limit_mb=None, **kwargs):
        limits.append(memory_limit_mb)
        return Database(path, *args, memory_limit_mb=memory_limit_mb, **kwargs)

    monkeypatch.setattr(manage_module, "Database", recording)
    monkeypatch.delenv("TANDEM_DB_MEMORY_LIMIT", raising=False)
    assert manage(["synth", "--db", str(db_path), "--counselors", "1", "--couples", "1",
                   "--years", "0.2"]) == 0  # fmt: skip
    monkeypatch.setenv("TANDEM_DB_MEMORY_LIMIT", "3GB")
    assert manage(["synth", "--db", str(db_path) + ".2", "--counselors", "1", "--couples", "1",
                   "--years", "0.2"]) == 0  # fmt: skip
    assert limits == [manage_module.SYNTH_MEMORY_MB, 3000]


def test_the_command_needs_a_database_file(capsys):
    assert manage(["synth"]) == 1
    assert "--db" in capsys.readouterr().err
