"""Delete forever: every row of a couple goes, in every table, present and future."""

from __future__ import annotations

import pytest

from core import couples, erasure
from core.db import SQL_DIR, load_sql
from core.errors import NotFound, ValidationError
from tests.conftest import erase_for_good, make_couple, rows


def tables_with_couple_id(db) -> list[str]:
    """Every table that holds a couple's data, found from the schema itself."""
    return [
        r[0]
        for r in rows(
            db,
            "SELECT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t "
            "  ON t.table_name = c.table_name AND t.table_schema = c.table_schema "
            "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' "
            "  AND c.column_name = 'couple_id' ORDER BY 1",
        )
    ]


def rows_for(db, couple_id: int) -> dict[str, int]:
    """How many rows each couple table (and couples itself) holds for one couple."""
    found = {"couples": rows(db, "SELECT count(*) FROM couples WHERE id = $id", id=couple_id)[0][0]}
    for table in tables_with_couple_id(db):
        sql = f'SELECT count(*) FROM "{table}" WHERE couple_id = $id'
        found[table] = rows(db, sql, id=couple_id)[0][0]
    return found


def orphans(db) -> dict[str, int]:
    """Rows, per table, whose couple_id names no couple."""
    found = {}
    for table in tables_with_couple_id(db):
        sql = (
            f'SELECT count(*) FROM "{table}" t '
            "WHERE NOT EXISTS (SELECT 1 FROM couples c WHERE c.id = t.couple_id)"
        )
        found[table] = rows(db, sql)[0][0]
    return found


@pytest.fixture
def three_couples(db, counselor, other_counselor):
    """The couple to erase, another of the same counselor's, and another counselor's."""
    doomed = make_couple(db, counselor, "Zoë", "Łukasz")
    kept = make_couple(db, counselor, "Rachel", "Marcus")
    theirs = make_couple(db, other_counselor, "王芳", "Tomás")
    return doomed, kept, theirs


def test_the_schema_has_couple_tables_to_check(db):
    assert "partners" in tables_with_couple_id(db)


def test_delete_forever_leaves_no_row_of_the_couple_in_any_table(
    db, admin, counselor, three_couples
):
    doomed, kept, theirs = three_couples
    erasure.request(db, counselor, doomed, "the couple asked")  # a row of its own, erased too
    assert rows_for(db, doomed)["partners"] == 2
    assert rows_for(db, doomed)["erasure_requests"] == 1
    kept_before, theirs_before = rows_for(db, kept), rows_for(db, theirs)

    erase_for_good(db, admin, doomed, "Zoë & Łukasz")

    assert set(rows_for(db, doomed).values()) == {0}
    assert rows_for(db, kept) == kept_before and rows_for(db, theirs) == theirs_before
    assert set(orphans(db).values()) <= {0}
    with pytest.raises(NotFound):
        couples.get(db, counselor, doomed)
    with pytest.raises(NotFound):
        erase_for_good(db, admin, doomed, "Zoë & Łukasz")


def test_an_admin_can_erase_any_couple_in_the_practice(db, admin, three_couples):
    doomed = three_couples[2]
    erase_for_good(db, admin, doomed, "王芳 & Tomás")
    assert set(rows_for(db, doomed).values()) == {0}


def test_the_typed_confirmation_ignores_case_and_spacing(db, admin, three_couples):
    erase_for_good(db, admin, three_couples[0], "  zoë   &  ŁUKASZ ")
    assert set(rows_for(db, three_couples[0]).values()) == {0}


@pytest.mark.parametrize(
    "typed", ["", None, "Zoë", "Łukasz & Zoë", "Zoë & Łukasz!", "Rachel & Marcus", "yes"]
)
def test_a_wrong_typed_confirmation_erases_nothing(db, admin, counselor, three_couples, typed):
    doomed = three_couples[0]
    before = rows_for(db, doomed)
    with pytest.raises(ValidationError) as caught:
        erase_for_good(db, admin, doomed, typed)
    assert "Zoë & Łukasz" in caught.value.fields["confirm"]  # tells them what to type
    assert rows_for(db, doomed) == before
    assert couples.get(db, counselor, doomed)["label"] == "Zoë & Łukasz"


def test_every_couple_table_has_an_erase_query(db):
    missing = [
        t
        for t in tables_with_couple_id(db)
        if t != "couples" and not (SQL_DIR / "erase" / f"{t}.sql").is_file()
    ]
    assert not missing, f"add sql/erase/<table>.sql for: {missing}"


def test_every_erase_query_names_a_couple_table_and_deletes_by_couple_id(db):
    tables = set(tables_with_couple_id(db))
    for name in couples.erase_queries():
        table = name.removeprefix("erase/")
        assert table in tables, f"sql/{name}.sql erases from a table with no couple_id"
        sql = load_sql(name)
        assert "DELETE FROM" in sql and table in sql and "$couple_id" in sql


def test_a_future_table_with_couple_id_and_no_erase_query_would_be_caught(db):
    with db.cursor() as cur:
        cur.execute("CREATE TABLE future_notes (id INTEGER, couple_id INTEGER)")
    assert "future_notes" in tables_with_couple_id(db)
    assert not (SQL_DIR / "erase" / "future_notes.sql").is_file()


def test_the_orphan_check_would_catch_a_row_left_behind(db, couple_id):
    with db.cursor() as cur:
        cur.execute("INSERT INTO partners (couple_id, position, name) VALUES (999999, 1, 'Ghost')")
    assert orphans(db)["partners"] == 1
