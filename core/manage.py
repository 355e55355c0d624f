"""Command line for operators: `python -m core.manage COMMAND --db PATH` (see --help)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from core import accounts, demo
from core.db import Database
from core.errors import TandemError


def _db(args) -> Database:
    return Database(args.db or os.environ.get("TANDEM_DB") or "data/tandem.duckdb")


def cmd_demo(args) -> int:
    """Create the demo practice in an empty database (leave an existing one as it is)."""
    db = _db(args)
    if demo.seed(db):
        print(f"Demo practice created in {db.path}.")
    else:
        print(f"{db.path} already has accounts; left as it is.")
    db.close()
    return 0


def cmd_create_admin(args) -> int:
    """Create the first admin from the terminal (no setup code needed: you have the server)."""
    db = _db(args)
    if not accounts.needs_first_admin(db):
        print("This practice already has accounts; add more from the Admin page.", file=sys.stderr)
        return 1
    password = os.environ.get("TANDEM_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    code = accounts.issue_setup_code(db)
    accounts.create_first_admin(
        db,
        code,
        {"username": args.username, "display_name": args.name, "email": args.email or ""},
        password,
    )
    db.close()
    print(f"Admin {args.username!r} created.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; errors print a message, not a traceback."""
    parser = argparse.ArgumentParser(prog="python -m core.manage", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help=cmd_demo.__doc__).set_defaults(fn=cmd_demo)
    p = sub.add_parser("create-admin", help=cmd_create_admin.__doc__)
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--email", default="")
    p.set_defaults(fn=cmd_create_admin)
    for command in sub.choices.values():
        command.add_argument("--db", help="DuckDB file (default: $TANDEM_DB or data/tandem.duckdb)")
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except TandemError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
