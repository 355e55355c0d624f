"""Exports: the couple's summary holds what they may see and nothing private; the record holds
every table of that couple and no other couple's rows."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile

import pytest

from core import agreements, decisions, exports, instruments, links, pdf, record, roadmap, sessions
from core.db import SQL_DIR, Database
from tests.conftest import make_counselor, make_couple, make_first_admin, rows
from tests.sql.test_erasure import tables_with_couple_id

PRACTICE = "Harbour Street Counselling"
PRIVATE_ANSWER = "PRIVATE-PLAN-7731: I want to leave in spring"
NOTE = "COUNSELOR-NOTE-5512 watch for withdrawal"
SAFETY_PROMPT = instruments.load("checkin").item("safety_afraid").prompt
FORMULA = '=HYPERLINK("https://evil.example","click")'


def answer_everything(db, token, instrument_id, extra):
    """Answer each required item with a valid value, plus `extra`, then submit."""
    form = instruments.load(instrument_id)
    for item in form.items:
        if item.required and item.id not in extra:
            value = item.options[0].value if item.options else (item.min or 0)
            if item.type in instruments.TEXT_TYPES:
                value = "Something I would say."
            if item.type == instruments.MULTI:
                value = [value]
            links.save_answer(db, token, item.id, value)
    for item_id, value in extra.items():
        links.save_answer(db, token, item_id, value)
    assert links.submit(db, token)


@pytest.fixture(scope="module")
def practice(scratch):
    """One practice: Zoë & 王芳 with everything planted, a second couple, another counselor's."""
    db = Database(scratch / "exports.duckdb")
    admin = make_first_admin(db)
    me = make_counselor(db, admin, "alex")
    them = make_counselor(db, admin, "blair")
    cid = make_couple(db, me, "Zoë", "王芳")
    zoe, fang = (p["id"] for p in db.all("couples/partners", couple_id=cid))
    other = make_couple(db, me, "Ana", "Bo")
    foreign = make_couple(db, them, "Łukasz", "Tomás")

    trial = agreements.save(
        db, me, cid,
        {"title": "Lisbon for one year", "kind": "trial", "status": "active",
         "body": "We stay in Lisbon for twelve months while Zoë registers.",
         "exit_plan": "If it is not working by the review, we look at moving for Zoë's career.",
         "review_on": "2027-06-01", "confirmed_on": "2026-10-01"},
    )  # fmt: skip
    agreements.save(db, me, cid, {"title": "Unrelated agreement", "body": "Not discussed."})
    did = decisions.create(db, me, cid, "Offer in Porto", "job_offer")
    stay = decisions.add_option(db, me, cid, did, "Stay in Lisbon")
    move = decisions.add_option(db, me, cid, did, "Move to Porto")
    f = decisions.add_factor(db, me, cid, did, "Growth")
    for pid, (w, s1, s2) in ((zoe, (8, 4, 9)), (fang, (5, 7, 6))):
        decisions.save_partner_grid(db, me, cid, did, pid, {f: w}, {(f, stay): s1, (f, move): s2})
    decisions.update_option(
        db, me, cid, did, move, {"income_1": 3000, "income_2": 2500, "costs": 2000}
    )
    roadmap.add(
        db, me, cid, {"partner_id": zoe, "title": "Registration", "starts_on": "2027-03-01"}
    )
    roadmap.add(db, me, cid, {"partner_id": fang, "title": "Transfer", "starts_on": "2026-03-01"})

    sid = sessions.create(
        db, me, cid,
        {"held_on": "2026-11-20", "focus": FORMULA, "takeaways": "Zoë's lessons move to mornings.",
         "notes": NOTE},
    )  # fmt: skip
    sessions.set_discussed(db, me, cid, sid, [trial.agreement_id], [did])
    homework = sessions.assign_homework(db, me, cid, sid, "exercise_support_inventory")
    fang_link = next(i for i in homework if i.partner_name == "王芳")
    answer_everything(
        db, fang_link.token, "exercise_support_inventory", {"support_now": PRIVATE_ANSWER}
    )
    checkin = links.issue(db, me, cid, zoe, "checkin")
    answer_everything(db, checkin.token, "checkin", {"safety_afraid": 4})

    # Rows of the other couples, which the record must never carry.
    agreements.save(db, me, other, {"title": "Other couple's agreement", "body": "x"})
    sessions.create(db, me, other, {"held_on": "2026-01-01", "notes": "other couple"})
    agreements.save(db, them, foreign, {"title": "Foreign agreement", "body": "x"})
    yield {
        "db": db,
        "me": me,
        "them": them,
        "cid": cid,
        "sid": sid,
        "other": other,
        "foreign": foreign,
    }
    db.close()


def summary(practice, audience, **options):
    o = exports.Options(audience=audience, **options)
    return exports.build(
        practice["db"], practice["me"], practice["cid"], practice["sid"], o, PRACTICE
    )


@pytest.fixture(scope="module")
def couple_files(practice):
    """The couple's summary as Markdown and PDF, made once (chart rendering is the slow part)."""
    s = summary(practice, exports.COUPLE, notes=True, exercise_answers=True, agreement_history=True)
    return {"md": exports.to_markdown(s), "pdf": exports.to_pdf(s)}


def pdf_pages(data: bytes, tmp_path) -> list[str]:
    """The text of each page, as pdftotext (poppler-utils) extracts it."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (see .ci/run)")
    path = tmp_path / "s.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def test_the_couples_pdf_has_agreements_homework_and_both_names(couple_files, tmp_path):
    text = "\n".join(pdf_pages(couple_files["pdf"], tmp_path))
    for wanted in (
        "Lisbon for one year",
        "twelve months while Zoë registers",
        "Exit plan",
        "Offer in Porto",
        "Exercise: my support inventory",
        "Zoë",
        "王芳",
        "Zoë's lessons move to mornings.",
    ):
        assert wanted in text, wanted
    assert "Unrelated agreement" not in text  # only what the session discussed


@pytest.mark.parametrize("kind", ["md", "pdf"])
def test_the_couples_summary_never_holds_notes_private_answers_or_safety_items(
    couple_files, kind, tmp_path
):
    text = (
        couple_files["md"] if kind == "md" else "\n".join(pdf_pages(couple_files["pdf"], tmp_path))
    )
    for secret in ("PRIVATE-PLAN-7731", "COUNSELOR-NOTE-5512", SAFETY_PROMPT, "Almost always"):
        assert secret not in text.replace("\\", ""), secret


def test_every_pdf_page_names_the_practice_and_the_date(couple_files, tmp_path):
    pages = pdf_pages(couple_files["pdf"], tmp_path)
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert PRACTICE in page and "20 Nov 2026" in page, f"page {n}"
        assert f"Page {n} of {len(pages)}" in page


def test_the_markdown_escapes_peoples_text_and_embeds_the_charts(couple_files):
    md = couple_files["md"]
    assert FORMULA.replace('"', '"') in md  # a typed formula stays as typed (no spreadsheet here)
    assert "Zoë's lessons move to mornings." in md  # readable as plain text: no "Zoë\\'s"
    assert md.count("](data:image/png;base64,") == 2  # the matrix and the roadmap
    assert "## Agreements" in md and "## Homework" in md


def test_the_options_cannot_put_private_material_in_the_couples_summary():
    o = exports.Options(audience=exports.COUPLE, notes=True, exercise_answers=True,
                        agreement_history=True).effective()  # fmt: skip
    assert (o.notes, o.exercise_answers, o.agreement_history) == (False, False, False)
    assert (
        exports.Options(audience="anyone else", notes=True).effective().audience == exports.COUPLE
    )


def test_the_record_summary_carries_what_the_counselor_chose(practice):
    text = summary(practice, exports.RECORD, roadmap=False, matrix=False).text()
    assert NOTE in text and PRIVATE_ANSWER in text
    assert SAFETY_PROMPT not in text  # exercises have no safety items; check-ins are not in it
    without = summary(practice, exports.RECORD, notes=False, exercise_answers=False,
                      roadmap=False, matrix=False).text()  # fmt: skip
    assert NOTE not in without and PRIVATE_ANSWER not in without


def test_the_money_table_has_its_own_heading_and_the_record_speaks_of_the_couple(practice):
    for audience in (exports.COUPLE, exports.RECORD):
        blocks = summary(practice, audience, matrix=False).blocks
        table = next(i for i, (kind, p) in enumerate(blocks) if kind == "table")
        # Right under the options, the table read as the last option's own.
        assert blocks[table - 1] == ("h3", "Money, option by option")
        headings = [p for kind, p in blocks if kind == "h2"]
        assert ("Our roadmap" in headings) == (audience == exports.COUPLE)
    record = summary(practice, exports.RECORD).text()
    assert "Each of you" not in record  # the record is not addressed to the couple


def test_a_past_sessions_summary_shows_each_agreement_as_it_stood_that_day(scratch):
    from datetime import datetime

    db = Database(scratch / "as-of.duckdb")
    me = make_counselor(db, make_first_admin(db), "asof")
    cid = make_couple(db, me, "Ana", "Bo")
    then, later = datetime(2026, 3, 2, 10), datetime(2026, 5, 4, 10)
    rule = {"title": "Evenings", "body": "Phones away after eight.", "status": "active"}
    saved = agreements.save(db, me, cid, rule, now=then)
    agreements.save(db, me, cid, {**rule, "body": "Phones away after nine."}, saved.agreement_id,
                    now=later)  # fmt: skip
    written_later = agreements.save(db, me, cid, {"title": "Sundays", "body": "A walk."}, now=later)
    sid = sessions.create(db, me, cid, {"held_on": "2026-03-10", "focus": "Evenings"})
    sessions.set_discussed(db, me, cid, sid, [saved.agreement_id, written_later.agreement_id], [])
    text = exports.build(db, me, cid, sid, exports.Options(), PRACTICE).text()
    assert "Phones away after eight." in text and "after nine" not in text
    assert "As it stood on 10 Mar 2026 (version 1 of 2); it has changed since." in text
    assert "Written after this session; shown as first written." in text
    db.close()


def test_another_counselor_gets_no_summary_and_no_record(practice):
    from core.errors import NotFound

    with pytest.raises(NotFound):
        exports.build(practice["db"], practice["them"], practice["cid"], practice["sid"],
                      exports.Options(), PRACTICE)  # fmt: skip
    with pytest.raises(NotFound):
        record.export_zip(practice["db"], practice["them"], practice["cid"], PRACTICE)


def test_missing_fonts_fail_with_a_message_that_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.delenv("TANDEM_FONT_DIR", raising=False)
    with pytest.raises(pdf.FontsMissing, match="apt-get install -y fonts-dejavu-core"):
        pdf.find_fonts()


# -- the full record -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def record_zip(practice):
    data = record.export_zip(practice["db"], practice["me"], practice["cid"], PRACTICE)
    return zipfile.ZipFile(io.BytesIO(data))


def test_every_couple_table_has_a_record_query(practice):
    missing = [
        t for t in tables_with_couple_id(practice["db"])
        if not (SQL_DIR / "record" / f"{t}.sql").is_file()
    ]  # fmt: skip
    assert not missing, f"add sql/record/<table>.sql for: {missing}"


def test_the_record_holds_a_csv_per_table_plus_json_manifest_and_readme(record_zip, practice):
    names = set(record_zip.namelist())
    tables = {"couples", *tables_with_couple_id(practice["db"])}
    assert {f"csv/{t}.csv" for t in tables} <= names
    assert {"README.txt", "manifest.json", "record.json"} <= names
    manifest = json.loads(record_zip.read("manifest.json"))
    assert manifest["practice"] == PRACTICE and manifest["couple_id"] == practice["cid"]


def test_the_record_round_trips_every_row_of_the_couple_and_no_other(record_zip, practice):
    db, cid = practice["db"], practice["cid"]
    stored = json.loads(record_zip.read("record.json"))
    for name in record.record_queries():
        table = name.split("/", 1)[1]
        key = "id" if table == "couples" else "couple_id"
        expected = db.all(name, couple_id=cid)
        assert len(stored[table]) == len(expected), table
        assert all(r[key] == cid for r in stored[table]), f"{table} holds another couple's rows"
        with db.cursor() as cur:  # every row of this couple in the table itself is exported
            col = "id" if table == "couples" else "couple_id"
            total = cur.execute(
                f'SELECT count(*) FROM "{table}" WHERE {col} = $c', {"c": cid}
            ).fetchall()
        assert total[0][0] == len(expected), table
        reader = list(
            csv.DictReader(io.StringIO(record_zip.read(f"csv/{table}.csv").decode("utf-8")))
        )
        assert [dict(r) for r in reader] == [
            {k: record.csv_cell(v) for k, v in row.items()} for row in expected
        ], table
        assert stored[table] == [{k: record._plain(v) for k, v in row.items()} for row in expected]
    assert stored["couple_sessions"][0]["notes"] == NOTE
    assert any(PRIVATE_ANSWER in a["value_json"] for a in stored["answers"])
    assert "token_hash" not in stored["links"][0]
    everything = record_zip.read("record.json").decode("utf-8")
    assert "Other couple's agreement" not in everything and "Foreign agreement" not in everything


def test_csv_cells_that_look_like_formulas_are_neutralised(record_zip):
    sessions_csv = record_zip.read("csv/couple_sessions.csv").decode("utf-8")
    (row,) = csv.DictReader(io.StringIO(sessions_csv))
    assert row["focus"] == "'" + FORMULA
    assert json.loads(record_zip.read("record.json"))["couple_sessions"][0]["focus"] == FORMULA


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("plain", "plain"), (-5, "-5"), (None, ""), (True, "true")],
)  # fmt: skip
def test_csv_cell_rules(value, cell):
    assert record.csv_cell(value) == cell


def test_an_empty_table_still_gets_its_header(record_zip):
    header = record_zip.read("csv/session_decisions.csv").decode().splitlines()[0]
    assert header.split(",")[:2] == ["session_id", "decision_id"]


def test_options_with_nothing_written_are_named_on_one_line_not_as_empty_headings(practice):
    blocks = summary(practice, exports.COUPLE, matrix=False).blocks
    assert not [p for kind, p in blocks if kind == "h3" and str(p).startswith("Option: ")]
    assert ("facts", [("Options weighed", "Stay in Lisbon; Move to Porto")]) in blocks


def test_the_audit_trail_says_whom_a_summary_was_exported_for(practice):
    db, me, cid, sid = (practice[k] for k in ("db", "me", "cid", "sid"))
    for audience in (exports.COUPLE, exports.RECORD):
        options = exports.Options(audience, roadmap=False, matrix=False, other_charts=False)
        exports.summary_markdown(db, me, cid, sid, options, PRACTICE)
    details = [
        d
        for (d,) in rows(
            db,
            "SELECT detail FROM audit_log WHERE action = 'export' AND object = "
            "'session summary Markdown' ORDER BY id",
        )
    ][-2:]
    assert details == [f"session_id={sid}, for=couple", f"session_id={sid}, for=record"]


def test_a_summary_dates_stored_times_on_the_counselors_clock(db):
    """A Chicago counselor edits an agreement at 21:00 on the session's day: 03:00 the next day
    in UTC. Dated in UTC, the summary said the agreement changed after the session and showed
    the older version; on her clock it is the version the session ended with."""
    from datetime import datetime

    admin = make_first_admin(db)
    me = make_counselor(db, admin, "casey")
    cid = make_couple(db, me, "Ana", "Bo")
    first = agreements.save(
        db, me, cid, {"title": "Evenings", "body": "First words."}, now=datetime(2026, 11, 20, 15)
    )
    agreements.save(
        db, me, cid, {"title": "Evenings", "body": "Words of the evening."},
        agreement_id=first.agreement_id, now=datetime(2026, 11, 21, 3),
    )  # fmt: skip
    sid = sessions.create(db, me, cid, {"held_on": "2026-11-20"})
    sessions.set_discussed(db, me, cid, sid, [first.agreement_id], [])
    options = exports.Options(agreement_history=True, audience=exports.RECORD)

    def text(zone):
        return exports.build(db, me, cid, sid, options, PRACTICE, zone=zone).text()

    chicago = text("America/Chicago")
    assert "Words of the evening." in chicago and "it has changed since" not in chicago
    assert "Version 2, 20 Nov 2026" in chicago
    utc = text(None)  # no zone from the browser: UTC, as before
    assert "First words." in utc and "(version 1 of 2); it has changed since" in utc
    assert "Version 2, 21 Nov 2026" in utc
    assert text("Not/AZone") == utc  # a zone this server does not know: UTC, no error


def test_a_summarys_chart_counts_days_on_the_counselors_clock(db, monkeypatch):
    """The equity chart a summary carries is drawn on the counselor's days, as on screen."""
    from core import charts

    admin = make_first_admin(db)
    me = make_counselor(db, admin, "casey")
    cid = make_couple(db, me, "Ana", "Bo")
    sid = sessions.create(db, me, cid, {"held_on": "2026-11-20"})
    asked = []
    monkeypatch.setattr(charts, "summary_charts", lambda *args: asked.append(args[3]) or [])
    exports.build(db, me, cid, sid, exports.Options(), PRACTICE, zone="Asia/Tokyo")
    assert asked == ["Asia/Tokyo"]
