"""Every setting Tandem reads, with its default and meaning (the README documents each)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# name: (environment variable, secrets.toml key, default, meaning)
SETTINGS: dict[str, tuple[str, str, str, str]] = {
    "database_path": ("TANDEM_DB", "database_path", "data/tandem.duckdb", "DuckDB file to use"),
    "demo": ("TANDEM_DEMO", "demo", "0", "1 = demo mode: fictional practice, credentials shown"),
    "db_key": (
        "TANDEM_DB_KEY",
        "db_key",
        "",
        "key that encrypts the database file at rest (AES-GCM); unset = not encrypted",
    ),
    "backup_dir": (
        "TANDEM_BACKUP_DIR",
        "backup_dir",
        "backups",
        "folder for encrypted backups made from the Admin page or `./run manage backup`",
    ),
    "backup_keep": (
        "TANDEM_BACKUP_KEEP",
        "backup_keep",
        "14",
        "how many backups to keep; older ones are deleted after each new backup",
    ),
    "retention_years": (
        "TANDEM_RETENTION_YEARS",
        "retention_years",
        "7",
        "years an archived couple is kept, with nothing recorded since, before Admin lists it "
        "to be erased (1-100)",
    ),
    "behind_proxy": (
        "TANDEM_BEHIND_PROXY",
        "behind_proxy",
        "0",
        "1 = a reverse proxy in front appends the visitor's address to X-Forwarded-For "
        "(SECURITY.md's nginx): bad link tokens are then slowed per visitor, not per proxy",
    ),
    "cookie_key": (
        "TANDEM_COOKIE_KEY",
        "cookie_key",
        "",
        "secret that signs remember-me cookies (generated and kept in the database if unset)",
    ),
    "remember_hours": (
        "TANDEM_REMEMBER_HOURS",
        "remember_hours",
        "8",
        "how long 'keep me signed in' lasts, in hours",
    ),
    "idle_minutes": (
        "TANDEM_IDLE_MINUTES",
        "idle_minutes",
        "15",
        "sign a counselor out after this many minutes without activity (0 = never; 0.5 = 30 s)",
    ),
    "practice_name": (
        "TANDEM_PRACTICE_NAME",
        "practice_name",
        "Tandem practice",
        "practice name shown in the app and on exports",
    ),
    "public_url": (
        "TANDEM_PUBLIC_URL",
        "public_url",
        "",
        "address partners use to reach Tandem, for their links (e.g. https://tandem.example.org); "
        "if unset, the address the counselor's browser uses",
    ),
    "setup_code": (
        "TANDEM_SETUP_CODE",
        "setup_code",
        "",
        "one-time code to create the first admin (printed in the server log if unset)",
    ),
}

# Remember-me is meant to last a working day, not weeks; cap what a setting can ask for.
MAX_REMEMBER_HOURS = 72

# Read from the environment only, by every process that opens the database (core/db.py), so
# `./run manage` and backups get it too: (environment variable, default, meaning).
DB_MEMORY_LIMIT = (
    "TANDEM_DB_MEMORY_LIMIT",
    "128MB",
    "DuckDB's working memory and page cache in each Tandem process (e.g. 128MB, 1GB); "
    "a query that needs more spills to a temporary file beside the database",
)
# DuckDB's own default is 80% of the machine's memory. At 2,000 couples x 5 years the admin's
# whole-practice alerts ran in 64 MB and failed in 32 MB ("failed to pin block"): below the
# floor a setting would break pages, not save memory (BENCHMARKS.md, issue 6).
MIN_DB_MEMORY_MB = 64
MEMORY_UNITS = {
    "kb": 1e-3, "mb": 1.0, "gb": 1e3, "tb": 1e6,
    "kib": 1.024e-3, "mib": 1.048576, "gib": 1073.741824, "tib": 1099511.627776,
}  # fmt: skip
MEMORY_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


# The retention periods a practice may set (TANDEM_RETENTION_YEARS), in years; core.retention
# refuses any other, so no caller can erase inside the period by passing a shorter one.
RETENTION_YEARS_RANGE = (1, 100)


@dataclass(frozen=True)
class Settings:
    """Resolved settings: environment first, then secrets.toml, then the default."""

    database_path: str
    demo: bool
    cookie_key: str
    remember_hours: float
    practice_name: str
    setup_code: str
    public_url: str = ""
    db_key: str = ""
    backup_dir: str = "backups"
    backup_keep: int = 14
    idle_minutes: float = 15
    retention_years: float = 7
    behind_proxy: bool = False


def resolve(env: Mapping[str, str], secrets: Mapping[str, Any]) -> Settings:
    """Read every setting from the environment or secrets, falling back to its default."""
    raw = {}
    for name, (env_name, secret_name, default, _meaning) in SETTINGS.items():
        value = env.get(env_name)
        if value in (None, ""):
            value = secrets.get(secret_name, default)
        raw[name] = str(value)
    return Settings(
        database_path=raw["database_path"],
        demo=_flag(raw["demo"]),
        cookie_key=raw["cookie_key"],
        remember_hours=_number(
            raw["remember_hours"], float(SETTINGS["remember_hours"][2]), 0.0, MAX_REMEMBER_HOURS
        ),
        practice_name=raw["practice_name"].strip() or SETTINGS["practice_name"][2],
        setup_code=raw["setup_code"],
        public_url=_address(raw["public_url"]),
        db_key=raw["db_key"],
        backup_dir=raw["backup_dir"] or "backups",
        backup_keep=_whole(raw["backup_keep"], 14, 1, 1000),
        idle_minutes=_number(raw["idle_minutes"], 15, 0, 24 * 60),
        retention_years=_number(raw["retention_years"], 7, *RETENTION_YEARS_RANGE),
        behind_proxy=_flag(raw["behind_proxy"]),
    )


def _address(text: str) -> str:
    """The public address, with https:// put in front of one given without a scheme
    ("tandem.example.org" went into partners' links as it was, and no phone could open them:
    an owner's walkthrough)."""
    url = text.strip().rstrip("/")
    return url if not url or "://" in url else f"https://{url}"


def _flag(text: str) -> bool:
    """A yes/no setting: 1, true, yes or on (any case) is yes."""
    return text.strip().lower() in ("1", "true", "yes", "on")


def _number(text: str, default: float, lo: float, hi: float) -> float:
    """A number setting within [lo, hi] (fractions allowed), or its default when unreadable.
    ("nan" parses, then slips through min/max and breaks timedelta: it counts as unreadable.)"""
    try:
        value = float(text)
    except ValueError:
        return default
    return default if math.isnan(value) else min(max(value, lo), hi)


def _whole(text: str, default: int, lo: int, hi: int) -> int:
    """A whole-number setting within [lo, hi], or its default when unreadable."""
    try:
        return min(max(int(text), lo), hi)
    except ValueError:
        return default


def db_memory_mb(env: Mapping[str, str]) -> int:
    """DuckDB's memory limit in MB (DuckDB's MB: 1000^2 bytes) from TANDEM_DB_MEMORY_LIMIT: a
    size such as 128MB, 1GB or 512MiB (a bare number is MB), at least MIN_DB_MEMORY_MB; unset
    or unreadable gives the default."""
    name, default, _meaning = DB_MEMORY_LIMIT
    for text in (env.get(name) or "", default):
        match = MEMORY_SIZE.match(text)
        if match and match[2].lower() in ("", *MEMORY_UNITS):
            megabytes = float(match[1]) * MEMORY_UNITS.get(match[2].lower(), 1.0)
            return max(MIN_DB_MEMORY_MB, math.ceil(megabytes))
    raise AssertionError("DB_MEMORY_LIMIT's default is not a memory size")
