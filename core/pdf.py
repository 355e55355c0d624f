"""PDF pages for exports (fpdf2): Unicode fonts, the practice name and date on every page.

fpdf2's built-in fonts are Latin-1 only, so names like Zoë, Łukasz or 王芳 need TrueType fonts:
DejaVu Sans (Debian: fonts-dejavu-core) for Latin, Greek and Cyrillic, with Droid Sans Fallback
(Debian: fonts-droid-fallback) for Chinese, Japanese and Korean. Both are listed in
packages.txt and installed by ./run setup and .ci/run.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.errors import TandemError

# Where Debian (and most Linux distributions) put these fonts; TANDEM_FONT_DIR adds a folder.
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/droid",
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
FALLBACK = "cjk"  # the family that supplies what DejaVu lacks

# A4 with 18 mm margins: about 70 characters a line at 10 pt, comfortable to read on paper.
MARGIN_MM = 18
BODY_PT = 10
LINE_MM = 5.2
# Keep a heading with at least this much of what follows it on the same page.
KEEP_WITH_NEXT_MM = 28
INK = (34, 34, 34)
MUTED = (110, 110, 110)
RULE = (200, 200, 200)


class FontsMissing(TandemError):
    """The TrueType fonts exports need are not installed; the message says how to get them."""


def find_fonts(extra_dir: str | None = None) -> dict[tuple[str, str], Path]:
    """Paths of every font file the PDFs use; FontsMissing names the ones not found."""
    dirs = [extra_dir or os.environ.get("TANDEM_FONT_DIR") or "", *FONT_DIRS]
    found, missing = {}, []
    for key, name in FONT_FILES.items():
        path = next((Path(d) / name for d in dirs if d and (Path(d) / name).is_file()), None)
        if path is None:
            missing.append(name)
        else:
            found[key] = path
    if missing:
        raise FontsMissing(
            "PDF export needs fonts that are not installed on this server: "
            f"{', '.join(missing)}. On Debian or Ubuntu: sudo apt-get install -y {APT_PACKAGES} "
            "(or put the files in a folder named by TANDEM_FONT_DIR). Markdown export works "
            "without them."
        )
    return found


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
        """`text`, when given, is everything the document will print: the fallback font is
        then loaded only if DejaVu lacks one of its characters (loading it took ~350 ms of
        CPU, a fifth of a session summary, issue 6)."""
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_info = page
        fonts = fonts or find_fonts()
        for (family, style), path in fonts.items():
            if family != FALLBACK:
                self.add_font(family, style, str(path))
        shown = None if text is None else f"{text}{page.practice}{page.document}{page.dated}"
        if shown is None or self._lacks_glyphs(shown):
            for (family, style), path in fonts.items():
                if family == FALLBACK:
                    self.add_font(family, style, str(path))
            # Any glyph DejaVu lacks (Chinese, Japanese, Korean) is taken from the fallback
            # font, whatever the style: Droid has no bold, so bold CJK prints regular.
            self.set_fallback_fonts([FALLBACK], exact_match=False)
        self.set_margins(MARGIN_MM, MARGIN_MM + 6, MARGIN_MM)
        self.set_auto_page_break(True, margin=MARGIN_MM + 4)
        self.set_title(page.document)
        self.set_creator("Tandem")
        self.alias_nb_pages()
        self.add_page()

    def _lacks_glyphs(self, text: str) -> bool:
        """True when the body font has no glyph for some printable character of `text`."""
        cmap = self.fonts["body"].cmap
        return any(ord(ch) not in cmap for ch in set(text) if ch.isprintable() and ch != " ")

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
        self.cell(0, 4, f"{self.page_info.practice} · {self.page_info.dated}")
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

    def title_block(self, title: str, lines: Sequence[str]) -> None:
        self.set_font("body", "B", 18)
        self.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
        self.multi_cell(0, LINE_MM, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(1.2)

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """'Label: value' lines with the label in bold."""
        for label, value in pairs:
            self.set_font("body", "B", BODY_PT)
            self.write(LINE_MM, f"{label}: ")
            self.set_font("body", "", BODY_PT)
            self.write(LINE_MM, value)
            self.ln(LINE_MM)
        self.ln(1.2)

    def bullets(self, items: Sequence[str]) -> None:
        self.set_font("body", "", BODY_PT)
        for item in items:
            self.set_x(self.l_margin + 2)
            self.cell(4, LINE_MM, "•")
            self.multi_cell(self.text_width - 6, LINE_MM, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.2)

    def grid(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A simple ruled table; the first column is wider (it names the row)."""
        n = len(headers)
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

    def picture(self, png: bytes, caption: str) -> None:
        """A chart image scaled to the text width, on one page, with a caption below."""
        width, height = self.picture_size(png)
        self.keep(height + 8)
        self.image(io.BytesIO(png), x=self.l_margin, w=width, h=height)
        self.set_font("body", "I", 8)
        self.set_text_color(*MUTED)
        self.multi_cell(0, 4, caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(2)

    def finished(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())
