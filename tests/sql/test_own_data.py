"""A partner's own data (core/own_data.py): their answers in words, and nothing of the other
partner's answers, the counselor's notes or any token; refused for another counselor's couple
and for a partner of another couple; every export in the audit trail."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from datetime import date, datetime

import pytest

from core import checkins, couples, decisions, instruments, links, own_data, roadmap, sessions
from core.errors import NotFound
from tests.conftest import make_couple, rows
from tests.sql.test_checkins import complete
from tests.sql.test_exports import pdf_pages

PRACTICE = "Harbour Street Counselling"
# Written answers each partner alone could have given: one must never show in the other's file.
RACHELS = "Rachel wants the lighthouse keeper job"
MARCUS = "Marcus dreams of the observatory on the hill"
MARCUS_SAFETY = "Marcus told the counselor about the quarrel"
RACHELS_SAFETY = "Rachel keeps a private worry about money"
SESSION_NOTE = "Counselor thinks the quartz question matters"
COUPLE_NOTE = "Couple note about basalt cliffs"
TAKEAWAY = "We agreed to walk through a week in Leeds"
# When Rachel sent her intake: 22:30 UTC is 12:30 the next day on the couple's clock (UTC+14).
SENT_UTC = datetime(2026, 3, 1, 22, 30)


def _answer(db, issued, answers: dict) -> None:
    links.open_link(db, issued.token)
    for item, value in answers.items():
        links.save_answer(db, issued.token, item, value)


@pytest.fixture
def couple(db, counselor):
    """Rachel & Marcus with intake answers from both (Rachel's sent, Marcus's a draft), a check-in
    of Rachel's, a decision both scored, shared records, roadmap entries of each and a session
    with notes. Returns the ids and tokens the tests look for."""
    cid = make_couple(db, counselor)
    rachel, marcus = (p["id"] for p in db.all("couples/partners", couple_id=cid))
    couples.update(
        db,
        counselor,
        cid,
        {"name": "Rachel", "occupation": "Product lead", "email": "rachel@example.org"},
        {"name": "Marcus", "occupation": "Lawyer", "email": "marcus@example.org"},
        COUPLE_NOTE,
    )
    checkins.set_schedule(db, counselor, cid, "weekly", date(2026, 1, 5), "Pacific/Kiritimati")
    hers = links.issue(db, counselor, cid, rachel, "intake")
    _answer(
        db,
        hers,
        {
            "in_five_years": RACHELS,
            "who_gives_way": "my_partner",
            "career_counts_equally": 4,
            "safety_note": RACHELS_SAFETY,
        },
    )
    rows(db, "UPDATE links SET submitted_at = $at WHERE id = $id", at=SENT_UTC, id=hers.link_id)
    his = links.issue(db, counselor, cid, marcus, "intake")
    _answer(db, his, {"in_five_years": MARCUS, "who_gives_way": "me", "safety_note": MARCUS_SAFETY})
    her_checkin = links.issue(db, counselor, cid, rachel, "checkin")
    _answer(db, her_checkin, {"career_lead": "mine", "stress": 3})

    did = decisions.create(db, counselor, cid, "Offer in Leeds", "job_offer")
    stay = decisions.add_option(db, counselor, cid, did, "Stay in York")
    growth = decisions.add_factor(db, counselor, cid, did, "Growth")
    decisions.update_option(
        db,
        counselor,
        cid,
        did,
        stay,
        {"impact_1": "Rachel keeps her team", "impact_2": "Marcus waits"},
    )
    decisions.save_partner_grid(db, counselor, cid, did, rachel, {growth: 8}, {(growth, stay): 3})
    decisions.save_partner_grid(db, counselor, cid, did, marcus, {growth: 2}, {(growth, stay): 9})
    roadmap.add(
        db,
        counselor,
        cid,
        {"partner_id": rachel, "title": "Rachel's MBA", "starts_on": "2027-01-01"},
    )
    roadmap.add(
        db,
        counselor,
        cid,
        {"partner_id": marcus, "title": "Marcus's sabbatical", "starts_on": "2027-02-01"},
    )
    roadmap.add(db, counselor, cid, {"title": "Move to Leeds together", "starts_on": "2027-03-01"})
    sessions.create(
        db,
        counselor,
        cid,
        {"held_on": "2026-03-02", "focus": "The offer", "takeaways": TAKEAWAY, "notes": SESSION_NOTE},
    )  # fmt: skip
    return {
        "cid": cid,
        "rachel": rachel,
        "marcus": marcus,
        "tokens": [hers.token, his.token, her_checkin.token],
    }


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture
def rachels(db, counselor, couple, tmp_path):
    """Rachel's own data: the PDF's text (as pdftotext reads it), the CSV's rows, every byte."""
    files = unzipped(own_data.export_zip(db, counselor, couple["cid"], couple["rachel"], PRACTICE))
    text = " ".join(" ".join(pdf_pages(files[own_data.PDF_NAME], tmp_path)).split())
    table = list(csv.DictReader(io.StringIO(files[own_data.CSV_NAME].decode("utf-8"))))
    return {"files": files, "text": text, "csv": table}


def test_the_zip_holds_a_pdf_to_read_and_the_answers_as_csv(rachels):
    assert set(rachels["files"]) == {own_data.PDF_NAME, own_data.CSV_NAME}
    assert rachels["files"][own_data.PDF_NAME].startswith(b"%PDF")


def test_the_partners_own_answers_read_as_words(rachels):
    text = rachels["text"]
    assert "Rachel: what Harbour Street Counselling holds about you" in text
    assert RACHELS in text
    # The question as the partner saw it, and the chosen option's label, not its id.
    assert "who usually gives way? Usually my partner" in text
    assert "my career counts as much as my partner's. Agree" in text
    assert "Whose career is leading right now? Mine" in text
    assert "my_partner" not in text
    answer = next(r for r in rachels["csv"] if r["answer"] == "Usually my partner")
    assert answer["value"] == "my_partner" and answer["counselor_only"] == "no"
    assert answer["form"] == "Getting started: your work, your plans, your partnership"


def test_a_counselor_only_answer_of_their_own_is_in_their_file_and_says_so(rachels):
    assert RACHELS_SAFETY in rachels["text"]
    assert own_data.COUNSELOR_ONLY in rachels["text"]
    row = next(r for r in rachels["csv"] if r["answer"] == RACHELS_SAFETY)
    assert row["counselor_only"] == "yes"


def test_nothing_of_the_other_partners_answers_or_details(rachels):
    everything = b"".join(rachels["files"].values()).decode("latin-1") + rachels["text"]
    for theirs in (
        MARCUS,
        MARCUS_SAFETY,
        "marcus@example.org",
        "Marcus waits",
        "Marcus's sabbatical",
    ):
        assert theirs not in everything, theirs
    # Marcus's weight (2) and score (9) of the shared decision: only Rachel's row of numbers.
    assert "How much each matters to you 8" in rachels["text"]
    assert "Stay in York 3" in rachels["text"]
    assert "Stay in York 9" not in rachels["text"]
    assert "Marcus" in rachels["text"]  # named, as the shared records need


def test_no_counselor_notes_and_no_token(db, couple, rachels):
    everything = b"".join(rachels["files"].values()).decode("latin-1") + rachels["text"]
    for private in (SESSION_NOTE, COUPLE_NOTE):
        assert private not in everything
    for token in couple["tokens"]:
        assert token not in everything
    for (token_hash,) in rows(db, "SELECT token_hash FROM links"):
        assert token_hash not in everything
    # What they share is there: the takeaways, the shared and own roadmap, the decision.
    for shared in (TAKEAWAY, "Move to Leeds together", "Rachel's MBA", "Offer in Leeds"):
        assert shared in rachels["text"], shared
    assert "Rachel keeps her team" in rachels["text"]


def test_the_file_says_what_it_holds_and_leaves_out(rachels):
    text = rachels["text"]
    assert "It leaves out, on purpose:" in text
    assert "Marcus's answers, scores and details, apart from their name" in text
    assert "your counselor's private notes" in text
    assert text.index("About this file") < text.index("Your answers")


def test_dates_are_on_the_couples_clock(rachels):
    # 22:30 UTC on 1 March is 12:30 on 2 March at UTC+14, the couple's check-in clock.
    assert "Sent to your counselor on 2 Mar 2026, 12:30." in rachels["text"]
    assert "on the clock of your check-ins (Pacific/Kiritimati)" in rachels["text"]
    row = next(r for r in rachels["csv"] if r["answer"] == RACHELS)
    assert row["sent (Pacific/Kiritimati)"] == "2026-03-02 12:30"


def test_the_other_partners_file_has_theirs_and_not_hers(db, counselor, couple, tmp_path):
    files = unzipped(own_data.export_zip(db, counselor, couple["cid"], couple["marcus"], PRACTICE))
    text = " ".join(" ".join(pdf_pages(files[own_data.PDF_NAME], tmp_path)).split())
    assert MARCUS in text and MARCUS_SAFETY in text and "Usually me" in text
    assert "Not sent yet" in text  # his intake is a draft, and says so
    everything = b"".join(files.values()).decode("latin-1") + text
    for hers in (RACHELS, RACHELS_SAFETY, "rachel@example.org", "Rachel's MBA", "Rachel keeps"):
        assert hers not in everything, hers


def test_another_counselors_couple_is_refused_and_recorded(db, other_counselor, couple):
    with pytest.raises(NotFound):
        own_data.export_zip(db, other_counselor, couple["cid"], couple["rachel"], PRACTICE)
    refused = rows(db, "SELECT actor_label, couple_ref FROM audit_log WHERE action = 'refused'")
    assert (other_counselor.username, couple["cid"]) in refused


@pytest.mark.parametrize("whose", ["other couple", "nonsense"])
def test_a_partner_who_is_not_the_couples_is_refused(db, counselor, couple, whose):
    theirs = make_couple(db, counselor, "Noor", "Sam")
    partner = db.all("couples/partners", couple_id=theirs)[0]["id"] if whose != "nonsense" else "x"
    with pytest.raises(NotFound, match="partner"):
        own_data.export_zip(db, counselor, couple["cid"], partner, PRACTICE)


def test_each_export_is_in_the_audit_trail_with_whose_data(db, counselor, couple):
    for _ in range(2):
        own_data.export_zip(db, counselor, couple["cid"], couple["marcus"], PRACTICE)
    exported = rows(
        db,
        "SELECT actor_label, couple_ref, detail FROM audit_log "
        "WHERE action = 'export' AND object = $obj",
        obj="partner's own data",
    )
    assert exported == [(counselor.username, couple["cid"], f"partner_id={couple['marcus']}")] * 2


def test_a_ten_megabyte_answer_neither_breaks_the_pdf_nor_is_lost(db, counselor, couple, tmp_path):
    # Validation keeps a written answer to 4,000 characters; one stored before (or imported)
    # may be any length.
    huge = "lighthouse " * 1_000_000
    rows(
        db,
        "UPDATE answers SET value_json = $v WHERE partner_id = $p AND item_id = 'in_five_years'",
        v=json.dumps(huge),
        p=couple["rachel"],
    )
    started = time.monotonic()
    files = unzipped(own_data.export_zip(db, counselor, couple["cid"], couple["rachel"], PRACTICE))
    assert time.monotonic() - started < 30
    assert len(files[own_data.PDF_NAME]) < 1_000_000
    text = " ".join(" ".join(pdf_pages(files[own_data.PDF_NAME], tmp_path)).split())
    assert "more characters are not printed here. It is whole in answers.csv." in text
    limit = csv.field_size_limit(20_000_000)  # Python's reader stops at 128 KB a cell
    try:
        table = list(csv.DictReader(io.StringIO(files[own_data.CSV_NAME].decode("utf-8"))))
    finally:
        csv.field_size_limit(limit)
    assert any(r["answer"] == huge for r in table)


@pytest.mark.parametrize(
    ("partner", "name"),
    [
        ({"name": "Zoë Ann", "position": 1}, "own-data-zoe-ann-2026-11-20.zip"),
        ({"name": "Łukasz", "position": 2}, "own-data-lukasz-2026-11-20.zip"),
        ({"name": "Søren Æbelø", "position": 1}, "own-data-soren-aebelo-2026-11-20.zip"),
        ({"name": "王芳", "position": 2}, "own-data-partner-2-2026-11-20.zip"),
        ({"name": "../../etc", "position": 1}, "own-data-etc-2026-11-20.zip"),
    ],
)
def test_the_file_name_names_the_partner_in_plain_letters(partner, name):
    assert own_data.file_name(partner, datetime(2026, 11, 20)) == name


def test_the_check_in_figures_say_the_cut_off_once_in_a_sentence(db, counselor, couple, tmp_path):
    issued = links.issue(db, counselor, couple["cid"], couple["rachel"], "checkin")
    complete(db, issued.token, datetime(2026, 3, 4, 9))
    assert links.submit(db, issued.token)
    files = unzipped(own_data.export_zip(db, counselor, couple["cid"], couple["rachel"], PRACTICE))
    text = " ".join(" ".join(pdf_pages(files[own_data.PDF_NAME], tmp_path)).split())
    assert "Figures worked out from your check-ins" in text
    assert (
        "Its authors put a cut-off at 13.5: a score below it is in the range they link with "
        "notable dissatisfaction in the relationship." in text
    )
    assert text.count("13.5") == 1


@pytest.mark.parametrize(("name_1", "name_2"), [("Zoë", "Zoe"), ("Anna-Lena", "Anna Lena")])
def test_two_partners_whose_names_read_alike_in_plain_letters_get_two_file_names(name_1, name_2):
    # The file's name is what keeps one partner's copy from the other: one name for both
    # defeated it.
    couple = [{"id": 1, "position": 1, "name": name_1}, {"id": 2, "position": 2, "name": name_2}]
    day = datetime(2026, 11, 20)
    named = [own_data.file_name(p, day, couple) for p in couple]
    slug = named[0].split("-partner-")[0]
    assert named == [f"{slug}-partner-1-2026-11-20.zip", f"{slug}-partner-2-2026-11-20.zip"]
    # Names that differ keep their plain names.
    couple[1]["name"] = "Łukasz"
    assert own_data.file_name(couple[1], day, couple) == "own-data-lukasz-2026-11-20.zip"


def test_a_decision_forms_answers_read_in_the_words_of_its_factors(db, counselor, couple, tmp_path):
    did = decisions.create(db, counselor, couple["cid"], "Sabbatical year", "other")
    option = decisions.add_option(db, counselor, couple["cid"], did, "Take it in 2027")
    factor = decisions.add_factor(db, counselor, couple["cid"], did, "Rest")
    form = links.issue_decision_form(db, counselor, couple["cid"], couple["rachel"], did)
    _answer(db, form, {f"w_{factor}": 6, f"s_{option}_{factor}": 4})
    files = unzipped(own_data.export_zip(db, counselor, couple["cid"], couple["rachel"], PRACTICE))
    text = " ".join(" ".join(pdf_pages(files[own_data.PDF_NAME], tmp_path)).split())
    assert "Weighing up: Sabbatical year" in text
    assert "How much this matters to you: Rest 6 of 10" in text
    assert "Option: Take it in 2027 How well it does on: Rest 4 of 10" in text
    assert f"w_{factor}" not in text


def file_of(db, counselor, couple_id: int, partner_id: int, zone: str | None = None):
    """The file as built, (paper, forms): its blocks tell tables and their columns apart."""
    held = own_data.collect(db, counselor, couple_id, partner_id, zone)
    return own_data.build(held, PRACTICE, counselor.display_name)


def checkin_tables(paper) -> list[tuple]:
    """The tables under the Check-ins heading of "Your answers"."""
    start = paper.blocks.index(("h3", own_data.CHECKINS))
    tables = []
    for kind, payload in paper.blocks[start + 1 :]:
        if kind in ("h2", "h3"):
            break
        if kind == "table":
            tables.append(payload)
    return tables


def test_check_ins_sit_side_by_side_four_to_a_table_question_by_question(db, counselor, couple):
    """Five years of weekly check-ins one to a page took 378 pages."""
    cid, rachel = couple["cid"], couple["rachel"]
    for week in range(5):  # the fixture's draft goes on in the first (its answers carry over)
        issued = links.issue(db, counselor, cid, rachel, "checkin")
        _answer(db, issued, {"stress": week + 1})
        if week < 4:  # the last one is not sent
            sent = datetime(2026, 3, 2 + 7 * week, 9)  # 23:00 the same day on the couple's clock
            rows(
                db, "UPDATE links SET submitted_at = $at WHERE id = $id", at=sent, id=issued.link_id
            )
    first, second = checkin_tables(file_of(db, counselor, cid, rachel)[0])
    headers, body, fractions = first
    assert headers == [
        "Question",
        *(f"{day} Mar 2026\nsent" for day in (2, 9, 16, 23)),
    ]
    assert len(fractions) == len(headers) == own_data.CHECKINS_PER_TABLE + 1
    form = instruments.load("checkin")
    # The form's order (stress before whose career leads), a dash where a check-in has none.
    assert body == [
        [form.item("stress").prompt, "1 of 10", "2 of 10", "3 of 10", "4 of 10"],
        [form.item("career_lead").prompt, "Mine", "—", "—", "—"],
    ]
    headers, body, fractions = second
    assert len(headers) == len(fractions) == 2 and headers[1].endswith("\nnot sent")
    assert body == [[form.item("stress").prompt, "5 of 10"]]


def test_each_link_says_what_became_of_it(db, counselor, couple):
    cid, rachel = couple["cid"], couple["rachel"]
    (stopped,) = rows(
        db,
        "SELECT id FROM links WHERE partner_id = $p AND instrument_id = 'checkin'",
        p=rachel,
    )
    links.revoke(db, counselor, cid, stopped[0])
    ran_out = links.issue(db, counselor, cid, rachel, "exercise_day_in_life")
    rows(
        db,
        "UPDATE links SET expires_at = $at WHERE id = $id",
        at=datetime(2026, 1, 1),
        id=ran_out.link_id,
    )
    links.issue(db, counselor, cid, rachel, "csi4")
    links.issue(db, counselor, cid, rachel, "csi4")  # replaces the first
    checkins.issue_standing(db, counselor, cid, rachel)
    checkins.issue_standing(db, counselor, cid, rachel)  # stops the first

    paper, forms = file_of(db, counselor, cid, rachel)
    states = [g.state for g in forms]
    assert states[0] == "Sent to your counselor on 2 Mar 2026, 12:30."  # her intake
    assert states[1].startswith("Not sent: your counselor stopped the link on ")
    assert states[2] == "Not sent: the link ended on 1 Jan 2026."
    assert states[3].startswith("Not sent: a newer link replaced this one on ")
    assert states[4].startswith("Not sent yet; the link works until ")
    (links_table,) = [
        p for k, p in paper.blocks if k == "table" and p[0][0] == "Form"
    ]  # the links you were sent
    personal = [r for r in links_table[1] if r[0].startswith("Your personal check-in link")]
    assert [r[3].split()[0] for r in personal] == ["Replaced", "Works"]
    assert [r[2] for r in personal] == ["—", "—"]  # never opened


@pytest.mark.parametrize(
    ("zone", "said"),
    [
        ("Europe/London", "Dates and times are on your counselor's clock (Europe/London)."),
        (None, "Dates and times are in UTC"),
        ("Not/A_Zone", "Dates and times are in UTC"),
    ],
)
def test_without_a_check_in_schedule_dates_are_on_the_counselors_clock_else_in_utc(
    db, counselor, zone, said
):
    cid = make_couple(db, counselor, "Noor", "Sam")
    noor = db.all("couples/partners", couple_id=cid)[0]["id"]
    assert said in file_of(db, counselor, cid, noor, zone)[0].text()
