"""Markdown built from people's text: escaped so it stays text, and word-level diffs."""

from __future__ import annotations

# Characters that carry meaning in Markdown (and Streamlit's extensions of it); escaped so
# typed text can never become a link, emphasis, HTML, LaTeX or a colour directive.
SPECIALS = frozenset("\\`*_{}[]()<>#+-.!|~$:&=\"'")


def escape(text: object) -> str:
    """User text made inert for Markdown; line breaks are kept as hard breaks."""
    out = []
    for ch in str(text if text is not None else ""):
        out.append("\\" + ch if ch in SPECIALS else ch)
    return "".join(out).replace("\r\n", "\n").replace("\n", "  \n")


def _wrap(piece: str, before: str, after: str) -> str:
    """Wrap one line's text in markers, keeping its outer spaces outside them (Markdown
    ignores `~~ word~~`)."""
    core = piece.strip()
    if not core:
        return piece
    lead = piece[: len(piece) - len(piece.lstrip())]
    trail = piece[len(piece.rstrip()) :]
    return f"{lead}{before}{escape(core)}{after}{trail}"


# How each kind of change is drawn in the app (Streamlit colour directives).
APP_MARKERS = {
    "equal": ("", ""),
    "delete": (":red-background[~~", "~~]"),
    "insert": (":green-background[", "]"),
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
