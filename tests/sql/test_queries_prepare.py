"""Every named query prepares against the migrated schema; SQL is never built by formatting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core.db import SQL_DIR, Database, all_query_names, is_write_query, load_sql

CORE = Path(__file__).resolve().parents[2] / "core"
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\s")
QUERY_NAME = re.compile(r"^[a-z0-9_]+/[a-z0-9_]+$")
# Methods of Database and Tx whose first argument is the name of a query file.
QUERY_METHODS = {"all", "one", "scalar", "frame"}


def without_comments(sql: str) -> str:
    """SQL text with every -- comment cut off."""
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def parameters(sql: str) -> set[str]:
    """The $names a query uses (comments ignored: DuckDB refuses unused parameters)."""
    return set(PARAM.findall(without_comments(sql)))


def test_there_are_queries_to_check():
    assert len(all_query_names()) >= 20
    assert not [n for n in all_query_names() if n.startswith("migrations/")]


@pytest.fixture(scope="module")
def schema(scratch):
    """One migrated, empty database: EXPLAIN changes nothing, so every case can share it."""
    db = Database(scratch / "queries.duckdb")
    yield db
    db.close()


@pytest.mark.parametrize("name", all_query_names())
def test_query_prepares_against_the_schema(schema, name):
    sql = load_sql(name)
    with schema.cursor() as cur:
        cur.execute(f"EXPLAIN {sql}", dict.fromkeys(parameters(sql)) or None)
        assert cur.fetchall(), f"{name} explained to nothing"


@pytest.mark.parametrize("name", all_query_names())
def test_query_file_says_what_it_returns_on_its_first_line(name):
    first = load_sql(name).splitlines()[0]
    assert re.match(r"^-- \S.{10,}", first), f"sql/{name}.sql must start with a '-- ' comment"


@pytest.mark.parametrize("name", all_query_names())
def test_query_file_holds_one_statement_with_a_plain_name(name):
    assert QUERY_NAME.match(name), f"{name}: folder/name in lower_snake_case"
    body = without_comments(load_sql(name)).strip().rstrip(";")
    assert body and ";" not in body, f"{name} must hold exactly one statement"


def test_a_broken_query_would_fail_to_prepare(schema):
    with schema.cursor() as cur, pytest.raises(Exception, match="no_such_column"):
        cur.execute("EXPLAIN SELECT no_such_column FROM couples WHERE id = $id", {"id": None})


@pytest.mark.parametrize("name", ["../pyproject", "migrations/../../pyproject", "nope/none"])
def test_only_files_inside_sql_can_be_loaded_by_name(name):
    with pytest.raises(KeyError):
        load_sql(name)


@pytest.mark.parametrize(
    ("name", "writes"),
    [("couples/get", False), ("couples/caseload", False), ("couples/update_notes", True)]
    + [("couples/insert", True), ("erase/partners", True), ("auth/throttle_put", True)],
)
def test_writes_are_told_apart_from_reads(name, writes):
    assert is_write_query(name) is writes


# -- SQL is never formatted in Python ------------------------------------------------------
def formatted_sql(source: str) -> list[int]:
    """Line numbers where an f-string, % or .format() builds text that looks like SQL."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        text = None
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
        ):
            text = str(node.left.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
        ):
            text = str(node.func.value.value)
        if text is not None and SQL_WORD.search(text):
            hits.append(node.lineno)
    return hits


@pytest.mark.parametrize(
    "snippet",
    [
        'q = f"SELECT * FROM couples WHERE id = {cid}"',
        'q = "DELETE FROM partners WHERE couple_id = %s" % cid',
        "q = \"UPDATE couples SET notes = '{}'\".format(notes)",
        'q = f"""\n    INSERT INTO t VALUES ({x})\n"""',
    ],
)
def test_the_scan_catches_formatted_sql(snippet):
    assert formatted_sql(snippet)


def test_the_scan_lets_plain_messages_and_parameterised_sql_through():
    assert not formatted_sql('msg = f"Select a counselor for {name}"\nq = "SELECT 1 WHERE a = $a"')


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_core_never_formats_sql(path):
    assert formatted_sql(path.read_text(encoding="utf-8")) == []


def query_names_used(source: str) -> set[str]:
    """Literal first arguments of .all/.one/.scalar/.frame calls that look like query names."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and "/" in node.args[0].value
        ):
            names.add(node.args[0].value)
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_every_query_core_names_has_a_file(path):
    missing = query_names_used(path.read_text(encoding="utf-8")) - set(all_query_names())
    assert not missing, f"{path.name} names queries with no file under {SQL_DIR}: {missing}"
