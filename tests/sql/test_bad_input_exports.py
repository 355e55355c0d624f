"""Bad input, what goes out: names and texts as people typed them (emoji, right-to-left, bidi
overrides, combining marks, SQL and HTML, at their longest) carried into the session summary
(Markdown and PDF, charts included), the full-record zip and a partner's own data.

Generated cases (sum of max_examples): Markdown 15 + PDF 3 + full record 10 + own data 3 = 31.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from core import couples, decisions, exports, links, markdown, own_data, record, sessions
from core.errors import ValidationError
from tests.bad_input import CAMPAIGN, TYPED_STRINGS, mostly, nasty_value, typed_text
from tests.conftest import make_couple

PRACTICE = "Harbour Street Counselling"
TODAY = date(2026, 11, 22)
# The longest each field takes, so every export is tried at the limit too.
at_limit = st.sampled_from(TYPED_STRINGS).map(lambda s: (s * 200)[:100].strip() or "x")
names = st.one_of(typed_text, at_limit)


@pytest.fixture
def record_of(db, counselor, couple_id):
    """A couple with a session that discussed a decision whose matrix is scored."""
    sid = sessions.create(db, counselor, couple_id, {"held_on": "2026-11-20", "focus": "Offer"})
    did = decisions.create(db, counselor, couple_id, "Offer in Seattle", "job_offer")
    options = [decisions.add_option(db, counselor, couple_id, did, x) for x in ("Stay", "Go")]
    factor = decisions.add_factor(db, counselor, couple_id, did, "Salary")
    for p in couples.get(db, counselor, couple_id)["partners"]:
        decisions.save_partner_grid(
            db, counselor, couple_id, did, p["id"], {factor: 7}, {(factor, o): 5 for o in options}
        )
    sessions.set_discussed(db, counselor, couple_id, sid, [], [did])
    return {"session": sid, "decision": did, "options": options}


def fill(db, counselor, couple_id, record_of, name_1, name_2, label, title, focus):
    """Store the typed texts wherever an export prints them; False if the form refused them."""
    try:
        couples.update(db, counselor, couple_id, {"name": name_1}, {"name": name_2}, "notes")
        decisions.update_option(
            db,
            counselor,
            couple_id,
            record_of["decision"],
            record_of["options"][0],
            {"label": label},
        )
        decisions.update(db, counselor, couple_id, record_of["decision"], {"title": title})
        sessions.update(db, counselor, couple_id, record_of["session"], {"focus": focus})
    except ValidationError:
        event("a text refused")
        return False
    event("exported")
    return True


texts = {
    "name_1": names,
    "name_2": mostly(names, nasty_value),
    "label": st.one_of(typed_text, at_limit),
    "title": st.one_of(typed_text, at_limit),
    "focus": st.one_of(typed_text, at_limit),
}


@settings(CAMPAIGN, max_examples=15)
@given(**texts)
def test_a_summary_in_markdown_prints_any_name_as_plain_text(
    db, counselor, couple_id, record_of, name_1, name_2, label, title, focus
):
    if not fill(db, counselor, couple_id, record_of, name_1, name_2, label, title, focus):
        return
    couple = couples.get(db, counselor, couple_id)
    # Charts are drawn in the PDF test (a few cases: each chart takes a while to draw).
    opts = exports.Options(audience=exports.RECORD, roadmap=False, matrix=False, other_charts=False)
    text = exports.summary_markdown(
        db, counselor, couple_id, record_of["session"], opts, PRACTICE
    ).decode("utf-8")
    for p in couple["partners"]:  # each name arrives whole, escaped as inside a line
        inline = "".join("\\" + c if c in markdown.FILE_SPECIALS else c for c in p["name"])
        assert inline in text


@settings(CAMPAIGN, max_examples=3)
@given(**texts)
def test_a_summary_as_pdf_prints_any_name(
    db, counselor, couple_id, record_of, name_1, name_2, label, title, focus
):
    if not fill(db, counselor, couple_id, record_of, name_1, name_2, label, title, focus):
        return
    opts = exports.Options(audience=exports.COUPLE, roadmap=False, other_charts=False)
    pdf = exports.summary_pdf(db, counselor, couple_id, record_of["session"], opts, PRACTICE)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


@pytest.fixture
def their_couple(db, other_counselor):
    """Another counselor's couple: never in this couple's record."""
    return make_couple(db, other_counselor, "Their", "Secret")


@settings(CAMPAIGN, max_examples=10)
@given(**texts)
def test_the_full_record_carries_any_name_and_no_formula(
    db, counselor, couple_id, record_of, their_couple, name_1, name_2, label, title, focus
):
    if not fill(db, counselor, couple_id, record_of, name_1, name_2, label, title, focus):
        return
    data = record.export_zip(db, counselor, couple_id, PRACTICE)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        whole = json.loads(z.read("record.json"))
        tables = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".csv")}
    stored = {p["name"] for p in couples.get(db, counselor, couple_id)["partners"]}
    assert {p["name"] for p in whole["partners"]} == stored  # names come out as stored
    for text in tables.values():
        for row in list(csv.reader(io.StringIO(text)))[1:]:
            for cell in row:  # a text cell never starts like a formula (numbers may be negative)
                assert not cell.startswith(("=", "+", "@")), cell[:40]
    assert "Secret" not in json.dumps(whole, ensure_ascii=False)


@settings(CAMPAIGN, max_examples=3)
@given(**texts)
# A written answer that a spreadsheet would run, whatever the three generated cases hold.
@example(
    name_1="Zoë", name_2="Łukasz", label="@SUM(A1)", title="+5", focus='=HYPERLINK("http://x")'
)
def test_a_partners_own_data_carries_any_name_and_no_formula(
    db, counselor, couple_id, record_of, name_1, name_2, label, title, focus
):
    if not fill(db, counselor, couple_id, record_of, name_1, name_2, label, title, focus):
        return
    partner = couples.get(db, counselor, couple_id)["partners"][0]
    # The typed text as one of the partner's own written answers: answers.csv holds it (with
    # no answer, the file held its header alone and the check below read nothing).
    intake = links.issue(db, counselor, couple_id, partner["id"], "intake")
    try:
        links.save_answer(db, intake.token, "in_five_years", focus)
    except ValidationError:
        event("an answer refused")
        return
    data = own_data.export_zip(db, counselor, couple_id, partner["id"], PRACTICE)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        pdf = z.read(own_data.PDF_NAME)
        answers = list(csv.reader(io.StringIO(z.read(own_data.CSV_NAME).decode("utf-8"))))
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert len(answers) == 2  # the header and the answer
    for row in answers[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell[:40]
    name = own_data.file_name(partner)
    assert name.startswith("own-data-") and name.endswith(".zip") and "/" not in name
