"""A couple's full record as data: a zip of CSV files plus one JSON file.

For the client's right of access and for moving to another practice. Every table that holds a
couple's rows has a named query in sql/record/ (tests/sql/test_record.py fails when one is
missing), so the export reaches every table of that couple and no other couple's rows.
Link tokens are never stored; their hashes are left out too.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core import couples
from core.accounts import Actor
from core.audit import audited
from core.clock import utcnow
from core.db import SQL_DIR, Database, load_sql

# Order the files are written in (others found in sql/record/ follow, alphabetically).
FIRST = ("couples", "partners", "links", "answers")
# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection"):
# it gets a leading apostrophe so Excel, LibreOffice and Sheets show it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMAT_VERSION = 1

README = """Full record of one couple, exported from Tandem ({practice}) on {when} UTC.

record.json   every table below, as JSON (dates in ISO 8601, text exactly as stored)
csv/*.csv     one CSV file per table (UTF-8), one row per stored row
manifest.json what was exported, with row counts

Text cells in the CSV files that begin with = + - @ start with an apostrophe, so spreadsheet
programs show them as text instead of running them as formulas. record.json is unchanged.

This record holds BOTH partners' private questionnaire and exercise answers, including
counselor-only (safety) answers, and the counselor's notes. Review it before handing it to
anyone: each partner's answers were given in confidence from the other.
"""


def record_queries() -> list[str]:
    """Every sql/record/<table>.sql, the tables first that readers expect first."""
    names = sorted(p.stem for p in (SQL_DIR / "record").glob("*.sql"))
    ordered = [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]
    return [f"record/{n}" for n in ordered]


@audited("view", "full record")
def collect(db: Database, actor: Actor, couple_id: Any) -> dict[str, list[dict[str, Any]]]:
    """table -> rows of one couple the actor may see (ownership checked first)."""
    cid = couples.check_access(db, actor, couple_id)
    with db.transaction() as tx:  # one consistent snapshot of every table
        return {name.split("/", 1)[1]: tx.all(name, couple_id=cid) for name in record_queries()}


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, decimals as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_cell(value: Any) -> str:
    """One CSV cell: blank for NULL, ISO dates, true/false, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def table_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV text with a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def columns_of(db: Database, name: str) -> list[str]:
    """The column names a named record query returns (for an empty table's header)."""
    with db.cursor() as cur:
        cur.execute(load_sql(f"record/{name}"), {"couple_id": -1})
        return [d[0] for d in cur.description]


@audited("export", "full record")
def export_zip(
    db: Database, actor: Actor, couple_id: Any, practice: str, now: datetime | None = None
) -> bytes:
    """The zip: README.txt, manifest.json, record.json and csv/<table>.csv."""
    tables = collect(db, actor, couple_id)
    now = now or utcnow()
    manifest = {
        "format": "tandem-couple-record",
        "format_version": FORMAT_VERSION,
        "practice": practice,
        "exported_at": now.isoformat(timespec="seconds"),
        "exported_by": actor.display_name,
        "couple_id": tables["couples"][0]["id"] if tables.get("couples") else None,
        "tables": {name: len(rows) for name, rows in tables.items()},
    }
    record = {
        name: [{k: _plain(v) for k, v in row.items()} for row in rows]
        for name, rows in tables.items()
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "README.txt",
            README.format(practice=practice, when=now.isoformat(sep=" ", timespec="minutes")),
        )
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        z.writestr("record.json", json.dumps(record, ensure_ascii=False, indent=1))
        for name, rows in tables.items():
            columns = list(rows[0]) if rows else columns_of(db, name)
            z.writestr(f"csv/{name}.csv", table_csv(rows, columns))
    return out.getvalue()


def file_name(now: datetime | None = None) -> str:
    """A download name without the couple's names."""
    return f"couple-record-{(now or utcnow()):%Y-%m-%d}.zip"
