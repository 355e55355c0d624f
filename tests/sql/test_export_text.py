"""Summary PDFs print people's text as typed: right-to-left scripts in reading order, a
character no font has as a visible placeholder; totals from a half-filled matrix say so."""

from __future__ import annotations

import logging
import re
import subprocess

import pytest

from core import decisions, exports, pdf, sessions
from core.db import Database
from tests.conftest import make_counselor, make_couple, make_first_admin
from tests.sql.test_exports import PRACTICE, pdf_pages

HEBREW = "עברית"
PLACE = "תל אביב"
ARABIC = "مرحبا بكم"
# pdftotext marks each change of direction with embedding controls; the letters between them
# are in reading (logical) order.
DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def installed_fonts(extras: bool = False):
    """The PDF fonts found here; with `extras`, the optional ones (Korean, Devanagari, Thai) too."""
    try:
        fonts = pdf.find_fonts()
    except pdf.FontsMissing:
        pytest.fail("PDF fonts are not installed here: see need_pdf_fonts in ./run")
    if extras and not set(pdf.EXTRA_FONTS) <= set(fonts):
        pytest.fail(f"Install the optional PDF fonts: apt-get install {pdf.EXTRA_APT_PACKAGES}")
    return fonts


def pdf_picture(data: bytes, tmp_path):
    """The PDF's first page as a picture (pdftoppm, poppler-utils), RGB."""
    from PIL import Image

    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "picture.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    return Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")


def colours(picture) -> int:
    """How many colours other than greys a picture has."""
    return sum(1 for _, (r, g, b) in picture.getcolors(1 << 24) if not r == g == b)


def printed(data: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext reads it, direction marks taken out, spaces collapsed."""
    text = DIRECTION_MARKS.sub("", "\n".join(pdf_pages(data, tmp_path)))
    return re.sub(r"[ \t]+", " ", text)


def without_emoji():
    """The installed PDF fonts but the emoji's: a server without fonts-noto-color-emoji."""
    return {key: path for key, path in installed_fonts().items() if key[0] != pdf.EMOJI}


def document(*paragraphs: str, title: str = "Session summary: Noa & Sven", fonts=None) -> bytes:
    doc = pdf.Document(
        pdf.Page(PRACTICE, "Session summary", "7 Mar 2027"),
        fonts or installed_fonts(),
        text="\n".join([title, *paragraphs]),
    )
    doc.title_block(title, [])
    for p in paragraphs:
        doc.paragraph(p)
    return doc.finished()


def test_hebrew_and_arabic_print_in_reading_order(tmp_path):
    data = document(
        f"A note in Hebrew: {HEBREW} and more.",
        f"We said {ARABIC} to the new neighbours, Zoë and Łukasz, and then 王芳 came in.",
        "מחר נדבר על המעבר לתל אביב, ואז נחליט.",
        title=f"Offer in Tel Aviv / {PLACE}",
    )
    text = printed(data, tmp_path)
    for typed in (HEBREW, PLACE, ARABIC, "Zoë and Łukasz", "王芳", "מחר נדבר על המעבר"):
        assert typed in text, typed
    for reversed_ in (HEBREW[::-1], PLACE[::-1], ARABIC[::-1]):
        assert reversed_ not in text, reversed_


def test_only_text_in_a_right_to_left_script_is_shaped():
    doc = pdf.Document(pdf.Page(PRACTICE, "Session summary", "7 Mar 2027"), installed_fonts())
    doc.normalize_text(f"Offer in {PLACE}")
    assert doc.text_shaping
    for plain in ("Zoë and Łukasz", "王芳 and Tomás", "Plain ASCII"):
        doc.normalize_text(plain)
        assert not doc.text_shaping, plain


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Noa 🌈 Levi", "Noa □ Levi"),
        ("Focus 🙂🔥 now", "Focus □□ now"),
        ("thumbs 👍🏽 up", "thumbs □ up"),  # the skin tone belongs to the emoji
        ("family 👨\u200d👩\u200d👧 here", "family □ here"),  # one emoji made of three
        ("from 🇳🇴 Norway", "from □ Norway"),  # a flag is two letters
        ("heart ❤️ kept", "heart ❤️ kept"),  # DejaVu has this one: it prints
        ("Zoë, Łukasz, 王芳, עברית", "Zoë, Łukasz, 王芳, עברית"),
    ],
)
def test_a_character_no_font_has_becomes_one_visible_placeholder(typed, shown):
    doc = pdf.Document(pdf.Page(PRACTICE, "Session summary", "7 Mar 2027"), without_emoji())
    assert doc.normalize_text(typed) == shown


def test_without_the_emoji_font_an_emoji_prints_as_a_placeholder_not_as_nothing(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        data = document(
            "Focus with emoji 🙂🔥 and more.",
            title="Session summary: Noa 🌈 Levi",
            fonts=without_emoji(),
        )
    text = printed(data, tmp_path)
    assert "Noa □ Levi" in text and "emoji □□ and" in text
    assert "missing the following glyphs" not in caplog.text


EMOJI_TEXTS = ["Noa 🌈 Levi", "Focus 🙂🔥 now", "thumbs 👍🏽 up", "from 🇳🇴 Norway", "heart ❤️ kept"]


@pytest.mark.parametrize("typed", EMOJI_TEXTS)
def test_with_the_emoji_font_an_emoji_prints_as_typed(typed):
    installed_fonts(extras=True)
    doc = pdf.Document(pdf.Page(PRACTICE, "Session summary", "7 Mar 2027"), installed_fonts())
    assert doc.normalize_text(typed) == typed
    # A skin tone, a flag's two letters, the colour mark: shaped into one picture.
    assert bool(doc.text_shaping) == any(ch in typed for ch in "🏽🇳\ufe0f")


def test_emoji_print_in_colour_in_the_text_and_as_placeholders_in_charts(tmp_path, caplog):
    installed_fonts(extras=True)
    with caplog.at_level(logging.WARNING):
        data = document(*EMOJI_TEXTS, title="Session summary: Noa 🌈 Levi")
    text = printed(data, tmp_path)
    for picture in ("🌈", "🙂", "🔥", "👍🏽", "🇳🇴", "❤"):
        assert picture in text, picture
    assert pdf.PLACEHOLDER not in text
    assert "missing the following glyphs" not in caplog.text
    # Drawn, not only present as text: the page has colours, where the same page without the
    # emoji font has only greys.
    plain = document(*EMOJI_TEXTS, title="Session summary: Noa 🌈 Levi", fonts=without_emoji())
    assert colours(pdf_picture(data, tmp_path / "a")) > 20
    assert colours(pdf_picture(plain, tmp_path / "b")) == 0
    # The charts' engine draws some emoji and boxes others: they get the placeholder.
    assert pdf.printable_spec({"title": "Noa 🌈 Levi"})["title"] == "Noa □ Levi"


def test_a_charts_text_is_set_in_the_pdfs_font():
    """Left to the chart engine, a line with a letter its default font lacks ("Nguyễn") came
    out in a serif face beside sans lines (walkthrough); a spec's own font is kept."""
    spec = {"title": {"text": "Equity", "subtitle": ["Nguyễn Văn An", "bands"]}, "config": {}}
    printed_spec = pdf.printable_spec(spec)
    assert printed_spec["config"]["font"] == pdf.CHART_FONT == "DejaVu Sans"
    assert printed_spec["title"] == spec["title"] and spec["config"] == {}  # not changed
    chosen = {"mark": "line", "config": {"font": "Noto Sans", "axis": {"grid": False}}}
    assert pdf.printable_spec(chosen) == chosen
    assert pdf.find_fonts()[("body", "")].name == "DejaVuSans.ttf"  # the family named above


def test_arabic_in_italic_is_printed_from_the_upright_font(tmp_path, caplog):
    doc = pdf.Document(
        pdf.Page(PRACTICE, "Session summary", "7 Mar 2027"), installed_fonts(), text=ARABIC
    )
    with caplog.at_level(logging.WARNING):
        doc.paragraph(f"Caption: {ARABIC}", italic=True)  # DejaVu Sans Oblique has no Arabic
        data = doc.finished()
    assert ARABIC in printed(data, tmp_path)
    assert "missing the following glyphs" not in caplog.text


KOREAN, HINDI, THAI = "김민지", "अनीता", "สมชาย ผู้ใหญ่"


def test_korean_hindi_and_thai_names_print_as_typed(tmp_path, caplog):
    installed_fonts(extras=True)
    with caplog.at_level(logging.WARNING):
        data = document(
            f"With {KOREAN}, {HINDI} and {THAI}; in bold too.",
            title=f"Session summary: {KOREAN} & {HINDI}",
        )
    text = printed(data, tmp_path)
    for typed in (KOREAN, HINDI, THAI):
        assert typed in text, typed
    assert pdf.PLACEHOLDER not in text
    assert caplog.text == ""  # neither missing glyphs nor fontTools' subsetting notes


def test_devanagari_and_thai_are_shaped_and_korean_is_not():
    doc = pdf.Document(pdf.Page(PRACTICE, "Session summary", "7 Mar 2027"), installed_fonts())
    for shaped in (HINDI, THAI):
        doc.normalize_text("Plain ASCII")
        doc.normalize_text(shaped)
        assert doc.text_shaping, shaped
    doc.normalize_text(KOREAN)
    assert not doc.text_shaping


NAMES = ["Zoë", "王芳", KOREAN, HINDI, THAI, ARABIC, "Noa 🌈 Levi", "heart ❤️ kept", "Plain"]


@pytest.mark.parametrize("name", NAMES)
def test_unprintable_says_exactly_which_names_print_a_placeholder(name):
    doc = pdf.Document(pdf.Page(PRACTICE, "Session summary", "7 Mar 2027"), installed_fonts())
    prints_a_square = pdf.PLACEHOLDER in doc.normalize_text(name)
    assert pdf.unprintable([name], installed_fonts()) == ([name] if prints_a_square else [])


def test_unprintable_names_each_name_once_and_without_the_optional_fonts_more():
    fonts = installed_fonts(extras=True)
    assert pdf.unprintable([*NAMES, "Noa 🌈 Levi"], fonts) == []
    # In a chart no emoji prints: a partner's name is looked at as the charts print it.
    assert pdf.unprintable([*NAMES, "Noa 🌈 Levi"], fonts, charts=True) == ["Noa 🌈 Levi"]
    required = {key: path for key, path in fonts.items() if key in pdf.FONT_FILES}
    assert pdf.unprintable(NAMES, required) == [KOREAN, HINDI, THAI, "Noa 🌈 Levi"]
    assert pdf.unprintable(["Plain", "", "Zoë"], required) == []


# -- a matrix with empty cells ----------------------------------------------------------------
@pytest.fixture(scope="module")
def half_filled(scratch):
    """Noor scored one factor per option (2 of 4 cells); Sven filled every cell."""
    db = Database(scratch / "half-filled.duckdb")
    me = make_counselor(db, make_first_admin(db), "matrix")
    cid = make_couple(db, me, "Noor", "Sven")
    noor, sven = (p["id"] for p in db.all("couples/partners", couple_id=cid))
    did = decisions.create(db, me, cid, f"Offer in Tel Aviv / {PLACE}", "job_offer")
    go = decisions.add_option(db, me, cid, did, "Go to Tel Aviv")
    stay = decisions.add_option(db, me, cid, did, "Stay in Oslo")
    money = decisions.add_factor(db, me, cid, did, "Money")
    family = decisions.add_factor(db, me, cid, did, "Near family")
    decisions.save_partner_grid(
        db, me, cid, did, noor, {money: 8, family: 3}, {(money, go): 9, (family, stay): 7}
    )
    decisions.save_partner_grid(
        db, me, cid, did, sven, {money: 5, family: 6},
        {(money, go): 6, (family, go): 4, (money, stay): 5, (family, stay): 8},
    )  # fmt: skip
    sid = sessions.create(db, me, cid, {"held_on": "2026-11-20", "focus": "The offer"})
    sessions.set_discussed(db, me, cid, sid, [], [did])
    summary = exports.build(db, me, cid, sid, exports.Options(roadmap=False), PRACTICE)
    yield {
        "summary": summary,
        "md": exports.to_markdown(summary),
        "pdf": exports.to_pdf(summary),
        "matrix": decisions.matrix(db, me, cid, did),
        "noor": noor,
        "sven": sven,
    }
    db.close()


def test_filled_cells_counts_a_weight_and_a_score_per_factor_and_option(half_filled):
    m = half_filled["matrix"]
    assert decisions.filled_cells(m, half_filled["noor"]) == (2, 4)
    assert decisions.filled_cells(m, half_filled["sven"]) == (4, 4)


NOTE = "Some cells are still empty, so these totals are incomplete: Noor has filled 2 of 4 cells"


def test_a_half_filled_matrix_says_whose_cells_are_empty_in_markdown(half_filled):
    md = half_filled["md"]
    assert NOTE in md and "Sven has filled" not in md
    assert md.index(NOTE) < md.index("| Option | Noor | Sven | Together |")  # read first
    assert "Opportunity matrix (incomplete): Offer in Tel Aviv" in md


def test_a_half_filled_matrix_says_whose_cells_are_empty_in_the_pdf(half_filled, tmp_path):
    text = " ".join(printed(half_filled["pdf"], tmp_path).split())
    assert NOTE in text
    assert "Opportunity matrix (incomplete)" in text


def test_a_full_matrix_has_no_incomplete_note(half_filled):
    m = half_filled["matrix"]
    assert exports._empty_cells(m, {half_filled["noor"]: "Noor", half_filled["sven"]: "Sven"})
    full = decisions.Matrix(
        m.decision_id,
        m.factors,
        m.options,
        m.partners,
        m.weights,
        {(f["id"], o["id"], p["id"]): 5 for f in m.factors for o in m.options for p in m.partners},
    )
    assert exports._empty_cells(full, {p["id"]: "x" for p in m.partners}) is None
