"""The demo practice's history: years of plausible check-ins, seasons and ledger events whose
stories show on first run, loaded in bulk."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pytest

from core import accounts, alerts, couples, demo_history, instruments, scoring, trends
from core.clock import utcnow
from core.db import Database
from tests.conftest import demo_practice, rows


@pytest.fixture(scope="module")
def practice(scratch):
    """The demo practice, for this module; (database, the demo counselor, couple id by label)."""
    path = scratch / "demo-history.duckdb"
    shutil.copyfile(demo_practice(), path)
    db = Database(path)
    actor = accounts.authenticate(db, "demo", "demo-password")
    ids = {r["label"]: r["id"] for r in couples.caseload(db, actor, status="all")}
    yield db, actor, ids
    db.close()


def rules(practice, label: str) -> list[str]:
    db, actor, ids = practice
    found = alerts.summaries(db, actor)
    return [a.rule for a in found[ids[label]].alerts]


def test_every_story_of_the_demo_counselor_has_check_ins(practice):
    db, actor, ids = practice
    have = {r[0] for r in rows(db, "SELECT DISTINCT couple_id FROM checkins")}
    mine = [s.label for s in demo_history.STORIES if s.label in ids]
    assert len(mine) >= 10 and all(ids[label] in have for label in mine)


def test_rachel_and_marcus_have_years_of_weekly_check_ins_and_two_seasons(practice):
    db, actor, ids = practice
    cid = ids["Rachel & Marcus"]
    first, n = rows(
        db, "SELECT min(submitted_at), count(*) FROM checkins WHERE couple_id = $c", c=cid
    )[0]
    assert utcnow() - first > timedelta(days=5 * 365) and n > 400
    marcus_leads, rachels_turn = trends.seasons.for_couple(db, actor, cid)
    rachel, marcus = (p["id"] for p in couples.get(db, actor, cid)["partners"])
    assert marcus_leads["lead_partner_id"] == marcus and rachels_turn["lead_partner_id"] == rachel
    assert rachels_turn["ends_on"] is None
    assert rachels_turn["starts_on"] == marcus_leads["ends_on"] + timedelta(days=1)


def test_rachel_gave_more_for_years_and_the_balance_is_coming_back(practice):
    db, actor, ids = practice
    data = trends.equity_inputs(db, actor, ids["Rachel & Marcus"])
    frame = trends.equity.series(data, utcnow().date())
    two_years_ago = frame[frame["day"] <= str(utcnow().date() - timedelta(days=730))].iloc[-1]
    assert two_years_ago["balance"] > 60
    assert frame["balance"].iloc[-1] < two_years_ago["balance"] - 40


@pytest.mark.parametrize(
    ("label", "rule"),
    [
        ("王芳 & Tomás", alerts.SAFETY),
        ("Jennifer & Katie", alerts.RESENTMENT),
        ("Zoë & Łukasz", alerts.LOW),
        ("Zoë & Łukasz", alerts.DROP),
        ("David & Priya", alerts.ALONE),
        ("Amara & Jonah", alerts.OVERDUE),
        ("Noor & Sven", alerts.REVIEW),
        ("Noor & Sven", alerts.YIELDING),
    ],
)
def test_each_story_raises_its_alert(practice, label, rule):
    assert rule in rules(practice, label)


def test_the_calm_couple_raises_nothing_from_its_check_ins_or_balance(practice):
    # Review dates can come from agreements (another part of the demo), so they are left out.
    assert [r for r in rules(practice, "Elif & Mateo") if r != alerts.REVIEW] == []


def test_no_couple_has_overlapping_seasons(practice):
    db, actor, ids = practice
    for label, cid in ids.items():
        for s in trends.seasons.for_couple(db, actor, cid):
            clash = db.one(
                "seasons/overlapping",
                couple_id=cid,
                season_id=s["id"],
                starts_on=s["starts_on"],
                ends_on=s["ends_on"],
            )
            assert clash is None, label


def test_every_typed_value_is_on_its_scale(practice):
    db, _, _ = practice
    (bad,) = rows(
        db,
        "SELECT count(*) FROM checkins WHERE csi_total NOT BETWEEN 0 AND 21 "
        "OR fairness_me NOT BETWEEN 0 AND 10 OR resentment NOT BETWEEN 0 AND 10 "
        "OR load_share NOT BETWEEN 0 AND 100 OR success_mean NOT BETWEEN 1 AND 5",
    )[0:1]
    assert bad == (0,)


def test_the_newest_check_in_of_each_partner_has_answers_that_score_to_its_row(practice):
    db, _, _ = practice
    form = instruments.load("checkin")
    linked = rows(
        db,
        "SELECT link_id, csi_total, success_mean, load_share FROM checkins WHERE link_id IS NOT NULL",
    )
    assert len(linked) >= 20
    for link_id, csi, success, load in linked:
        answers = {
            r["item_id"]: json.loads(r["value_json"])
            for r in db.all("links/answers", link_id=link_id)
        }
        report = scoring.score(form, answers)
        assert report.get("csi4_total").value == csi
        assert report.get("success_indicators").value == pytest.approx(success)
        assert (answers["household_share"] + answers["mental_load_share"]) / 2 == load
        assert db.one("links/state", link_id=link_id)["submitted_at"] is not None


def test_the_history_is_loaded_in_a_handful_of_statements(db, admin, monkeypatch):
    from tests.sql.test_caseload_alerts import counting

    actor = accounts.account_actor(db, admin.counselor_id)
    by_label = {}
    for story in demo_history.STORIES[:6]:
        a, b = story.label.split(" & ")
        by_label[story.label] = ("ada", couples.create(db, actor, {"name": a}, {"name": b}))
    seen = counting(monkeypatch)
    stored = demo_history.seed(db, {"ada": actor}, by_label, utcnow())
    assert stored > 500
    assert len(seen) <= 5, seen


def test_a_session_summary_gets_the_equity_chart_without_either_partners_own_answers(practice):
    from core import charts, exports

    db, actor, ids = practice
    ((title, chart, reading),) = charts.summary_charts(db, actor, ids["Rachel & Marcus"])
    charts.as_altair(chart).to_dict()  # a valid Vega-Lite spec (checked against its schema)
    spec = json.dumps(chart)
    assert title == "Equity over time" and "not a verdict" in reading
    assert "Feels fair" not in spec and "fairness_me" not in spec  # no partner's own answers
    assert exports.chart_png(chart)[:8] == b"\x89PNG\r\n\x1a\n"
    empty = couples.create(db, actor, {"name": "New"}, {"name": "Couple"})
    assert charts.summary_charts(db, actor, empty) == []  # nothing to balance yet
