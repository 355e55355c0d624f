"""One save per click, for the forms a double-click could send twice (shared by pages)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui import state

# An empty form sent this soon after a save is a slow double-click's second half (the first
# saved and emptied the form): pages let it pass instead of answering "name is required".
REPEAT_S = 2.0

# In what `then` returns: take the key out of st.session_state.
DROP = object()
# A double-click's second half shows the toast again if it was shown this recently: a busy
# machine's second half came seconds late; an older toast is another save's.
TOAST_AGAIN_S = 30.0

# The key of this session's _Held in st.session_state: made once, then only changed in place.
_HELD = "tandem.once"


@dataclass(frozen=True)
class Pick:
    """In what `then` returns: the record the picker keyed `picker` shows next (see
    ui.widgets.picker_key). Kept in the holder, not in st.session_state, where a double-click's
    second run could lose it (see Once): CI once saw a new decision record's page fall back to
    the empty "new decision" form after a 150 ms double-click."""

    picker: str


@dataclass
class _Notice:
    """A one-off confirmation, the page and time it was first shown on (`page` None: not yet),
    and how many runs of that page showed it again since."""

    text: str
    page: str | None = None
    at: float = 0.0
    again: int = 0


@dataclass
class _Held:
    """This session's saves: a count and a time per kind of form, the st.session_state changes
    the last saves left for the next run, and the confirmation and toast waiting to be shown.

    The confirmation and toast are kept here, not as st.session_state keys (state.NOTICE and
    state.TOAST only name them in `make`): a run that popped one from st.session_state and was
    then tidied away by a double-click's next run (see Once) lost it, and the page said nothing.
    """

    counts: dict[str, tuple[int, float]] = field(default_factory=dict)
    carry: dict[Any, Any] = field(default_factory=dict)
    # Per picker: how many times a save chose its record (its widget's key is renewed each
    # time), and the record chosen last.
    picks: dict[str, tuple[int, Any]] = field(default_factory=dict)
    notice: _Notice | None = None
    toast: str | None = None
    # The toast shown last and when: a double-click's second half shows it again (_say_again).
    shown_toast: tuple[str, float] | None = None


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

    def just_saved(self, within: float | None = None) -> bool:
        """Whether this session saved such a form in the last `within` seconds (REPEAT_S)."""
        since = time.monotonic() - self._held.counts.get(self._name, (0, float("-inf")))[1]
        return since < (REPEAT_S if within is None else within)

    def run(
        self,
        save: Callable[[], Any],
        then: Callable[[Any], Mapping[str | Pick, Any]] | None = None,
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
                # The second half of a double-click: the rerun it asks for shows the save's
                # confirmation again, however long a busy server took to get here.
                _say_again(self._held)
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


def make(key: str | Pick, value: Any) -> None:
    """Set `key` in st.session_state to `value`, or take it out for `DROP`. The confirmation
    (state.NOTICE), the toast (state.TOAST) and a picker's choice (`Pick`) go to this
    session's holder instead."""
    if isinstance(key, Pick):
        picks = _held().picks
        picks[key.picker] = (picks.get(key.picker, (0, None))[0] + 1, value)
    elif key == state.NOTICE:
        _held().notice = None if value is DROP else _Notice(value)
    elif key == state.TOAST:
        _held().toast = None if value is DROP else value
    elif value is DROP:
        st.session_state.pop(key, None)
    else:
        st.session_state[key] = value


def say(text: str) -> None:
    """Leave `text` as the confirmation the next run shows (see `notice`)."""
    make(state.NOTICE, text)


def notice(page: str) -> str | None:
    """The confirmation this run of `page` shows: a new one, or the one shown first on this
    page less than REPEAT_S ago, or on the one run of it that came next however late. A
    double-click's second half (Once) reruns the page just after the run that showed it: shown
    once, it vanished at once, as if nothing had been done. CI saw that second half come more
    than REPEAT_S later on a busy machine, when its click pressed a form already drawn afresh
    (no save, so nothing to tell it apart from any other run): hence the one run more. It is
    not shown again on another page, nor after that."""
    held = _held()
    kept = held.notice
    if kept is None:
        return None
    now = time.monotonic()
    if kept.page is None:
        held.notice = _Notice(kept.text, page, now)
        # Said by a toast too, the first time: the confirmation is at the top of the page, and
        # a form saved at its foot is scrolled out of its sight.
        if held.toast is None:
            held.toast = kept.text
        return kept.text
    if kept.page == page and (now - kept.at < REPEAT_S or kept.again < 1):
        kept.again += 1
        return kept.text
    if held.notice is kept:
        held.notice = None
    return None


def _say_again(held: _Held) -> None:
    """Let the confirmation already shown be shown once more on its page, for REPEAT_S from
    now. CI once lost "Account jo created": the second click's run reached its rerun more than
    REPEAT_S after the confirmation was first shown (a busy machine), and the page went blank.

    The toast too: the run that showed it may be the second half's own, which then reruns at
    once, and a toast sent just before a rerun is often never drawn (CI, rarely: "Added to the
    roadmap" never appeared, even once the toast was only forgotten after st.toast returned).
    Shown again by the same text in the same place, it is one toast, not two."""
    kept = held.notice
    now = time.monotonic()
    if kept is not None and kept.page is not None:
        kept.at, kept.again = now, 0
    last = held.shown_toast
    if held.toast is None and last is not None and now - last[1] < TOAST_AGAIN_S:
        held.toast = last[0]


def waiting_notice() -> str | None:
    """The confirmation the login screen shows on every run until a sign-in (e.g. "You are
    signed out"): it stays through the cookie component's runs."""
    kept = _held().notice
    return None if kept is None else kept.text


def show_toast(show: Callable[[str], Any] = st.toast) -> None:
    """Show the toast a save left, once: a toast stays on screen through later runs by itself.

    It is forgotten only after `show` returned. Streamlit may stop a run for a newer one (a
    double-click's second half) inside st.toast, before the toast is sent; taken first, it was
    lost then (CI, rarely: "Added to the roadmap" never appeared). Kept, the newer run shows it.
    """
    held = _held()
    text = held.toast
    if text:
        show(text)
        held.shown_toast = (text, time.monotonic())
        if held.toast is text:
            held.toast = None


def _held() -> _Held:
    """This session's holder, made on its first run (under the lock, so made once)."""
    held = st.session_state.get(_HELD)
    if held is None:
        with _saving():
            held = st.session_state.get(_HELD)
            if held is None:
                held = st.session_state[_HELD] = _Held()
    return held


def picked(picker: str) -> tuple[int, Any]:
    """How many times a save chose the record of `picker` (0: never), and the record it chose
    last (None if never)."""
    return _held().picks.get(picker, (0, None))


def next_run() -> dict[Any, Any]:
    """The st.session_state changes the next run starts with (made by `carry_over`; `DROP`
    takes a key out). Take it before a write and fill it after: unlike st.session_state,
    filling it is no point where Streamlit may stop the run (see Once)."""
    return _held().carry
