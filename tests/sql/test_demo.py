"""The demo practice: seeded into an empty database once, and its credentials sign in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import accounts, couples, demo
from core.db import Database
from tests.conftest import count, rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seeded(scratch):
    """One demo practice, seeded once for the read-only checks below."""
    db = Database(scratch / "demo.duckdb")
    assert demo.seed(db) is True
    yield db
    db.close()


def partner_names(db) -> set[str]:
    """Every partner name stored."""
    return {r[0] for r in rows(db, "SELECT name FROM partners")}


def test_seed_fills_an_empty_practice(seeded):
    assert count(seeded, "counselors") == len(demo.DEMO_ACCOUNTS) == 3
    assert count(seeded, "couples") == len(demo.DEMO_COUPLES) >= 12
    assert count(seeded, "partners") == 2 * count(seeded, "couples")


def test_demo_names_come_from_several_scripts(seeded):
    assert {"王芳", "Zoë", "Łukasz", "Inès"} <= partner_names(seeded)


@pytest.mark.parametrize("spec", demo.DEMO_ACCOUNTS, ids=lambda s: s["username"])
def test_demo_credentials_sign_in(seeded, spec):
    actor = accounts.authenticate(seeded, spec["username"], spec["password"])
    assert (actor.role, actor.display_name) == (spec["role"], spec["display_name"])
    assert not actor.must_change_password


def test_each_demo_counselor_sees_their_own_couples(seeded):
    for spec in demo.DEMO_ACCOUNTS:
        actor = accounts.authenticate(seeded, spec["username"], spec["password"])
        listed = couples.caseload(seeded, actor, status="all")
        assert len(listed) == sum(1 for c in demo.DEMO_COUPLES if c[0] == spec["username"])


def test_the_demo_caseload_has_an_archived_couple(seeded):
    demo_spec = next(s for s in demo.DEMO_ACCOUNTS if s["username"] == "demo")
    actor = accounts.authenticate(seeded, "demo", demo_spec["password"])
    assert couples.counts(seeded, actor)["archived"] >= 1


def test_demo_couples_were_added_before_their_history_and_some_sent_an_intake(seeded):
    # "Added 22 Nov 2026" over three years of check-ins read as an error to a reviewer.
    early = rows(
        seeded,
        "SELECT count(*) FROM couples c WHERE c.created_at > "
        "(SELECT min(submitted_at) FROM checkins k WHERE k.couple_id = c.id)",
    )
    assert early == [(0,)]
    sent = rows(
        seeded,
        "SELECT p1.name || ' & ' || p2.name, count(*) FROM links l "
        "JOIN partners p1 ON p1.couple_id = l.couple_id AND p1.position = 1 "
        "JOIN partners p2 ON p2.couple_id = l.couple_id AND p2.position = 2 "
        "WHERE l.instrument_id = 'intake' AND l.submitted_at IS NOT NULL GROUP BY 1",
    )
    # Both partners of each, so that the intake comparison has two sides to show.
    assert dict(sent) == dict.fromkeys(demo.INTAKE_COUPLES, 2)
    # An agreement is written before it is confirmed (a past session's summary shows it then).
    late = rows(
        seeded,
        "SELECT count(*) FROM agreement_versions WHERE version = 1 "
        "AND CAST(edited_at AS DATE) > confirmed_on",
    )
    assert late == [(0,)]


def test_seeding_twice_changes_nothing(db):
    assert demo.seed(db) is True
    before = (count(db, "counselors"), count(db, "couples"), count(db, "partners"))
    assert demo.seed(db) is False
    assert (count(db, "counselors"), count(db, "couples"), count(db, "partners")) == before


def test_seed_leaves_a_real_practice_alone(db, admin):
    assert demo.seed(db) is False
    assert count(db, "counselors") == 1 and count(db, "couples") == 0


def test_manage_demo_creates_the_practice_from_the_command_line(tmp_path):
    path = tmp_path / "cli" / "demo.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "TANDEM_DB"}
    env["TANDEM_BCRYPT_ROUNDS"] = "4"
    done = subprocess.run(
        [sys.executable, "-m", "core.manage", "demo", "--db", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Demo practice created in {path}."
    db = Database(path)
    try:
        assert count(db, "couples") == len(demo.DEMO_COUPLES)
    finally:
        db.close()
