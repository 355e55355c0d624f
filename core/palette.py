"""Partner colours for every chart of the agreements/decisions/roadmap work: core/charts.py's,
so that both partners keep one colour across the app (Okabe-Ito blue and a darker orange, told
apart with the common kinds of colour blindness: Okabe & Ito, 2008).
"""

from __future__ import annotations

from collections.abc import Sequence

# Re-exported: the partners' colours, and for the two of them together (the household) the
# charts' neutral, which reads as neither partner.
from core.charts import NEUTRAL as TOGETHER  # noqa: F401
from core.charts import partner_colours  # noqa: F401


def distinct_names(partners: Sequence[dict]) -> list[str]:
    """The partners' names for chart legends, told apart when both have the same name."""
    names = [str(p["name"]) for p in partners]
    if len(names) == 2 and names[0] == names[1]:
        names[1] = f"{names[1]} (2)"
    return names
