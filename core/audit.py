"""The append-only audit trail, written by core at the storage boundary (never by a page).

Each row says who (a counselor, an admin, a partner link, a visitor), what (an action and the
kind of object), which couple (an id, never a name), and when. Views repeat on every page run,
so a view by the same actor of the same thing is recorded at most once per VIEW_WINDOW.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import inspect
import io
import re
import threading
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from core.clock import utcnow
from core.db import Database, Tx
from core.errors import NotFound, PermissionDenied, ValidationError
from core.validation import as_text

# One 'view' row per actor and object per 10 minutes: enough to answer "who looked at this
# couple, and when", without a row for every click.
VIEW_WINDOW = timedelta(minutes=10)
SEARCH_LIMIT = 5000
# Spreadsheets run a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The trail's words for an erasure (core.erasure.delete_forever, core.retention.erase_due,
# a restore erasing again what was erased after its backup) and for a compaction of the database
# file (manage compact), which is when an erased couple's bytes leave the file.
ERASED = "couple and all its data"
COMPACTED = "database file, compacted"
# And for what the other `manage` commands do to the file (backups.note_file): when it was
# encrypted, given a new key, or written from a backup.
ENCRYPTED = "database file, encrypted"
REKEYED = "database file, new key"
RESTORED = "database file, restored from a backup"
# A backup made (the Admin page or `manage backup`): a copy of every couple's data.
BACKED_UP = "database file, backed up"
FILE_EVENTS = (COMPACTED, ENCRYPTED, REKEYED, RESTORED)
# In the live database's trail: a backup written out as a new database file (`manage restore`),
# or written out, opened and deleted again to test it (Admin -> Data safety). The restored copy
# holds every couple's data; its own trail says RESTORED, and a test copy is deleted at once.
RESTORE_WRITTEN = "backup, restored into a new file"
RESTORE_TESTED = "backup, test restore"

_recent_views: dict[tuple, datetime] = {}
_recent_lock = threading.Lock()
F = TypeVar("F", bound=Callable[..., Any])
# What `audited` may record; "view" and "refused" are deduplicated like views.
ACTIONS = ("view", "create", "update", "delete", "export", "issue", "revoke", "refused")


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
        # A lone surrogate in a tampered id would make DuckDB refuse the whole row.
        detail=detail[:500].encode("utf-8", "replace").decode("utf-8"),
        **actor_fields(actor),
    )


def viewed(
    db: Database,
    actor: Any,
    obj: str,
    couple_id: int | None = None,
    *,
    action: str = "view",
    detail: str = "",
) -> None:
    """Record a view (or another repeating action), at most once per VIEW_WINDOW for the same
    actor, action, object and couple."""
    now = utcnow()
    who = actor_fields(actor)
    key = (
        getattr(db, "path", ""),
        who["actor_kind"],
        who["actor_id"],
        action,
        obj,
        couple_id,
        detail,
    )
    with _recent_lock:
        last = _recent_views.get(key)
        if last is not None and now - last < VIEW_WINDOW:
            return
        _recent_views[key] = now
        if len(_recent_views) > 50_000:  # a long-running server forgets the oldest half
            for k, _ in sorted(_recent_views.items(), key=lambda kv: kv[1])[:25_000]:
                _recent_views.pop(k, None)
    record(db, actor, action, couple_id=couple_id, obj=obj, detail=detail, now=now)


# True while an `audited` function runs: it records a refusal under its own name, so a
# refusal met in what it calls (couples.get, say) is not recorded a second time.
_covered: ContextVar[bool] = ContextVar("audit_covered", default=False)


def refused(db: Database, actor: Any, obj: str, couple_id: Any, detail: str = "") -> None:
    """Record a refused reach for a couple that is not the actor's (deduplicated like a view),
    for a function that records its own rows instead of being `audited`; nothing when an
    `audited` function is the caller, further up, which records it itself."""
    if _covered.get():
        return
    viewed(db, actor, obj, _couple_ref(couple_id), action="refused", detail=detail)


def _couple_ref(value: Any) -> int | None:
    """A couple id argument as an int for the trail (a bad one is kept in the detail)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    # audit_log.couple_ref is an INTEGER (32 bits): a larger number made the row, and with it
    # the refusal being recorded, fail (a nonsense id such as 2**31 handed to a decorated reader).
    return number if -(2**31) <= number < 2**31 else None


def _ids(arguments: dict[str, Any], result: Any) -> str:
    """The record ids a call was about ('agreement_id=4'), and the id a create returned."""
    parts = [
        f"{name}={as_text(value)[:40]}"
        for name, value in arguments.items()
        if name.endswith("_id") and name != "couple_id" and value is not None
    ]
    # Whom an export was made for (a session summary for the couple, or for the record).
    audience = getattr(arguments.get("options"), "audience", None)
    if isinstance(audience, str):
        parts.append(f"for={audience[:20]}")
    if isinstance(result, int) and not isinstance(result, bool):
        parts.append(f"id={result}")
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        parts += [f"{k}={v}" for k, v in dataclasses.asdict(result).items() if k.endswith("_id")]
    elif isinstance(result, dict) and isinstance(result.get("id"), int):
        parts.append(f"id={result['id']}")
    return ", ".join(parts)


def audited(action: str, obj: str) -> Callable[[F], F]:
    """Decorate a core function that reads or changes client data, so the trail records it.

    The function's `db` (or `tx`) and `actor` arguments say where and who; its `couple_id`
    argument says which couple, other `*_id` arguments (and the id a create returns) go into
    the detail. A view is recorded at most once per VIEW_WINDOW; any other action once per
    successful call, after it returns. A call refused because the couple or record is not the
    actor's (NotFound, PermissionDenied) is recorded as 'refused', deduplicated like a view.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")

    def wrap(fn: F) -> F:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                result = _covering(fn, args, kwargs)
            except (NotFound, PermissionDenied):
                _trail(signature, args, kwargs, "refused", obj, None)
                raise
            _trail(signature, args, kwargs, action, obj, result)
            return result

        inner.__audited__ = (action, obj)  # type: ignore[attr-defined]
        return inner  # type: ignore[return-value]

    return wrap


def _covering(fn: Callable, args: tuple, kwargs: dict[str, Any]) -> Any:
    """Run an `audited` function with `refused` quiet inside it (it records refusals itself)."""
    covering = _covered.set(True)
    try:
        return fn(*args, **kwargs)
    finally:
        _covered.reset(covering)


def _trail(
    signature: inspect.Signature,
    args: tuple,
    kwargs: dict[str, Any],
    action: str,
    obj: str,
    result: Any,
) -> None:
    arguments = signature.bind_partial(*args, **kwargs).arguments
    db = arguments.get("db", arguments.get("tx"))
    actor = arguments.get("actor", arguments.get("link"))
    couple_id = _couple_ref(arguments.get("couple_id"))
    if action in ("view", "refused"):
        # The couple and record ids say which page of which couple; repeat runs share a row.
        viewed(db, actor, obj, couple_id, action=action, detail=_ids(arguments, None))
    else:
        record(db, actor, action, couple_id=couple_id, obj=obj, detail=_ids(arguments, result))


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
    if not (isinstance(since, datetime) and isinstance(until, datetime)):
        raise ValidationError({"period": "Choose the first and last day to look at."})
    try:
        cid = int(couple_id) if couple_id not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        cid = -1
    if cid is not None and not -(2**63) <= cid < 2**63:
        cid = -1  # no such couple; DuckDB cannot even bind a number this big

    def label(value: Any, limit: int) -> str:
        # Lone surrogates become '?' (DuckDB refuses them), as in stored actor labels.
        text = as_text(value or "")[:limit]
        return text.encode("utf-8", "replace").decode("utf-8")

    rows = db.all(
        "audit/search",
        since=since,
        until=until,
        actor=label(who, 64),
        action=label(action, 40),
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


def file_name(
    start: date, end: date, couple_id: Any = None, who: str = "", action: str = ""
) -> str:
    """The audit CSV's file name, naming the filters that made it: the file holds the rows shown
    when its button was drawn, and a filter typed but not yet applied when it is clicked does
    not change them (a walkthrough took one couple's rows for another's)."""
    named = [re.sub(r"[^a-z0-9]+", "_", f.lower()).strip("_") for f in (who, action) if f]
    try:  # what the filter's box holds: a number, or nonsense the search ignores too
        couple = [f"couple-{int(couple_id)}"] if couple_id else []
    except (TypeError, ValueError, OverflowError):
        couple = []
    return "-".join(["tandem-audit", str(start), str(end), *couple, *filter(None, named)]) + ".csv"
