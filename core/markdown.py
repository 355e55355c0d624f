"""Markdown built from people's text: escaped so it stays text, and word-level diffs."""

from __future__ import annotations

import re

# Characters that carry meaning in Markdown (and Streamlit's extensions of it); escaped so
# typed text can never become a link, emphasis, HTML, LaTeX or a colour directive.
SPECIALS = frozenset("\\`*_{}[]()<>#+-.!|~$:&=\"'")
# Escaping does not stop GitHub-style autolinks: a bare https://…, www.… or name@host in typed
# text still became a link (privacy review, 2026-11-23). An invisible word joiner inside each
# (":⁠//", "www⁠.", "⁠@") keeps the words as typed on screen but no longer a link.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)


def unlinked(text: str) -> str:
    """`text` with a word joiner where Markdown would otherwise start an autolink."""
    return _AUTOLINK.sub(WORD_JOINER, text)


def escape(text: object, specials: frozenset[str] = SPECIALS) -> str:
    """User text made inert for Markdown; line breaks are kept as hard breaks. `specials`: the
    characters escaped (the pages' `ui.widgets.plain` leaves quotes and "=" as they are)."""
    out = []
    for ch in unlinked(str(text if text is not None else "")):
        out.append("\\" + ch if ch in specials else ch)
    return "".join(out).replace("\r\n", "\n").replace("\n", "  \n")


# In a Markdown file (a session summary) fewer characters need it: those that make markup
# anywhere in a line (emphasis, code, links and images, HTML, tables, strikethrough, entities,
# math, templates), and a few only where a line starts (headings, lists, quotes, rules).
FILE_SPECIALS = frozenset("\\`*_{}[]<>|~$")
LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d+(?=[.)]))")
# "&" makes markup only where it starts an entity ("&amp;", "&#38;"): "Rachel & Marcus" stays.
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape_file(text: object, line_start: bool = True) -> str:
    """User text made inert for a Markdown file that people also read as plain text.

    Like `escape`, but it leaves apostrophes, colons, full stops and the like alone (a summary
    opened in a text editor read "Zoë\\'s" before), escaping only what can form markup. With
    `line_start` False (a table cell, text after a label) what only makes markup at the start
    of a line is left alone at the text's start too: a cell read "5\\.1".
    """
    lines = []
    for line in str(text if text is not None else "").replace("\r\n", "\n").split("\n"):
        line = "".join("\\" + ch if ch in FILE_SPECIALS else ch for ch in line)
        line = _ENTITY.sub("\\\\&", line)
        # A later line of the text starts a line of the file whatever comes before the text.
        match = LINE_START.match(line) if (line_start or lines) else None
        if match:
            lead, mark = match.groups()
            if mark.isdigit():  # "1." or "1)" would start a numbered list
                end = match.end()
                line = f"{line[:end]}\\{line[end:]}"
            else:
                line = f"{lead}\\{line[len(lead) :]}"
        lines.append(line)
    return "  \n".join(lines)


def _wrap(piece: str, before: str, after: str) -> str:
    """Wrap one line's text in markers, keeping its outer spaces outside them (Markdown
    ignores `~~ word~~`)."""
    core = piece.strip()
    if not core:
        return piece
    lead = piece[: len(piece) - len(piece.lstrip())]
    trail = piece[len(piece.rstrip()) :]
    return f"{lead}{before}{escape(core)}{after}{trail}"


# How each kind of change is drawn in the app (Streamlit colour directives): removed text
# struck through, added text in bold, so neither is told by its colour alone (added text was
# only green).
APP_MARKERS = {
    "equal": ("", ""),
    "delete": (":red-background[~~", "~~]"),
    "insert": (":green-background[**", "**]"),
}


def diff_markdown(segments: list[tuple[str, str]], markers: dict | None = None) -> str:
    """Segments of a word diff, ('equal'|'delete'|'insert', text), as safe Markdown."""
    markers = markers or APP_MARKERS
    lines: list[str] = [""]
    for op, text in segments:
        before, after = markers[op]
        for n, piece in enumerate(text.replace("\r\n", "\n").split("\n")):
            if n:
                lines.append("")
            lines[-1] += _wrap(piece, before, after) if before else escape(piece)
    return "  \n".join(lines)
