"""A double-click's second run must see the first run's save (ui/once.py), however Streamlit
cuts the first run short.

- Every use of st.session_state is a point where Streamlit stops a run for a newer one (the
  second click). A save that wrote to st.session_state after its record was stopped there,
  before it was counted, and the second click saved again: CI saw two decision records and a
  factor refused as "already in the matrix" after one double-click each.
- With fast reruns the second run starts on its own thread at once, and its start tidies
  st.session_state: it copies every value, then empties the ones set since the last run. A
  key the saving run set in between was lost. The holder, changed in place, is not.

These tests play both with Streamlit's own SessionState.
"""

from __future__ import annotations

import threading

import pytest
import streamlit
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.runtime.state.session_state import SessionState

from ui import once
from ui import state as ui_state


class Proxy:
    """What ui.once uses of `st.session_state`, over one SessionState (no server needed).

    Like Streamlit's, every use first checks whether the run must stop (`stop_at_next_use`)."""

    def __init__(self, state: SessionState):
        self._state = state
        self.stop_at_next_use = False

    def _yield(self) -> None:
        if self.stop_at_next_use:
            self.stop_at_next_use = False
            raise StopException()

    def get(self, key: str, default=None):
        self._yield()
        return self._state[key] if key in self._state else default  # noqa: SIM401 (no .get)

    def __contains__(self, key: str) -> bool:
        return key in self._state

    def __getitem__(self, key: str):
        self._yield()
        return self._state[key]

    def __setitem__(self, key: str, value) -> None:
        self._yield()
        self._state[key] = value

    def pop(self, key: str, default=None):
        self._yield()
        if key not in self._state:
            return default
        value = self._state[key]
        del self._state[key]
        return value


@pytest.fixture
def proxy(monkeypatch) -> Proxy:
    """Streamlit's session state, as `st.session_state` for ui.once, outside a server."""
    proxy = Proxy(SessionState())
    monkeypatch.setattr(streamlit, "session_state", proxy)
    return proxy


@pytest.fixture
def state(proxy) -> SessionState:
    return proxy._state


def start_held(state: SessionState, monkeypatch) -> tuple[threading.Thread, threading.Event]:
    """Start a run's tidy-up on another thread and hold it between copying and emptying.
    Returns the thread and the event that lets it go on."""
    copied, go_on = threading.Event(), threading.Event()

    class Held(dict):
        def clear(self) -> None:
            copied.set()
            assert go_on.wait(5)
            super().clear()

    monkeypatch.setattr(state, "_new_session_state", Held(state._new_session_state))
    second = threading.Thread(target=state._compact_state)
    second.start()
    assert copied.wait(5)
    return second, go_on


def test_a_save_made_while_a_second_run_starts_is_seen_by_that_run(state, monkeypatch):
    first = once.Once("decisions")  # the page's first run drew the form
    assert first.seen == 0
    second, go_on = start_held(state, monkeypatch)
    saved = []
    first.run(lambda: saved.append("Move to Porto"))  # the first click's run saves in the gap
    go_on.set()
    second.join(5)

    after = once.Once("decisions")  # the second click's run, as it starts
    assert after.seen == 1  # so its form is keyed afresh and the second click presses nothing
    assert after.key("decisions.add_option") == "decisions.add_option1"
    assert after.just_saved()
    assert saved == ["Move to Porto"]


def test_nothing_to_save_is_not_counted(state):
    assert once.Once("roadmap").run(lambda: False) is False
    assert once.Once("roadmap").seen == 0
    assert not once.Once("roadmap").just_saved()


def test_a_run_that_began_before_a_save_only_reruns(state, monkeypatch):
    stale = once.Once("agreements")  # a second run that began before the first run saved
    once.Once("agreements").run(lambda: "saved")

    class Rerun(Exception):
        pass

    def rerun() -> None:
        raise Rerun

    monkeypatch.setattr(streamlit, "rerun", rerun)
    saved = []
    with pytest.raises(Rerun):
        stale.run(lambda: saved.append("again"))
    assert saved == []


def test_a_run_stopped_right_after_its_save_still_counts_it_and_says_so(proxy):
    """The second click arrives while the first run writes its record: Streamlit stops the
    first run at its next use of st.session_state, the line after `run`."""
    first = once.Once("decisions")
    made = []

    def save() -> int:
        made.append("Offer in Porto")  # the record is written ...
        proxy.stop_at_next_use = True  # ... as the second click arrives
        return 7

    with pytest.raises(StopException):
        first.run(save, lambda new: {"decisions.next": new, "toast": "Decision record started."})
        streamlit.session_state["anything"] = "the page's next line"

    second = once.Once("decisions")  # the second click's run
    assert second.seen == 1  # its form is keyed afresh: the click presses nothing
    once.carry_over()  # the guard, at the start of that run
    assert streamlit.session_state.get("decisions.next") == 7
    assert streamlit.session_state.get("toast") == "Decision record started."
    assert made == ["Offer in Porto"]


def test_carried_changes_are_made_once_even_when_a_run_stops_on_the_way(proxy):
    proxy._state["drawn"] = "version 1"
    then = once.next_run()  # taken before the write
    then.update({"drawn": once.DROP, "toast": "Session saved."})
    proxy.stop_at_next_use = True
    with pytest.raises(StopException):
        once.carry_over()  # stopped before its first change
    once.carry_over()  # the newer run makes them
    assert "drawn" not in proxy._state
    assert proxy._state["toast"] == "Session saved."
    del proxy._state["toast"]
    once.carry_over()  # and not again
    assert "toast" not in proxy._state


# -- the confirmation and the toast a save leaves -----------------------------------------------
def test_a_confirmation_carried_over_while_a_second_run_starts_is_still_shown(state, monkeypatch):
    """CI lost "Account jo created" after a double-click: the guard made the confirmation a
    st.session_state key, and the second click's run, starting, emptied it. It is kept in the
    holder now."""
    once.Once("admin.new").run(lambda: "jo", lambda _: {ui_state.NOTICE: "Account jo created."})
    second, go_on = start_held(state, monkeypatch)
    once.carry_over()  # the first run's rerun, in the gap of the second run's start
    go_on.set()
    second.join(5)
    assert once.notice("Admin") == "Account jo created."


def test_a_confirmation_is_shown_again_only_on_its_page_and_only_for_a_moment(state, monkeypatch):
    once.say("Changes saved.")
    assert once.notice("Couple") == "Changes saved."
    assert toasts() == ["Changes saved."]  # seen wherever the page is scrolled to
    assert once.notice("Couple") == "Changes saved."  # a double-click's second half, just after
    assert toasts() == []  # one toast
    assert once.notice("Caseload") is None  # another page: said already
    assert once.notice("Couple") is None  # and gone for good

    once.say("Couple moved.")
    assert once.notice("Couple") == "Couple moved."
    monkeypatch.setattr(once, "REPEAT_S", 0.0)  # as if the next clicks came later
    # The next run still shows it: a double-click's second half on a busy machine, its click on
    # a form already drawn afresh (CI once lost "Account jo created" there).
    assert once.notice("Couple") == "Couple moved."
    assert once.notice("Couple") is None  # and no run after that


def second_half(stale: once.Once, monkeypatch) -> None:
    """Run a double-click's second half (`stale`, made before the first half saved): it saves
    nothing and asks for a rerun (st.rerun, here an exception)."""

    class Rerun(Exception):
        pass

    def rerun() -> None:
        raise Rerun

    monkeypatch.setattr(streamlit, "rerun", rerun)
    with pytest.raises(Rerun):
        stale.run(lambda: pytest.fail("saved twice"))


def test_a_double_clicks_late_second_half_still_shows_the_confirmation(state, monkeypatch):
    """CI once lost "Account jo created": on a busy machine the second click's run reached
    its rerun more than REPEAT_S after the confirmation was first shown."""
    stale = once.Once("admin.new")  # the second click's run, begun before the save
    once.Once("admin.new").run(lambda: "jo", lambda _: {ui_state.NOTICE: "Account jo created."})
    once.carry_over()
    assert once.notice("Admin") == "Account jo created."  # the first run's rerun shows it

    later = [once.time.monotonic() + 10 * once.REPEAT_S]
    monkeypatch.setattr(once.time, "monotonic", lambda: later[0])
    second_half(stale, monkeypatch)
    assert once.notice("Admin") == "Account jo created."  # the rerun it asked for
    later[0] += 10 * once.REPEAT_S
    assert once.notice("Admin") is None  # and not for ever


def test_a_new_confirmation_replaces_one_that_is_still_shown(state):
    once.say("Changes saved.")
    assert once.notice("Couple") == "Changes saved."
    once.say("Couple archived.")
    assert once.notice("Couple") == "Couple archived."


def test_the_login_screen_keeps_its_notice_until_a_sign_in_drops_it(state):
    once.say("You are signed out.")
    for _ in range(3):  # the cookie component's runs
        assert once.waiting_notice() == "You are signed out."
    once.make(ui_state.NOTICE, once.DROP)  # what a sign-in makes
    assert once.waiting_notice() is None
    assert once.notice("Caseload") is None


def toasts() -> list[str]:
    """The toasts this run shows."""
    shown: list[str] = []
    once.show_toast(shown.append)
    return shown


def test_a_toast_is_shown_once(state):
    once.make(ui_state.TOAST, "Session saved.")
    assert ui_state.TOAST not in state
    assert toasts() == ["Session saved."]
    assert toasts() == []


def test_a_toast_stopped_on_its_way_is_shown_by_the_next_run(state):
    """Streamlit may stop a run inside st.toast for a double-click's second half, before the
    toast is sent: CI once never saw "Added to the roadmap"."""

    class Stopped(Exception):
        pass

    def stopped(_: str) -> None:
        raise Stopped

    once.make(ui_state.TOAST, "Added to the roadmap: Contract ends.")
    with pytest.raises(Stopped):
        once.show_toast(stopped)
    assert toasts() == ["Added to the roadmap: Contract ends."]
    assert toasts() == []


def test_a_record_chosen_while_a_second_run_starts_is_shown_by_that_run(state, monkeypatch):
    """CI once saw the empty "new decision" form after a 150 ms double-click on *Start the
    decision record*: the first click's rerun set the picker's choice in st.session_state just
    as the second click's run started, and that start lost it. The choice is held in place."""
    from ui import widgets

    once.Once("decisions").run(lambda: 7, lambda made: {once.Pick("decisions.pick"): made})
    second, go_on = start_held(state, monkeypatch)
    # The first click's rerun, in the gap: the guard makes the carried changes, then the page
    # draws its picker (and a plain key, to show what the gap does to st.session_state).
    once.carry_over()
    assert widgets.picker_key("decisions.pick") == "decisions.pick.1"
    streamlit.session_state["plain"] = "set in the gap"
    go_on.set()
    second.join(5)

    assert "plain" not in state  # lost, as the old choice in st.session_state was
    once.carry_over()  # the second click's run
    widget = widgets.picker_key("decisions.pick")
    assert widget == "decisions.pick.1"  # not the key the browser still sends "new" for
    assert streamlit.session_state[widget] == 7


def test_a_double_clicks_second_half_shows_the_toast_again(state, monkeypatch):
    """The run that showed the toast may rerun at once (the second half's), and a toast sent
    just before a rerun is often never drawn: CI rarely saw no "Added to the roadmap"."""
    stale = once.Once("roadmap.add")  # the second click's run, begun before the save
    once.Once("roadmap.add").run(lambda: 1, lambda _: {ui_state.TOAST: "Added to the roadmap."})
    once.carry_over()
    assert toasts() == ["Added to the roadmap."]
    second_half(stale, monkeypatch)
    assert toasts() == ["Added to the roadmap."]  # on the rerun it asked for
    assert toasts() == []
