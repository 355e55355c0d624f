"""What a read gave, kept for the runs after it: a bounded store, the least recently used out
first, safe across Streamlit's script threads. Used by core.trends and core.checkins (a
couple's views between writes that touch the couple: `couple_read`), core.alerts (the
caseload's signals) and core.links (a partner's link between saves); each caller decides when
what it kept is stale."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Kept(OrderedDict):
    """An OrderedDict, oldest use first, with a lock (`lock`) that its callers may take too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock = threading.Lock()

    def recall(self, key: Any) -> Any:
        """What is kept under `key` (None if nothing), now its most recent use."""
        with self.lock:
            value = self.get(key)
            if value is not None:
                self.move_to_end(key)
            return value

    def keep(self, key: Any, value: Any, most: int) -> None:
        """Keep `value` under `key`, giving up the least recently used beyond `most`."""
        with self.lock:
            self[key] = value
            while len(self) > most:
                self.popitem(last=False)

    def forget(self, key: Any) -> None:
        with self.lock:
            self.pop(key, None)

    def through(
        self,
        key: Any,
        version: Any,
        read: Callable[[], Any],
        most: int,
        current: Callable[[Any], bool],
    ) -> Any:
        """What `read()` gave under `key` while `current(the version it was kept at)` holds;
        otherwise `read()` again, kept at `version`. Take `version` before calling: a write
        during `read` then shows up next time."""
        kept = self.recall(key)
        if kept is not None and current(kept[0]):
            return kept[1]
        value = read()
        self.keep(key, (version, value), most)
        return value

    def couple_read(
        self, db: Any, couple_id: int, what: Hashable, read: Callable[[], Any], most: int
    ) -> Any:
        """What `read()` gave for this couple, until a write touches the couple
        (core.db.Database.couples_changed_since). The caller checks access first, every call."""

        def current(version: int) -> bool:
            touched = db.couples_changed_since(version)
            return touched is not None and couple_id not in touched

        return self.through((db.instance, couple_id, what), db.changes, read, most, current)
