"""DuckDB's memory is capped in every process that opens the database (TANDEM_DB_MEMORY_LIMIT),
and a query larger than the cap spills to disk instead of failing, encrypted when the file is."""

from __future__ import annotations

import duckdb

from core.clock import utcnow
from core.db import Database
from core.settings import DB_MEMORY_LIMIT, MIN_DB_MEMORY_MB

KEY = "correct-horse-battery-staple-42"
# About 150 MB of rows to sort: more than the smallest cap holds, so the sort must spill.
BIG_SORT = (
    "SELECT count(*), min(s), max(s) FROM ("
    " SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(2000000) t(i)"
    " ORDER BY s)"
)


def setting(db: Database, name: str) -> str:
    with db.cursor() as cur:
        return cur.execute("SELECT current_setting($name)::VARCHAR", {"name": name}).fetchone()[0]


def as_duckdb_shows(megabytes: int) -> str:
    """How DuckDB itself writes a limit of that many MB (e.g. '122.0 MiB' for 128MB)."""
    con = duckdb.connect(":memory:", config={"memory_limit": f"{megabytes}MB"})
    try:
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()


def test_a_database_opens_with_the_default_cap(db_path, monkeypatch):
    monkeypatch.delenv(DB_MEMORY_LIMIT[0], raising=False)
    db = Database(db_path)
    try:
        assert db.memory_limit_mb == 128
        assert setting(db, "memory_limit") == as_duckdb_shows(128)
    finally:
        db.close()


def test_the_environment_sets_the_cap_and_an_explicit_one_beats_it(db_path, monkeypatch):
    monkeypatch.setenv(DB_MEMORY_LIMIT[0], "300MB")
    db = Database(db_path)
    try:
        assert setting(db, "memory_limit") == as_duckdb_shows(300)
    finally:
        db.close()
    db = Database(db_path, memory_limit_mb=200)
    try:
        assert setting(db, "memory_limit") == as_duckdb_shows(200)
    finally:
        db.close()


def test_a_query_larger_than_the_cap_spills_instead_of_failing(db_path):
    db = Database(db_path, memory_limit_mb=MIN_DB_MEMORY_MB)
    try:
        with db.cursor() as cur:
            count, _low, _high = cur.execute(BIG_SORT).fetchone()
        assert count == 2_000_000
    finally:
        db.close()


def test_an_encrypted_database_is_capped_and_spills_encrypted_beside_its_file(tmp_path):
    path = tmp_path / "enc.duckdb"
    db = Database(path, KEY, memory_limit_mb=MIN_DB_MEMORY_MB)
    try:
        assert setting(db, "memory_limit") == as_duckdb_shows(MIN_DB_MEMORY_MB)
        assert setting(db, "temp_file_encryption") == "true"
        assert setting(db, "temp_directory") == f"{path}.tmp"
        with db.cursor() as cur:
            assert cur.execute(BIG_SORT).fetchone()[0] == 2_000_000
    finally:
        db.close()


def test_a_checkpoint_gets_room_and_the_cap_comes_back(db_path, monkeypatch):
    """At 2,000 couples a CHECKPOINT under the 128MB cap failed writing the answers' index
    back, and DuckDB gave up the database (BENCHMARKS.md): checkpoints run with room."""
    import core.db

    monkeypatch.delenv(DB_MEMORY_LIMIT[0], raising=False)
    db = Database(db_path)
    try:

        class Recording:
            """A cursor that notes the memory limit each CHECKPOINT ran under."""

            def __init__(self, cur):
                self.cur, self.limits = cur, []

            def execute(self, sql, *args):
                if sql == "CHECKPOINT":
                    self.limits.append(
                        self.cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]
                    )
                return self.cur.execute(sql, *args)

        with db.cursor() as cur:
            recording = Recording(cur)
            db.checkpoint(recording)
        assert recording.limits == [as_duckdb_shows(core.db.CHECKPOINT_MEMORY_MB)]  # with room
        assert setting(db, "memory_limit") == as_duckdb_shows(128)  # set back afterwards
        # Once the WAL passes the early threshold, a write checkpoints (before DuckDB's own).
        seen = []
        real = db.checkpoint
        monkeypatch.setattr(core.db, "EARLY_CHECKPOINT_BYTES", 0)
        monkeypatch.setattr(db, "checkpoint", lambda cur=None: (seen.append(cur), real(cur)))
        from core.clock import utcnow

        db.all("auth/throttle_put", username="x" * 64, failures=1, locked_until=None, now=utcnow())
        assert seen, "no checkpoint after a write with a WAL past the threshold"
        assert setting(db, "memory_limit") == as_duckdb_shows(128)
    finally:
        db.close()


def test_indexes_holding_a_share_of_the_cap_are_written_out_by_a_checkpoint(
    db, counselor, couple_id, monkeypatch
):
    """Every insert into an indexed table (and every lookup through one) grows its index in
    memory until a checkpoint, and that memory is not evicted: on the large practice 4,500
    saved answers filled the 128MB cap with a small WAL, and a commit then failed and DuckDB
    gave up the database. A write checkpoints once the indexes hold INDEX_MEMORY_SHARE of the
    cap, at most every INDEX_MEMORY_SPACING writes, or at once past INDEX_MEMORY_URGENT; the
    checkpoint gives that memory back."""
    import core.db
    from core import instruments, links
    from tests.conftest import rows

    held = lambda: rows(db, core.db.load_sql("storage/index_memory"))[0][0]  # noqa: E731
    partner = db.all("couples/partners", couple_id=couple_id)[0]["id"]
    texts = [i for i in instruments.load("checkin").items if i.type in instruments.TEXT_TYPES]
    seen = []
    real = db.checkpoint
    monkeypatch.setattr(db, "checkpoint", lambda cur=None: (seen.append(cur), real(cur)))
    monkeypatch.setattr(core.db, "INDEX_MEMORY_EVERY", 1)

    def grow() -> None:
        monkeypatch.setattr(core.db, "INDEX_MEMORY_SHARE", 10.0)  # never, while they grow
        monkeypatch.setattr(core.db, "INDEX_MEMORY_URGENT", 10.0)
        issued = links.issue(db, counselor, couple_id, partner, "checkin", 7)
        for item in texts[:3]:
            links.save_answer(db, issued.token, item.id, "A few words.")
        assert held() > 0 and not seen

    def a_write() -> None:
        db.all("auth/throttle_put", username="y" * 64, failures=1, locked_until=None, now=utcnow())

    grow()
    monkeypatch.setattr(core.db, "INDEX_MEMORY_SHARE", 1e-9)  # past the share...
    monkeypatch.setattr(core.db, "INDEX_MEMORY_SPACING", 10_000)  # ...too soon after the last
    a_write()
    assert not seen
    monkeypatch.setattr(core.db, "INDEX_MEMORY_SPACING", 0)
    a_write()
    assert len(seen) == 1 and held() == 0
    seen.clear()
    grow()
    monkeypatch.setattr(core.db, "INDEX_MEMORY_URGENT", 1e-9)  # past the urgent share: at once
    monkeypatch.setattr(core.db, "INDEX_MEMORY_SPACING", 10_000)
    a_write()
    assert len(seen) == 1 and held() == 0
    assert setting(db, "memory_limit") == as_duckdb_shows(db.memory_limit_mb)
