"""Every core function that reads or changes client data leaves a row in the audit trail.

Two halves: a static check that no public core function taking an `actor` (a counselor) or a
`link` (a partner) can forget the trail, and calls through the real functions on a real
database showing what each kind of access records.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from core import (
    agreements,
    audit,
    checkins,
    decisions,
    exports,
    ledger,
    links,
    record,
    roadmap,
    seasons,
    sessions,
    trends,
)
from core.errors import NotFound
from tests.conftest import make_couple

CORE = Path(__file__).resolve().parents[2] / "core"
# Functions that take an actor or a link but need no row of their own, and why.
EXEMPT = {
    "accounts.start_session": "authenticate() records the sign-in it completes",
    "accounts.require_admin": "a permission check; the caller records what it allows",
    "audit.actor_fields": "builds the who-columns of a row",
    "audit.record": "writes the row",
    "audit.viewed": "writes the row",
    "audit.filters": "lists action names for a menu; search() records the read",
    "checkin_rows.record": "runs inside links.submit, which records link_submitted",
    "decisions.apply_form_answers": "runs inside links.submit, which records link_submitted",
    "checkins.active_handover": "the signed-in counselor's own hand-over state",
    "couples.check_access": "the ownership check; every caller records its own access",
    "erasure.delete_forever": "couples.erase, in its transaction, records the deletion",
    "retention.erase_due": "couples.erase, in its transaction, records each deletion",
    "couples.check_active": "check_access for sending links; every caller records its own",
    "couples.remember_open": "notes the sign-in's open couple after couples.get recorded the view",
    "couples.last_opened": "the sign-in's own open couple; opening it goes through couples.get",
    "couples.link_token": "pure: a link's token; the caseload that shows it records its view",
    "links.status": "pure: a link row's state at a time",
    "links.form_of": "the form a link shows; open_link records the opening",
}


def _public_functions_taking_an_actor():
    for path in sorted(CORE.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            names = {a.arg for a in node.args.args + node.args.kwonlyargs}
            if names & {"actor", "link"}:
                yield f"{path.stem}.{node.name}", node


def _records_itself(node: ast.FunctionDef, module: str = "") -> bool:
    decorated = any(
        isinstance(d, ast.Call) and getattr(d.func, "id", getattr(d.func, "attr", "")) == "audited"
        for d in node.decorator_list
    )
    calls = {ast.unparse(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    writers = {"audit.record", "audit.viewed"} | (
        {"record", "viewed"} if module == "audit" else set()
    )
    return decorated or bool(calls & writers)


def test_every_core_function_given_an_actor_records_to_the_audit_trail():
    found = dict(_public_functions_taking_an_actor())
    forgotten = [name for name, node in found.items() if name not in EXEMPT]
    forgotten = [name for name in forgotten if not _records_itself(found[name], name.split(".")[0])]
    assert forgotten == [], f"record these with @audited(...) or audit.record(...): {forgotten}"
    stale = sorted(set(EXEMPT) - set(found))
    assert stale == [], f"EXEMPT names functions that no longer exist: {stale}"


def test_the_check_would_catch_a_function_that_forgets():
    forgetful = ast.parse("def peek(db, actor, couple_id):\n    return db.all('x')\n").body[0]
    remembering = ast.parse("@audited('view', 'x')\ndef peek(db, actor, couple_id): ...").body[0]
    assert not _records_itself(forgetful)
    assert _records_itself(remembering)


def test_an_unknown_action_is_refused_when_the_module_loads():
    with pytest.raises(ValueError):
        audit.audited("peek", "couple")


# -- what real calls record ------------------------------------------------------------------
def trail(db) -> list[tuple]:
    with db.cursor() as cur:
        return cur.execute(
            "SELECT actor_label, action, couple_ref, object, detail FROM audit_log ORDER BY id"
        ).fetchall()


def partner_ids(db, cid):
    return [p["id"] for p in db.all("couples/partners", couple_id=cid)]


def test_changes_record_one_row_each_with_the_record_id(db, counselor):
    cid = make_couple(db, counselor)
    first, second = partner_ids(db, cid)
    before = len(trail(db))
    saved = agreements.save(db, counselor, cid, {"title": "Turns", "body": "We alternate."})
    agreements.save(
        db, counselor, cid, {"title": "Turns", "body": "We take turns."}, saved.agreement_id
    )
    sid = seasons.create(
        db, counselor, cid, {"lead": first, "starts_on": date(2024, 1, 1), "title": "Her turn"}
    )
    seasons.delete(db, counselor, cid, sid)
    event = ledger.create(
        db,
        counselor,
        cid,
        {"giver": second, "occurred_on": date(2024, 3, 1), "kind": "declined_offer", "size": 3},
    )
    ledger.delete(db, counselor, cid, event)
    decisions.create(db, counselor, cid, "Move to Denver?")
    session = sessions.create(db, counselor, cid, {"held_on": "2026-11-20", "notes": "ok"})
    roadmap.add(
        db, counselor, cid, {"partner_id": first, "title": "PhD", "starts_on": "2027-01-01"}
    )
    checkins.set_schedule(db, counselor, cid, "weekly", date(2026, 11, 2), "UTC")
    links.issue(db, counselor, cid, first, "intake")
    rows = [r for r in trail(db)[before:] if r[1] != "view"]
    done = [(action, obj) for _, action, _, obj, _ in rows]
    assert done == [
        ("update", "agreement"),
        ("update", "agreement"),
        ("create", "season"),
        ("delete", "season"),
        ("create", "ledger event"),
        ("delete", "ledger event"),
        ("create", "decision"),
        ("create", "session"),
        ("create", "roadmap event"),
        ("update", "check-in schedule"),
        ("issue", "questionnaire link"),
    ]
    assert {label for label, *_ in rows} == {counselor.username}
    assert {ref for _, _, ref, _, _ in rows} == {cid}
    assert f"agreement_id={saved.agreement_id}" in rows[0][4]
    assert f"season_id={sid}" in rows[3][4]
    assert f"id={session}" in rows[7][4]


def test_views_are_recorded_once_per_window_and_exports_every_time(db, counselor):
    cid = make_couple(db, counselor)
    sid = sessions.create(db, counselor, cid, {"held_on": "2026-11-20", "notes": "ok"})
    before = len(trail(db))
    for _ in range(3):
        win = trends.window(db, counselor, cid, "1y")
        trends.buckets(db, counselor, cid, win)
        seasons.for_couple(db, counselor, cid)
    for _ in range(2):
        exports.summary_markdown(db, counselor, cid, sid, exports.Options(), "Practice")
        record.export_zip(db, counselor, cid, "Practice")
    done = [(action, obj) for _, action, _, obj, _ in trail(db)[before:]]
    assert done.count(("view", "trends")) == 1
    assert done.count(("view", "seasons")) == 1
    assert done.count(("export", "session summary Markdown")) == 2
    assert done.count(("export", "full record")) == 2


def test_a_refused_reach_for_another_counselors_couple_is_recorded(db, counselor, other_counselor):
    theirs = make_couple(db, other_counselor, "Noor", "Sam")
    for _ in range(2):
        with pytest.raises(NotFound):
            seasons.for_couple(db, counselor, theirs)
    with pytest.raises(NotFound):
        agreements.save(db, counselor, theirs, {"title": "Sneaky", "body": "x"})
    refused = [r for r in trail(db) if r[1] == "refused"]
    assert [(r[0], r[2], r[3]) for r in refused] == [
        (counselor.username, theirs, "seasons"),
        (counselor.username, theirs, "agreement"),
    ]


def test_a_partner_saving_answers_is_recorded_once_per_window(db, counselor):
    cid = make_couple(db, counselor)
    first, _ = partner_ids(db, cid)
    token = links.issue(db, counselor, cid, first, "checkin").token
    links.open_link(db, token)
    links.save_answer(db, token, "stress", 4)
    links.save_answer(db, token, "stress", 5)
    saved = [r for r in trail(db) if r[1] == "answer_saved"]
    assert len(saved) == 1
    assert saved[0][0].startswith("link ") and saved[0][2] == cid and saved[0][3] == "checkin"


def test_pages_and_ui_reach_client_data_only_through_core():
    # A page that ran a query itself would bypass the ownership checks and the trail.
    root = CORE.parent
    direct = re.compile(r"\bdb\s*\.\s*(all|one|scalar|frame|write|transaction|cursor)\s*\(")
    files = [root / "app.py", *(root / "pages").glob("*.py"), *(root / "ui").glob("*.py")]
    offenders = [str(p.relative_to(root)) for p in files if direct.search(p.read_text())]
    assert offenders == []
    assert direct.search("rows = app.db.all('couples/get', couple_id=1)")
