"""Partner colours for every chart of the agreements/decisions/roadmap work.

Both partners keep one colour across the app: when core/charts.py (the check-in and equity
charts) provides `partner_colours(names)`, that is used; until then Okabe-Ito blue and orange,
which stay distinct for the common kinds of colour blindness (Okabe & Ito, 2008).
"""

from __future__ import annotations

from collections.abc import Sequence

# Okabe-Ito "blue" and "orange" for the partners in display order; neither means "first".
FALLBACK = ("#0072B2", "#C27C00")  # as core/charts.py's PARTNER_COLOURS
# The two of them together / the household: a neutral that reads as neither partner.
TOGETHER = "#555555"

try:  # pragma: no cover - depends on whether the check-in work has landed
    from core.charts import partner_colours as _shared
except ImportError:  # the shared palette is not there yet
    _shared = None


def partner_colours(names: Sequence[str]) -> dict[str, str]:
    """name -> colour for the two partners, in display order (the app-wide palette if present)."""
    if _shared is not None:
        return dict(_shared(list(names)))
    return {name: FALLBACK[i % len(FALLBACK)] for i, name in enumerate(names)}


def distinct_names(partners: Sequence[dict]) -> list[str]:
    """The partners' names for chart legends, told apart when both have the same name."""
    names = [str(p["name"]) for p in partners]
    if len(names) == 2 and names[0] == names[1]:
        names[1] = f"{names[1]} (2)"
    return names
