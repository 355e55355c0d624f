"""The append-only audit trail, written by core at the storage boundary (never by a page).

Each row says who (a counselor, an admin, a partner link, a visitor), what (an action and the
kind of object), which couple (an id, never a name), and when. Views repeat on every page run,
so a view by the same actor of the same thing is recorded at most once per VIEW_WINDOW.
"""

from __future__ import annotations

import csv
import io
import threading
from datetime import datetime, timedelta
from typing import Any

from core.clock import utcnow
from core.db import Database, Tx

# One 'view' row per actor and object per 10 minutes: enough to answer "who looked at this
# couple, and when", without a row for every click.
VIEW_WINDOW = timedelta(minutes=10)
SEARCH_LIMIT = 5000
# Spreadsheets run a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_recent_views: dict[tuple, datetime] = {}
_recent_lock = threading.Lock()


def actor_fields(actor: Any) -> dict[str, Any]:
    """actor_kind / actor_id / actor_label for a counselor Actor or a partner link."""
    if actor is None:
        return {"actor_kind": "system", "actor_id": None, "actor_label": "system"}
    if hasattr(actor, "counselor_id"):
        kind = "admin" if actor.is_admin else "counselor"
        return {"actor_kind": kind, "actor_id": actor.counselor_id, "actor_label": actor.username}
    if hasattr(actor, "link_id"):
        return {
            "actor_kind": "partner_link",
            "actor_id": actor.link_id,
            "actor_label": f"link {actor.link_id}",
        }
    return {"actor_kind": "visitor", "actor_id": None, "actor_label": str(actor)[:64]}


def record(
    db: Database | Tx,
    actor: Any,
    action: str,
    *,
    couple_id: int | None = None,
    obj: str = "",
    detail: str = "",
    now: datetime | None = None,
) -> None:
    """Append one audit row (inside the caller's transaction when given a Tx)."""
    db.all(
        "audit/record",
        at=now or utcnow(),
        action=action,
        couple_ref=couple_id,
        object=obj,
        detail=detail[:500],
        **actor_fields(actor),
    )


def viewed(db: Database, actor: Any, obj: str, couple_id: int | None = None) -> None:
    """Record a view, at most once per VIEW_WINDOW for the same actor and object."""
    now = utcnow()
    who = actor_fields(actor)
    key = (getattr(db, "path", ""), who["actor_kind"], who["actor_id"], obj, couple_id)
    with _recent_lock:
        last = _recent_views.get(key)
        if last is not None and now - last < VIEW_WINDOW:
            return
        _recent_views[key] = now
        if len(_recent_views) > 50_000:  # a long-running server forgets the oldest half
            for k, _ in sorted(_recent_views.items(), key=lambda kv: kv[1])[:25_000]:
                _recent_views.pop(k, None)
    record(db, actor, "view", couple_id=couple_id, obj=obj, now=now)


def search(
    db: Database,
    actor: Any,
    *,
    since: datetime,
    until: datetime,
    who: str = "",
    action: str = "",
    couple_id: Any = None,
) -> list[dict[str, Any]]:
    """Admin: audit rows in a time range, newest first (reading the trail is audited too)."""
    from core.accounts import require_admin

    require_admin(actor)
    try:
        cid = int(couple_id) if couple_id not in (None, "") else None
    except (TypeError, ValueError):
        cid = -1
    rows = db.all(
        "audit/search",
        since=since,
        until=until,
        actor=str(who or "")[:64],
        action=str(action or "")[:40],
        couple_ref=cid,
        limit=SEARCH_LIMIT,
    )
    record(db, actor, "view", obj="audit_log")
    return rows


def filters(db: Database, actor: Any) -> tuple[list[str], list[str]]:
    """Admin: the actions and actor labels present, for filter menus."""
    from core.accounts import require_admin

    require_admin(actor)
    rows = db.all("audit/actions")
    return sorted({r["action"] for r in rows}), sorted({r["actor_label"] for r in rows})


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV text with formula-looking cells neutralised."""
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.writer(out)
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([safe_cell(v) for v in row.values()])
    return out.getvalue()


def export_csv(db: Database, actor: Any, rows: list[dict[str, Any]]) -> bytes:
    """Admin: the given audit rows as CSV bytes; the export itself is recorded."""
    from core.accounts import require_admin

    require_admin(actor)
    record(db, actor, "export", obj="audit_log", detail=f"{len(rows)} rows")
    return to_csv(rows).encode("utf-8")
