"""One save per click, for the forms a double-click could send twice (shared by pages)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

# An empty form sent this soon after a save is a slow double-click's second half (the first
# saved and emptied the form): pages let it pass instead of answering "name is required".
REPEAT_S = 2.0


@st.cache_resource
def _saving() -> threading.Lock:
    """The lock such saves take, one per server process."""
    return threading.Lock()


class Once:
    """How many times this session has saved one kind of form, as this run found it.

    A double-click starts a second run while the first may still be saving (Streamlit's fast
    reruns stop the first run only at its next element). The forms are keyed by the count
    (`key`), so after a save they are drawn afresh: empty, or from what was saved. The second
    click then either presses a form that is gone, which does nothing, or, having pressed the
    same form as the first, finds under the lock that the count moved on and only redraws.
    One record, one message; and an error keeps everything typed, since nothing is cleared
    until a save went through.
    """

    def __init__(self, name: str):
        self._count = f"tandem.once.{name}"
        self._at = f"tandem.once.{name}.at"
        self.seen = st.session_state.get(self._count, 0)

    def key(self, base: str) -> str:
        """A form's key (and its widgets' key prefix): `base` at first, renewed by each save."""
        return base if self.seen == 0 else f"{base}{self.seen}"

    def just_saved(self) -> bool:
        """Whether this session saved such a form in the last REPEAT_S seconds."""
        return time.monotonic() - st.session_state.get(self._at, float("-inf")) < REPEAT_S

    def run(self, save: Callable[[], Any]) -> Any:
        """`save()` under the lock, counted; but if a run of this session saved since this run
        began, only run again to show that. A result of False (nothing to save) is not counted.
        Returns what `save` returned; the caller reruns to show it."""
        with _saving():
            if st.session_state.get(self._count, 0) != self.seen:
                st.rerun()
            result = save()
            if result is not False:
                st.session_state[self._count] = self.seen + 1
                st.session_state[self._at] = time.monotonic()
            return result
