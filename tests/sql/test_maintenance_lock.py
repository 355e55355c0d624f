"""The commands that put a new file in the database's place (encrypt, rotate-key, compact) and
a Tandem process never hold the same database at once (core.db.maintenance).

Before, "server stopped" was only asked for: a server started in the moment between such a
command's copy and its swap opened the old file and went on saving into it, and what it saved
then was lost with that file. Every Database now holds its file shared for its whole life, and
the commands hold it exclusively.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core import manage
from core.db import Database, maintenance
from core.errors import StorageError
from tests.sql.test_encryption_and_backups import KEY, file_bytes

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {
    "compact": {},
    "encrypt": {"TANDEM_DB_KEY": KEY},
    "rotate-key": {"TANDEM_DB_KEY": KEY, "TANDEM_NEW_DB_KEY": "a-brand-new-key-99"},
}


def practice(path: Path, key: str | None) -> bytes:
    """A closed database at `path`; its bytes."""
    Database(path, key).close()
    return file_bytes(path)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_refuses_a_database_that_tandem_has_open(command, tmp_path, monkeypatch, capsys):
    path = tmp_path / "practice.duckdb"
    key = KEY if command == "rotate-key" else None
    before = practice(path, key)
    for name, value in COMMANDS[command].items():
        monkeypatch.setenv(name, value)
    server = Database(path, key)  # the running server
    try:
        assert manage.main([command, "--db", str(path)]) == 1
        said = capsys.readouterr().err
        assert "has the database" in said and "stop it, then run this again" in said
        assert "Traceback" not in said
        assert not list(tmp_path.glob("practice.duckdb.*ing*"))  # no copy was begun
    finally:
        server.close()
    assert file_bytes(path) == before
    assert manage.main([command, "--db", str(path)]) == 0  # once the server has stopped


def open_in_another_process(path: Path) -> subprocess.CompletedProcess:
    """Open the database the way a starting server does, in a process of its own."""
    code = "import sys; from core.db import Database; Database(sys.argv[1]).close()"
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_tandem_does_not_open_a_database_while_a_command_rewrites_it(tmp_path):
    path = tmp_path / "practice.duckdb"
    practice(path, None)
    with maintenance(str(path), f"{path}.compacting"):
        refused = open_in_another_process(path)
        assert refused.returncode != 0
        assert "is being rewritten by `./run manage`" in refused.stderr
        # The command itself opens the file and its new copy (no second hold of its own).
        Database(path).close()
        Database(f"{path}.compacting").close()
    assert not Path(f"{path}.compacting.lock").exists()  # the copy's lock file goes with it
    assert open_in_another_process(path).returncode == 0


def test_a_missing_database_is_not_made_while_a_command_holds_its_place(tmp_path):
    """The moment of the swap: had the file gone, a starting server made a new, empty one."""
    path = tmp_path / "practice.duckdb"
    practice(path, None)
    with maintenance(str(path)):
        path.unlink()
        assert open_in_another_process(path).returncode != 0
        assert not path.exists()


def test_a_closed_or_failed_database_lets_go_of_its_file(tmp_path):
    path = tmp_path / "practice.duckdb"
    practice(path, KEY)
    with pytest.raises(StorageError):
        Database(path)  # no key for an encrypted file: it does not open
    with maintenance(str(path)):  # nothing holds it
        pass
    db = Database(path, KEY)
    with pytest.raises(StorageError, match="has the database"), maintenance(str(path)):
        pass
    db.close()
    with maintenance(str(path)):
        pass


def test_the_hold_is_shared_so_one_process_may_open_a_database_twice(tmp_path):
    """DuckDB's own lock, not this one, keeps a second process from writing at once."""
    path = tmp_path / "practice.duckdb"
    first = Database(path)
    second = Database(path)  # as tests do
    first.close()
    second.close()
