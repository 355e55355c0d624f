"""PDF pages for exports (fpdf2): Unicode fonts, the practice name and date on every page.

fpdf2's built-in fonts are Latin-1 only, so names like Zoë, Łukasz or 王芳 need TrueType fonts:
DejaVu Sans (Debian: fonts-dejavu-core) for Latin, Greek, Cyrillic, Hebrew and Arabic, with Droid
Sans Fallback (Debian: fonts-droid-fallback) for Chinese and Japanese. Both are required, listed
in packages.txt and installed by ./run setup and .ci/run. Four more are used when installed
(EXTRA_FONTS, also in packages.txt): Nanum Gothic for Korean (Droid has 3 of Hangul's 11,172
syllables), Lohit Devanagari for Hindi, Marathi and Nepali, Garuda for Thai, and Noto Color
Emoji for emoji, which fpdf2 prints in colour (but those DejaVu has as symbols, ✈ or ❤, print as
its black symbols: a font is chosen per character, and DejaVu comes first).

Right-to-left text (Hebrew, Arabic) and the Devanagari and Thai scripts are laid out by HarfBuzz
(the uharfbuzz package), right-to-left with fpdf2's bidi algorithm, so they read as typed; so are
emoji made of several characters (a skin tone, a flag). A character no font has (an emoji
without Noto Color Emoji; any emoji in a chart, whose engine draws only some) prints as one
visible placeholder, never silently nothing, and `unprintable` lets an export say so before the
download.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.bidi import auto_detect_base_direction
from fpdf.enums import MethodReturnValue, TextDirection, XPos, YPos

from core.errors import TandemError

# Where Debian (and most Linux distributions) put these fonts; TANDEM_FONT_DIR adds a folder.
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts/truetype/lohit-devanagari",
    "/usr/share/fonts/truetype/tlwg",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
)
FONT_FILES = {
    ("body", ""): "DejaVuSans.ttf",
    ("body", "B"): "DejaVuSans-Bold.ttf",
    ("body", "I"): "DejaVuSans-Oblique.ttf",
    ("cjk", ""): "DroidSansFallbackFull.ttf",
}
APT_PACKAGES = "fonts-dejavu-core fonts-droid-fallback"
# Subsetting Lohit and Garuda drops their hinting sources (TSI0-5) with a warning a line each:
# nothing a reader sees, and no news for the server's log.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
CHART_FONT = "DejaVu Sans"  # the family of the body's DejaVuSans*.ttf, as the chart engine names it
FALLBACK = "cjk"  # the family that supplies what DejaVu lacks
EMOJI = "emoji"  # the colour emoji's family: the PDF's text has it, its charts do not
# Scripts neither has, in fonts used when they are installed (in this order, after Droid's).
EXTRA_FONTS = {
    ("hangul", ""): "NanumGothic.ttf",
    ("deva", ""): "Lohit-Devanagari.ttf",
    ("thai", ""): "Garuda.ttf",
    # Emoji in colour: typed on phones into names, notes and answers ("Noa 🌈"), they printed as
    # a placeholder. Text with one is shaped (NEEDS_SHAPING), so a skin tone or a flag prints as
    # one picture, not as its parts.
    (EMOJI, ""): "NotoColorEmoji.ttf",
}
EXTRA_APT_PACKAGES = "fonts-nanum fonts-lohit-deva fonts-tlwg-garuda-ttf fonts-noto-color-emoji"

# Text with a character of a right-to-left script is shaped (HarfBuzz) and reordered (Unicode
# bidi algorithm): Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their
# presentation forms (U+0590-08FF, FB1D-FDFF, FE70-FEFF), and the historic RTL blocks of the
# supplementary planes. So is Devanagari (U+0900-097F, A8E0-A8FF), whose vowel signs and
# conjuncts need it, and Thai (U+0E00-0E7F), whose tone marks sit on its vowel marks. Other text
# is left unshaped: shaping costs time and changes nothing for the Latin, Greek, Cyrillic,
# Chinese, Japanese and Korean text the fonts print. Emoji made of several characters are shaped
# too, so that they print as one picture: a skin tone (U+1F3FB-1F3FF), a flag's two letters
# (U+1F1E6-1F1FF), the joiner of a family or a profession (U+200D), the colour and keycap marks
# (U+FE0F, U+20E3) and a subdivision flag's tags (U+E0020-E007F).
NEEDS_SHAPING = re.compile(
    "[\u0590-\u097f\u0e00-\u0e7f\ua8e0-\ua8ff\ufb1d-\ufdff\ufe70-\ufefe"
    "\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u200d\ufe0f\u20e3\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
)
# What prints in place of a character no font has (most emoji): one visible mark, so that a name
# like "Noa 🌈 Levi" never quietly becomes "Noa Levi". DejaVu has it.
PLACEHOLDER = "\u25a1"  # □ WHITE SQUARE
# Marks that only change the character before them (variation selectors, skin tones, tag
# characters, the keycap): they belong to that character's placeholder.
_MODIFIERS = "\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
FLAG_LETTERS = re.compile("[\U0001f1e6-\U0001f1ff]")  # two of these make one flag

# A4 with 18 mm margins: about 70 characters a line at 10 pt, comfortable to read on paper.
MARGIN_MM = 18
BODY_PT = 10
LINE_MM = 5.2
# Keep a heading with at least this much of what follows it on the same page.
KEEP_WITH_NEXT_MM = 28
# A chart's note ("How to read this chart"): a size below the body's, above the caption's 8 pt.
NOTE_PT = 9
NOTE_LINE_MM = 4.6
INK = (34, 34, 34)
MUTED = (110, 110, 110)
RULE = (200, 200, 200)


class FontsMissing(TandemError):
    """The TrueType fonts exports need are not installed; the message says how to get them."""


def find_fonts(extra_dir: str | None = None) -> dict[tuple[str, str], Path]:
    """Paths of every font file the PDFs use; FontsMissing names the ones not found."""
    dirs = [extra_dir or os.environ.get("TANDEM_FONT_DIR") or "", *FONT_DIRS]
    found, missing = {}, []
    for key, name in {**FONT_FILES, **EXTRA_FONTS}.items():
        path = next((Path(d) / name for d in dirs if d and (Path(d) / name).is_file()), None)
        if path is not None:
            found[key] = path
        elif key in FONT_FILES:
            missing.append(name)
    if missing:
        raise FontsMissing(
            "PDF export needs fonts that are not installed on this server: "
            f"{', '.join(missing)}. On Debian or Ubuntu: sudo apt-get install -y {APT_PACKAGES} "
            "(or put the files in a folder named by TANDEM_FONT_DIR). Markdown export works "
            "without them."
        )
    return found


@cache
def _covered(path: Path) -> frozenset[int]:
    """The characters a font file has (read once per file and process: ~0.1 s for Droid's)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def read_fonts() -> None:
    """Read every PDF font's character table now (a server's warm-up, serve.py), so that the
    first Sessions page of the process does not wait for it. Raises FontsMissing."""
    for path in find_fonts().values():
        _covered(path)


def unprintable(
    texts: Iterable[str],
    fonts: dict[tuple[str, str], Path] | None = None,
    charts: bool = False,
) -> list[str]:
    """Those of `texts` with a character no PDF font has, which prints as PLACEHOLDER (the same
    test as Document.normalize_text): said before a download, so a name in a script the fonts
    lack (Devanagari, Thai, emoji without their font) is no surprise on paper. With `charts`,
    for texts the charts print too (partners' names): there no emoji prints (printable_spec).
    Raises FontsMissing."""
    wanted = [t for t in dict.fromkeys(texts) if t and not t.isascii()]
    if not wanted:
        return []
    found = fonts or find_fonts()
    covered = [_covered(path) for (fam, _), path in found.items() if not charts or fam != EMOJI]
    return [t for t in wanted if _missing(t, covered)]


def _missing(text: str, cmaps: Sequence[Container[int]]) -> set[str]:
    """The characters of `text` that print as PLACEHOLDER: printable, and in none of `cmaps`
    (DejaVu has every printable ASCII character)."""
    return {
        ch
        for ch in set(text)
        if ch.isprintable() and not ch.isascii() and not any(ord(ch) in c for c in cmaps)
    }


def _with_placeholders(text: str, cmaps: Sequence[Container[int]]) -> str:
    """`text` with each character no font has (and the marks that go with it) replaced by
    one PLACEHOLDER: an emoji with its skin tone, a flag or a family of emoji is one mark."""
    missing = _missing(text, cmaps)
    if not missing:
        return text
    chars = "".join(re.escape(ch) for ch in sorted(missing))
    unprintable = f"[{chars}]"
    if any(FLAG_LETTERS.fullmatch(ch) for ch in missing):
        unprintable = f"(?:{FLAG_LETTERS.pattern}{{2}}|{unprintable})"
    joined = f"{unprintable}(?:[{_MODIFIERS}]|\u200d{unprintable})*"
    return re.sub(joined, PLACEHOLDER, text)


def printable_spec(spec: Any) -> Any:
    """A chart's Vega-Lite spec with every text in it as the PDF prints it (PLACEHOLDER for a
    character no font has). The chart engine set a line that mixed a character no font has
    with Arabic, "Above zero أحمد … Amélie 🌈", in boxes from the first letter on; each
    alone was drawn. Raises FontsMissing."""
    cmaps: list[Container[int]] = []

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            if value.isascii():
                return value
            if not cmaps:  # the fonts' tables, looked up once per spec (a spec's rows repeat names)
                # Not the emoji's: the chart engine draws some and boxes others (a title's).
                found = find_fonts()
                cmaps.extend(_covered(path) for (fam, _), path in found.items() if fam != EMOJI)
            return _with_placeholders(value, cmaps)
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    printable = walk(spec)
    if isinstance(printable, dict) and "font" not in printable.get("config", {}):
        # The PDF's own font for every text in the chart. Left to the engine's default, a line
        # with a letter its default lacks ("Nguyễn") came out in a serif face beside sans lines.
        printable = {**printable, "config": {**printable.get("config", {}), "font": CHART_FONT}}
    return printable


@dataclass(frozen=True)
class Page:
    """What every page repeats: the practice, the document's title and its date."""

    practice: str
    document: str
    dated: str


class Document(FPDF):
    """An A4 document with a running header and footer and a few text helpers."""

    def __init__(
        self,
        page: Page,
        fonts: dict[tuple[str, str], Path] | None = None,
        text: str | None = None,
    ):
        """`text`, when given, is everything the document will print: a fallback font is then
        loaded only if DejaVu lacks one of its characters and that font has it (loading Droid
        took ~350 ms of CPU, a fifth of a session summary, issue 6), and fallback is switched
        on only if some style of DejaVu lacks one."""
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_info = page
        fonts = fonts or find_fonts()
        for (family, style), path in fonts.items():
            if family == "body":
                self.add_font(family, style, str(path))
        dejavu = list(self.fonts.values())
        shown = None if text is None else f"{text}{page.practice}{page.document}{page.dated}"
        chars = None if shown is None else {ord(ch) for ch in shown if not ch.isascii()}
        if chars is None or any(c not in f.cmap for f in dejavu for c in chars):
            lacking = None if chars is None else {c for c in chars if c not in dejavu[0].cmap}
            for (family, style), path in fonts.items():
                if family != "body" and (lacking is None or not lacking.isdisjoint(_covered(path))):
                    self.add_font(family, style, str(path))
            # A glyph the current style lacks comes from another style of DejaVu (DejaVu Sans
            # Oblique has no Arabic) or from a fallback font (Chinese, Japanese, Korean,
            # Devanagari, Thai), whatever the style: they have no bold, so bold prints regular.
            families = ["body", *(fam for (fam, _) in fonts if fam != "body" and fam in self.fonts)]
            self.set_fallback_fonts(families, exact_match=False)
        # Every font that can print a character: one of them has it, or it becomes PLACEHOLDER.
        self._cmaps = [f.cmap for f in self.fonts.values()]
        self.set_margins(MARGIN_MM, MARGIN_MM + 6, MARGIN_MM)
        self.set_auto_page_break(True, margin=MARGIN_MM + 4)
        self.set_title(page.document)
        self.set_creator("Tandem")
        self.alias_nb_pages()
        self.add_page()

    def normalize_text(self, text: str) -> str:
        """Text as it will print (fpdf2 calls this for every cell, line and width): a character
        no font has becomes PLACEHOLDER, and shaping is on exactly while the text needs it."""
        text = super().normalize_text(text)
        if text.isascii():  # most text: DejaVu has every printable ASCII character
            if self.text_shaping:
                self.set_text_shaping(False)
            return text
        shape = NEEDS_SHAPING.search(text) is not None
        if shape != bool(self.text_shaping):
            self.set_text_shaping(shape)
        return self._placeholders(text)

    def _placeholders(self, text: str) -> str:
        """`text` with each character no font has replaced (see `_with_placeholders`)."""
        return _with_placeholders(text, self._cmaps)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        """fpdf2's multi_cell; a paragraph that starts in a right-to-left script is set flush
        right, as it is read, unless an alignment is given."""
        if (
            "align" not in kwargs
            and not args
            and NEEDS_SHAPING.search(text)
            and auto_detect_base_direction(text) == TextDirection.RTL
        ):
            kwargs["align"] = "R"
        return super().multi_cell(w, h, text, *args, **kwargs)

    # -- running header and footer (fpdf2 calls these on every page) ---------------------------
    def header(self) -> None:
        self.set_y(10)
        self.set_font("body", "B", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.page_info.practice, new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.set_font("body", "", 8)
        self.cell(0, 4, f"{self.page_info.document} · {self.page_info.dated}", align="R")
        self.set_draw_color(*RULE)
        self.line(MARGIN_MM, 15.5, self.w - MARGIN_MM, 15.5)
        self.set_xy(MARGIN_MM, MARGIN_MM + 6)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("body", "", 8)
        self.set_text_color(*MUTED)
        # The practice name in a cell of its own: a right-to-left name is then not reordered
        # with the date that follows it.
        practice = self.page_info.practice
        self.cell(self.get_string_width(practice), 4, practice)
        self.cell(0, 4, f" · {self.page_info.dated}")
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    # -- content helpers ---------------------------------------------------------------------
    @property
    def text_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def room(self) -> float:
        """Millimetres left on this page above the bottom margin."""
        return self.page_break_trigger - self.get_y()

    def keep(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.room() < height:
            self.add_page()

    def _ragged(self, text: str) -> str:
        """Alignment for a title or heading: ragged on the side it starts from, never
        justified (a two-line title was spread out with wide gaps between its words)."""
        rtl = NEEDS_SHAPING.search(text) and auto_detect_base_direction(text) == TextDirection.RTL
        return "R" if rtl else "L"

    def title_block(self, title: str, lines: Sequence[str]) -> None:
        self.set_font("body", "B", 18)
        self.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=self._ragged(title))
        self.set_font("body", "", 10)
        self.set_text_color(*MUTED)
        for line in lines:
            self.multi_cell(0, 5.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(3)

    def heading(self, text: str, level: int = 2) -> None:
        size = {2: 13, 3: 11, 4: 10}[level]
        self.keep(KEEP_WITH_NEXT_MM if level == 2 else KEEP_WITH_NEXT_MM - 8)
        self.ln(3 if level == 2 else 1.5)
        self.set_font("body", "B", size)
        self.multi_cell(
            0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=self._ragged(text)
        )
        if level == 2:
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.get_y() + 0.8, self.w - self.r_margin, self.get_y() + 0.8)
            self.ln(2.5)
        else:
            self.ln(0.8)

    def paragraph(self, text: str, muted: bool = False, italic: bool = False) -> None:
        self.set_font("body", "I" if italic else "", BODY_PT)
        if muted:
            self.set_text_color(*MUTED)
        # Each line of right-to-left text takes its own direction (a Hebrew line under an
        # English one reads from the right); other text is printed in one piece, as before.
        lines = text.split("\n") if NEEDS_SHAPING.search(text) else [text]
        for line in lines:
            self.multi_cell(0, LINE_MM, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(1.2)

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """'Label value' lines with the label in bold, as given (with its colon, if any:
        core.exports.fact_label)."""
        for label, value in pairs:
            self.set_font("body", "B", BODY_PT)
            self.write(LINE_MM, f"{label} ")
            self.set_font("body", "", BODY_PT)
            # write() cuts a word that does not fit the rest of the line ("Counselling-ses /
            # sions" after a long label): a value whose first word does not fit starts below.
            words = value.split()
            room = self.w - self.r_margin - self.get_x()
            if words and self.get_string_width(words[0]) > room:
                self.ln(LINE_MM)
            self.write(LINE_MM, value)
            self.ln(LINE_MM)
        self.ln(1.2)

    def bullets(self, items: Sequence[str], ragged: bool = False) -> None:
        """A bulleted list; `ragged` sets each item flush to the side it starts from, never
        justified (a date in a short line was spread out)."""
        self.set_font("body", "", BODY_PT)
        for item in items:
            self.set_x(self.l_margin + 2)
            self.cell(4, LINE_MM, "•")
            align = {"align": self._ragged(item)} if ragged else {}
            self.multi_cell(
                self.text_width - 6, LINE_MM, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT, **align
            )
        self.ln(1.2)

    def grid(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        fractions: Sequence[float] | None = None,
    ) -> None:
        """A simple ruled table; the first column is wider (it names the row), unless
        `fractions` gives each column's share of the text width."""
        n = len(headers)
        if fractions is not None:
            widths = [self.text_width * f for f in fractions]
        else:
            first = self.text_width * (0.34 if n > 2 else 0.5)
            rest = (self.text_width - first) / max(n - 1, 1)
            widths = [first] + [rest] * (n - 1)
        self.keep(LINE_MM * 2.5)
        self.set_font("body", "", 9)
        with self._ruled_table(widths) as table:
            head = table.row()
            for h in headers:
                head.cell(h)
            for r in rows:
                line = table.row()
                for value in r:
                    line.cell(value)
        self.ln(2)

    def _ruled_table(self, widths):
        """fpdf2's table with Tandem's look (bold heading row, light rules)."""
        return self.table(
            col_widths=widths,
            line_height=LINE_MM,
            first_row_as_headings=True,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            padding=1,
        )

    def picture_size(self, png: bytes) -> tuple[float, float]:
        """Width and height (mm) a chart image takes: the text width, shrunk to fit a page."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as im:
            w_px, h_px = im.size
        width = self.text_width
        height = width * h_px / w_px
        available = self.page_break_trigger - self.t_margin - 10
        if height > available:  # a very tall chart is shrunk to fit one page
            width, height = width * available / height, available
        return width, height

    def picture(self, png: bytes, caption: str, then: float = 0.0) -> None:
        """A chart image scaled to the text width, on one page, with a caption below; `then`
        mm of what follows (its note) stay on that page with it."""
        width, height = self.picture_size(png)
        self.keep(height + 8 + then)
        self.image(io.BytesIO(png), x=self.l_margin, w=width, h=height)
        self.set_font("body", "I", 8)
        self.set_text_color(*MUTED)
        self.multi_cell(0, 4, caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(2)

    def note(self, label: str, text: str) -> None:
        """A note that explains the chart above it: the label in bold, then the text."""
        self._note(label, text)

    def note_height(self, label: str, text: str) -> float:
        """Millimetres `note(label, text)` takes on the page (so the chart can keep it)."""
        return self._note(label, text, dry_run=True)

    def _note(self, label: str, text: str, dry_run: bool = False) -> float:
        height = 0.0
        for style, line in (("B", label), ("", text)):
            self.set_font("body", style, NOTE_PT)
            height += self.multi_cell(
                0,
                NOTE_LINE_MM,
                line,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                dry_run=dry_run,
                output=MethodReturnValue.HEIGHT,
            )
        if not dry_run:
            self.ln(2)
        return height + 2

    def finished(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())
