"""What a read gave, kept for the runs after it: a bounded store, the least recently used out
first, safe across Streamlit's script threads. Used by core.trends (a couple's views between
writes), core.alerts (the caseload's signals) and core.links (a partner's link between saves);
each caller decides when what it kept is stale."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
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
