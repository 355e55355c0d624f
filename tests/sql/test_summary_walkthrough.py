"""The couple's summary after a counselor's walkthrough: the chosen option is said to be chosen
(never "also weighed"), next to its decision; a version both partners have not confirmed says
so; the equity chart comes with a note on how to read it."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from core import agreements, decisions, exports, seasons, sessions
from core.charts import EQUITY_READING
from core.db import Database
from tests.conftest import make_counselor, make_couple, make_first_admin
from tests.sql.test_exports import PRACTICE, pdf_pages

CHOSEN = "Maya commutes for two years"
DECISION = "Sam's offer in Rotterdam"
NOT_YET = "Not yet. This version still waits for both of you to confirm it."
LAST_CONFIRMED = (
    "It is version 2; the last version both of you confirmed is version 1, on 2 Mar 2026."
)


@pytest.fixture(scope="module")
def walkthrough(scratch):
    """Maya & Sam: a decided decision whose chosen option has nothing written about it, an
    agreement changed after both confirmed it, a draft never confirmed, and a season, so the
    equity chart has a line."""
    db = Database(scratch / "walkthrough.duckdb")
    me = make_counselor(db, make_first_admin(db), "robin")
    cid = make_couple(db, me, "Maya", "Sam")
    maya, sam = (p["id"] for p in db.all("couples/partners", couple_id=cid))

    rule = {
        "title": "Offers get a week",
        "kind": "offers",
        "status": "active",
        "body": "Neither of us answers an offer on the spot.",
        "confirmed_on": "2026-03-02",
    }
    first = agreements.save(db, me, cid, rule, now=datetime(2026, 3, 2, 10))
    changed = agreements.save(
        db, me, cid, {**rule, "body": "Neither of us answers an offer within a week."},
        first.agreement_id, now=datetime(2026, 4, 6, 10),
    )  # fmt: skip
    assert changed.unconfirmed_on is not None  # the new text waits to be confirmed again
    draft = agreements.save(db, me, cid, {"title": "Sundays off", "body": "No e-mail on Sundays."},
                            now=datetime(2026, 4, 6, 10))  # fmt: skip

    did = decisions.create(db, me, cid, DECISION, "job_offer")
    stay = decisions.add_option(db, me, cid, did, "Stay in Leeds")
    move = decisions.add_option(db, me, cid, did, "Move to Rotterdam together")
    commute = decisions.add_option(db, me, cid, did, CHOSEN)
    decisions.update_option(db, me, cid, did, stay, {"week": "As now; Sam's career waits."})
    decisions.update_option(db, me, cid, did, move, {"week": "Maya starts over in Dutch."})
    growth = decisions.add_factor(db, me, cid, did, "Growth")
    family = decisions.add_factor(db, me, cid, did, "Near family")
    for pid, weights, scores in ((maya, (8, 6), (4, 7, 6)), (sam, (5, 9), (6, 8, 5))):
        grid = {
            (f, o): v
            for f in (growth, family)
            for o, v in zip((stay, move, commute), scores, strict=True)
        }
        weight = dict(zip((growth, family), weights, strict=True))
        decisions.save_partner_grid(db, me, cid, did, pid, weight, grid)
    decisions.update(db, me, cid, did, {"status": "decided", "chosen_option_id": commute,
                                        "decided_on": "2026-04-06",
                                        "outcome": "Two years, then we look again."})  # fmt: skip
    seasons.create(db, me, cid, {"lead": sam, "title": "Sam's turn", "starts_on": "2025-06-01"})

    sid = sessions.create(db, me, cid, {"held_on": "2026-04-06", "focus": "The offer."})
    sessions.set_discussed(db, me, cid, sid, [first.agreement_id, draft.agreement_id], [did])
    couple = exports.Options(audience=exports.COUPLE)
    built = exports.build(db, me, cid, sid, couple, PRACTICE)
    yield {
        "db": db,
        "me": me,
        "cid": cid,
        "sid": sid,
        "did": did,
        "options": (stay, move, commute),
        "summary": built,
        "md": exports.to_markdown(built),
        "pdf": exports.to_pdf(built),
    }
    db.close()


def flat(text: str) -> str:
    """Text with every run of whitespace (line ends of a wrapped PDF line too) as one space."""
    return re.sub(r"\s+", " ", text)


def pages_of(walkthrough, tmp_path) -> list[str]:
    return [flat(page) for page in pdf_pages(walkthrough["pdf"], tmp_path)]


def file_text(walkthrough, kind: str, tmp_path) -> str:
    """The Markdown's text (its escapes taken out) or the PDF's pages, as one flat string."""
    if kind == "md":
        return flat(walkthrough["md"]).replace("\\", "")
    return " ".join(pages_of(walkthrough, tmp_path))


def decision_facts(summary: exports.Summary) -> list[list[tuple[str, str]]]:
    """Every facts block under the decision's heading, up to the next h2."""
    blocks = summary.blocks
    start = blocks.index(("h3", DECISION))
    found = []
    for kind, payload in blocks[start + 1 :]:
        if kind == "h2":
            break
        if kind == "facts":
            found.append(payload)
    return found


def test_the_chosen_option_is_never_listed_as_merely_weighed(walkthrough):
    facts = decision_facts(walkthrough["summary"])
    weighed = [v for block in facts for k, v in block if "weighed" in k.lower()]
    assert weighed == []  # the two others each have a heading; nothing is left to list
    first = facts[0]
    # Said under the status, before the options and the matrix, not after the chart.
    assert first[1:5] == [
        ("Status", "Decided"),
        ("Chosen", CHOSEN),
        ("Decided on", "6 Apr 2026"),
        ("Outcome", "Two years, then we look again."),
    ]


@pytest.mark.parametrize("kind", ["md", "pdf"])
def test_the_files_say_which_option_was_chosen_and_never_call_it_also_weighed(
    walkthrough, kind, tmp_path
):
    text = file_text(walkthrough, kind, tmp_path)
    assert re.search(rf"Chosen:(\*\*)? {CHOSEN}", text)
    assert not re.search(rf"weighed:(\*\*)? [^.]*{CHOSEN}", text)
    assert text.index(CHOSEN) < text.index("Opportunity matrix")


def test_the_chosen_line_prints_on_the_page_of_its_decision(walkthrough, tmp_path):
    pages = pages_of(walkthrough, tmp_path)
    (page,) = [p for p in pages if f"Chosen: {CHOSEN}" in p]
    assert DECISION in page and "Status: Decided" in page


def test_options_without_words_beside_a_chosen_one_are_the_other_options(walkthrough):
    """With nothing written about any option, the chosen one is named above, the rest below."""
    db, me, cid, did = (walkthrough[k] for k in ("db", "me", "cid", "did"))
    stay, move, _ = walkthrough["options"]
    try:
        for option in (stay, move):
            decisions.update_option(db, me, cid, did, option, {"week": ""})
        built = exports.build(db, me, cid, walkthrough["sid"], exports.Options(), PRACTICE)
    finally:
        decisions.update_option(db, me, cid, did, stay, {"week": "As now; Sam's career waits."})
        decisions.update_option(db, me, cid, did, move, {"week": "Maya starts over in Dutch."})
    facts = decision_facts(built)
    assert ("Chosen", CHOSEN) in facts[0]
    assert [("Other options weighed", "Stay in Leeds; Move to Rotterdam together")] in facts


def test_a_chosen_option_with_words_is_marked_chosen_in_its_heading(walkthrough):
    db, me, cid, did = (walkthrough[k] for k in ("db", "me", "cid", "did"))
    commute = walkthrough["options"][2]
    try:
        decisions.update_option(db, me, cid, did, commute, {"week": "Maya flies out Mondays."})
        built = exports.build(db, me, cid, walkthrough["sid"], exports.Options(), PRACTICE)
    finally:
        decisions.update_option(db, me, cid, did, commute, {"week": ""})
    headings = [p for kind, p in built.blocks if kind == "h3"]
    assert f"Option: {CHOSEN} (chosen)" in headings
    assert "Option: Stay in Leeds" in headings  # the others keep their plain headings


@pytest.mark.parametrize("kind", ["md", "pdf"])
def test_an_unconfirmed_version_says_so_and_names_the_last_confirmed_one(
    walkthrough, kind, tmp_path
):
    text = file_text(walkthrough, kind, tmp_path)
    changed = text[text.index("Offers get a week") : text.index("Sundays off")]
    assert NOT_YET in changed and LAST_CONFIRMED in changed
    assert "Confirmed by both on" not in changed
    # Right after "Status: Active", not somewhere below the text.
    assert changed.index("Active") < changed.index(NOT_YET) < changed.index("within a week")
    draft = text[text.index("Sundays off") : text.index("Decisions")]
    assert NOT_YET in draft and "the last version" not in draft  # never confirmed at all


def test_the_record_says_both_partners_and_a_confirmed_version_keeps_its_date(walkthrough):
    db, me, cid, sid = (walkthrough[k] for k in ("db", "me", "cid", "sid"))
    record = exports.build(db, me, cid, sid, exports.Options(audience=exports.RECORD), PRACTICE)
    text = record.text()
    assert "Not yet. This version still waits for both partners to confirm it." in text
    assert "the last version both partners confirmed is version 1, on 2 Mar 2026." in text
    # A session before the change shows version 1, confirmed, as it was then.
    earlier = sessions.create(db, me, cid, {"held_on": "2026-03-10"})
    aid = next(a["id"] for a in agreements.for_couple(db, me, cid) if a["title"] != "Sundays off")
    sessions.set_discussed(db, me, cid, earlier, [aid], [])
    then = exports.build(db, me, cid, earlier, exports.Options(), PRACTICE).text()
    assert "Confirmed by both on: 2 Mar 2026" in then and "Not yet" not in then


def test_a_retired_version_never_confirmed_does_not_say_not_yet(db):
    me = make_counselor(db, make_first_admin(db), "robin")
    cid = make_couple(db, me, "Maya", "Sam")
    saved = agreements.save(db, me, cid, {"title": "Old rule", "body": "x", "status": "retired"})
    sid = sessions.create(db, me, cid, {"held_on": "2026-04-06"})
    sessions.set_discussed(db, me, cid, sid, [saved.agreement_id], [])
    text = exports.build(db, me, cid, sid, exports.Options(), PRACTICE).text()
    assert "No: this version was not confirmed by both of you before it was retired." in text
    assert "Not yet" not in text


@pytest.mark.parametrize("kind", ["md", "pdf"])
def test_the_equity_chart_comes_with_how_to_read_it(walkthrough, kind, tmp_path):
    if kind == "md":
        text = flat(walkthrough["md"]).replace("\\", "")
        assert f"**How to read this chart:** {EQUITY_READING}" in text
        assert text.index("](data:image/png;base64,", text.index("Charts we looked at")) < (
            text.index("How to read this chart")
        )
    else:
        pages = pages_of(walkthrough, tmp_path)
        # On the chart's own page, under it: the chart never leaves its note behind.
        (page,) = [p for p in pages if "Charts we looked at" in p]
        assert page.index("Equity over time") < page.index("How to read this chart")
        assert flat(EQUITY_READING) in page
    for said in ("Zero means even", "a conversation aid, not a verdict", "seasons", "ledger",
                 "home load", "counts half after a year"):  # fmt: skip
        assert said in EQUITY_READING


def test_a_chart_that_fits_but_not_with_its_note_moves_to_the_next_page_with_it(tmp_path):
    import io

    from PIL import Image

    from core import pdf

    picture = io.BytesIO()
    Image.new("RGB", (1280, 600), "white").save(picture, format="PNG")
    png = picture.getvalue()
    doc = pdf.Document(pdf.Page(PRACTICE, "Session summary", "6 Apr 2026"))
    height = doc.picture_size(png)[1] + 8
    note = doc.note_height("How to read this chart", EQUITY_READING)
    while doc.room() > height + note / 2:  # the chart alone fits here; with its note, not
        doc.paragraph("A line of the session's text.")
    assert height < doc.room() < height + note
    doc.picture(png, "Equity over time", then=note)
    doc.note("How to read this chart", EQUITY_READING)
    pages = [flat(p) for p in pdf_pages(doc.finished(), tmp_path)]
    assert len(pages) == 2
    assert "Equity over time" in pages[1] and "How to read this chart" in pages[1]
