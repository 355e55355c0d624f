"""What Tandem's HTML tables share (the caseload, a questionnaire's answers side by side, a
couple's links): their base style and the muted dash of an empty cell."""

from __future__ import annotations

DASH = '<span class="muted">—</span>'  # an empty cell


def style(cls: str, rules: str) -> str:
    """The <style> of the table inside `.cls`: the shared base (its region scrolls sideways
    when it must and shows the keyboard's focus; cells at the top, left, ruled; a grey heading
    row; a caption only screen readers read), then the table's own `rules`, which win."""
    c = f".{cls}"
    return f"""<style>
{c} {{ overflow-x: auto; }}
{c}:focus-visible {{ outline: 2px solid #1c6dd0; outline-offset: 2px; }}
{c} th, {c} td {{ text-align: left; vertical-align: top; padding: 0.4rem 0.5rem;
  border-bottom: 1px solid #e6e8ec; }}
{c} thead th {{ font-weight: 600; color: #4a4f5a; background: #f6f7f9;
  border-bottom: 1px solid #d5d8de; }}
{c} .muted {{ color: #6b7080; }}
{c} caption {{ position: absolute; left: -10000px; width: 1px; height: 1px;
  overflow: hidden; }}
{rules.strip()}
</style>"""
