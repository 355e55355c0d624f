"""One save per click, for the forms a double-click could send twice (shared by pages)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

# An empty form sent this soon after a save is a slow double-click's second half (the first
# saved and emptied the form): pages let it pass instead of answering "name is required".
REPEAT_S = 2.0

# In what `then` returns: take the key out of st.session_state.
DROP = object()

# The key of this session's _Held in st.session_state: made once, then only changed in place.
_HELD = "tandem.once"


@dataclass
class _Held:
    """This session's saves: a count and a time per kind of form, and the st.session_state
    changes the last saves left for the next run."""

    counts: dict[str, tuple[int, float]] = field(default_factory=dict)
    carry: dict[str, Any] = field(default_factory=dict)


@st.cache_resource
def _saving() -> threading.Lock:
    """The lock such saves take, one per server process."""
    return threading.Lock()


class Once:
    """How many times this session has saved one kind of form, as this run found it.

    A double-click starts a second run while the first may still be saving. The forms are keyed
    by the count (`key`), so after a save they are drawn afresh: empty, or from what was saved.
    The second click then either presses a form that is gone, which does nothing, or, having
    pressed the same form as the first, finds under the lock that the count moved on and only
    redraws. One record, one message; and an error keeps everything typed, since nothing is
    cleared until a save went through.

    Two things about Streamlit shape this:
    - Every Streamlit call, even reading or writing st.session_state, is a point where
      Streamlit may stop a run for a newer one (the second click). So `save` must not use
      Streamlit: stopped between its write and the count, the second click would save again
      (two options, two decision records from one double-click). What the page shows next
      (a message, the new record) comes back from `then` and is carried over by the holder.
    - The counts and those changes live in one object per session, changed in place, never as
      keys of their own in st.session_state: Streamlit starts the second click's run at once,
      on a thread of its own (fast reruns), and that run's start tidies st.session_state (it
      copies the values, then empties the newly set ones); a key the saving run set in between
      was lost. (Fast reruns stay on, Streamlit's default: off, a click waits for the running
      script to reach its next Streamlit call.)
    """

    def __init__(self, name: str):
        self._name = name
        self._held = _held()
        self.seen = self._held.counts.get(name, (0, float("-inf")))[0]

    def key(self, base: str) -> str:
        """A form's key (and its widgets' key prefix): `base` at first, renewed by each save."""
        return base if self.seen == 0 else f"{base}{self.seen}"

    def just_saved(self) -> bool:
        """Whether this session saved such a form in the last REPEAT_S seconds."""
        return (
            time.monotonic() - self._held.counts.get(self._name, (0, float("-inf")))[1] < REPEAT_S
        )

    def run(
        self,
        save: Callable[[], Any],
        then: Callable[[Any], Mapping[str, Any]] | None = None,
    ) -> Any:
        """`save()` under the lock, counted; but if a run of this session saved since this run
        began, only run again to show that. A result of False (nothing to save) is not counted.

        Neither `save` nor `then` may use Streamlit (see the class). `then(result)` gives the
        st.session_state changes the next run starts with (`DROP` takes a key out): a message,
        the record to show. They are made by `carry_over`, at the start of the next run of any
        counselor page. Returns what `save` returned; the caller reruns to show it.
        """
        with _saving():
            if self._held.counts.get(self._name, (0, 0.0))[0] != self.seen:
                st.rerun()
            result = save()
            if result is not False:
                self._held.counts[self._name] = (self.seen + 1, time.monotonic())
                if then is not None:
                    self._held.carry.update(then(result))
            return result

    def renew(self) -> None:
        """Draw the forms afresh without saving (e.g. from the stored version, after a save
        another tab overtook); a second click finds the count moved and does nothing."""
        with _saving():
            if self._held.counts.get(self._name, (0, 0.0))[0] == self.seen:
                self._held.counts[self._name] = (self.seen + 1, float("-inf"))


def carry_over() -> None:
    """Make the st.session_state changes that saves left for this run (Once.run's `then`).

    The guard calls this before a page reads anything. A change is forgotten only once made:
    if Streamlit stops this run for a newer one on the way, the newer run makes the rest.
    """
    carry = _held().carry
    for key in list(carry):
        value = carry.get(key, DROP)
        make(key, value)
        if carry.get(key, DROP) is value:
            carry.pop(key, None)


def make(key: str, value: Any) -> None:
    """Set `key` in st.session_state to `value`, or take it out for `DROP`."""
    if value is DROP:
        st.session_state.pop(key, None)
    else:
        st.session_state[key] = value


def _held() -> _Held:
    """This session's holder, made on its first run (under the lock, so made once)."""
    held = st.session_state.get(_HELD)
    if held is None:
        with _saving():
            held = st.session_state.get(_HELD)
            if held is None:
                held = st.session_state[_HELD] = _Held()
    return held


def next_run() -> dict[str, Any]:
    """The st.session_state changes the next run starts with (made by `carry_over`; `DROP`
    takes a key out). Take it before a write and fill it after: unlike st.session_state,
    filling it is no point where Streamlit may stop the run (see Once)."""
    return _held().carry
