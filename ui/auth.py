"""The login guard every counselor page calls first, the login screen, and sign-out."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth

from core import accounts, couples
from core.accounts import Actor
from core.errors import LoginRefused, PermissionDenied, TandemError, ValidationError
from ui import caseload, handover, once, state
from ui.app import App, get_app
from ui.once import DROP, Once, carry_over, make, say
from ui.sidebar import draw_sidebar
from ui.widgets import show_validation


def require_login(title: str) -> tuple[App, Actor]:
    """The one guard: set up the page, and show only the login form to a visitor."""
    st.set_page_config(page_title=f"{title} · Tandem", layout="wide")
    app = get_app()
    carry_over()  # what the last save left for this run (ui/once.py), before anything reads it
    # No confirmation drawn in this run yet: calm() must not empty a placeholder of an earlier run
    # (the sign-in screen and a hand-over stop before drawing one).
    st.session_state[state.NOTICE_SLOT] = None
    if st.session_state.get(state.PAGE) != title:  # another page: its new links are not shown
        for key in [k for k in st.session_state if str(k).startswith(state.ISSUED_PREFIX)]:
            st.session_state.pop(key, None)
        st.session_state[state.PAGE] = title
    st.session_state[state.COOKIE_DRAWN] = False  # the cookie component appears once a run
    demo_banner(app)
    actor = _signed_in(app)
    if actor is None:
        _sync_cookie(app)
        actor = _login_screen(app)
        if actor is None:
            st.stop()
    _sync_cookie(app)
    # A device handed to a partner in session shows only their form (ui/handover.py).
    handover.lock_if_active(app, actor)
    if actor.must_change_password:
        _forced_password_change(app, actor)
        st.stop()
    caseload.open_from_link(app, actor)  # a couple's link, before the sidebar names the couple
    draw_sidebar(app, actor)
    _watch_idle(app, actor)
    notice = once.notice(title)
    if notice:
        slot = st.session_state[state.NOTICE_SLOT] = st.empty()
        slot.success(notice)
    once.show_toast()
    return app, actor


def require_admin(title: str) -> tuple[App, Actor]:
    """The guard for admin pages: a signed-in counselor without the role sees a message only."""
    app, actor = require_login(title)
    if not actor.is_admin:
        st.error("This page is for practice admins.")
        st.stop()
    return app, actor


def demo_banner(app: App) -> None:
    """In demo mode, say on every page that everyone shown is fictional."""
    if app.settings.demo:
        st.info(
            "Demo practice: every couple and person here is fictional.",
            icon=":material/theater_comedy:",
        )


def _signed_in(app: App) -> Actor | None:
    """The actor of this browser session, re-checked against the database on every run."""
    actor: Actor | None = st.session_state.get(state.ACTOR)
    idle = _idle_limit(app)
    if actor is not None:
        fresh = accounts.current(app.db, actor.session_id, idle=idle)
        if fresh is None:
            _forget()
            say(
                "You have been signed out (after a while without activity, a password change, "
                "or by an admin). Please sign in again."
            )
        else:
            st.session_state[state.ACTOR] = fresh
        return fresh
    claims = accounts.read_cookie(st.context.cookies.get(accounts.COOKIE_NAME), app.cookie_key)
    if claims:
        resumed = accounts.resume_from_cookie(app.db, *claims, idle=idle)
        if resumed:
            st.session_state[state.ACTOR] = resumed
            _reopen_couple(app, resumed)
            return resumed
    return None


def _reopen_couple(app: App, actor: Actor) -> None:
    """A remembered device resuming (a reload, a new tab): open again the couple this sign-in
    had open, if the account may still open it (a moved or erased couple is not)."""
    if st.session_state.get(state.COUPLE_ID) is None:
        couple_id = couples.last_opened(app.db, actor)
        if couple_id is not None:
            st.session_state[state.COUPLE_ID] = couple_id
            st.session_state[state.COUPLE_NOTED] = couple_id


# How often an open counselor page asks whether its sign-in has ended for want of use: a
# quarter of the idle limit, within these bounds.
IDLE_CHECK_MIN = timedelta(seconds=1)
IDLE_CHECK_MAX = timedelta(minutes=1)
# How long before an idle sign-out the page asks "still there?" (half the limit if shorter), so
# that a note being typed, which reaches the server only when it is saved, is not lost to it.
IDLE_WARN_BEFORE = timedelta(minutes=2)


def _watch_idle(app: App, actor: Actor) -> None:
    """Clear the screen of a page left open once its sign-in has ended, for want of use or at
    its hard end (the remember-me hours), which comes with the idle limit off too.

    The idle limit was only applied at the next click: a page left open kept showing the
    couple's details for as long as nobody touched it. A small fragment in the sidebar asks
    the database every so often (a read, not a use). Shortly before the sign-in runs out it
    asks whether the counselor is still there (or, before the hard end, says so once); once it
    has run out, it runs the whole page again, which signs out and shows only the sign-in
    form. Otherwise it draws nothing."""
    idle = _idle_limit(app)  # None: no idle limit, but the sign-in's hard end still comes
    every = IDLE_CHECK_MAX if idle is None else min(max(idle / 4, IDLE_CHECK_MIN), IDLE_CHECK_MAX)
    with st.sidebar:
        st.fragment(_idle_check, run_every=every)(app, actor.session_id, idle)


def _idle_check(app: App, session_id: int | None, idle: timedelta | None) -> None:
    left, hard_end = accounts.time_left(app.db, session_id, idle)
    if left <= timedelta(0):
        st.rerun(scope="app")
    if left > (IDLE_WARN_BEFORE if idle is None else min(IDLE_WARN_BEFORE, idle / 2)):
        return
    if idle is not None and not hard_end:
        _still_there(app, session_id, idle, left)
    elif st.session_state.get(END_TOLD) != session_id:  # once: a click cannot move this end
        st.session_state[END_TOLD] = session_id
        _sign_in_ends(app, left)


# The sign-in whose counselor was told that it reaches its hard end soon.
END_TOLD = "idle.end_told"


@st.dialog("Your sign-in ends soon")
def _sign_in_ends(app: App, left: timedelta) -> None:
    """The warning before a sign-in's hard end (the remember-me hours), which no click moves."""
    hours = _hard_end_hours(app)
    st.write(
        f"For privacy, a sign-in lasts at most {hours:g} hour{'s' if hours != 1 else ''}. "
        f"Yours ends in about {_duration(left)}."
    )
    st.write("Save what you are typing now; then sign in again to go on.")
    if st.button("OK", type="primary", key="idle.end_ok", width="stretch"):
        st.rerun(scope="app")


@st.dialog("Still there?")
def _still_there(app: App, session_id: int | None, idle: timedelta, left: timedelta) -> None:
    """The warning before an idle sign-out, with the one click that keeps the sign-in."""
    st.write(
        f"For privacy, Tandem signs you out after {_duration(idle)} without a click. "
        f"That will happen in about {_duration(left)}."
    )
    st.write("Text you have typed but not yet saved would be lost.")
    if st.button("Stay signed in", type="primary", key="idle.stay", width="stretch"):
        accounts.keep_alive(app.db, session_id, idle)
        st.rerun(scope="app")  # closes this box; a sign-in that had already ended shows the form


def _duration(span: timedelta) -> str:
    """A short span in words, rounded up to whole minutes from a minute on."""
    seconds = max(1, int(span.total_seconds() + 0.999))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _hard_end_hours(app: App) -> float:
    """How long a sign-in lasts at most, used or not: the remember-me hours (8 if those are 0,
    remember-me off)."""
    return app.settings.remember_hours or 8


SIGNED_OUT_DOWNLOAD = "Your sign-in has ended: sign in again to download this."


def signed_in_download(
    app: App, actor: Actor, make: Callable[[Actor], bytes]
) -> Callable[[], bytes]:
    """A client-data download's `data`: `make(actor)` with the sign-in as it is at the click.

    Streamlit runs a download's callable in a request of its own, without the page and its
    guard, with what the page held when it was drawn. Signed out in another tab, deactivated by
    an admin, or past the idle limit, the click still made the file (found in a review: the
    whole record, private answers and notes). So the sign-in is read again here, counted as a
    use, and core gets the account as it is now (its role, its couples); an ended sign-in gets
    nothing, and the page's rerun (DOWNLOAD_RERUNS) shows the sign-in screen."""
    session_id, idle = actor.session_id, _idle_limit(app)

    def data() -> bytes:
        fresh = accounts.current(app.db, session_id, idle=idle)
        if fresh is None:
            raise PermissionDenied(SIGNED_OUT_DOWNLOAD)
        return make(fresh)

    return data


def _idle_limit(app: App) -> timedelta | None:
    """How long a sign-in may go unused (None: no limit)."""
    minutes = app.settings.idle_minutes
    return timedelta(minutes=minutes) if minutes > 0 else None


def _forget() -> None:
    for key in (state.ACTOR, state.COUPLE_ID, state.COUPLE_NOTED, state.FOLLOWED):
        st.session_state.pop(key, None)


def _authenticator(app: App) -> stauth.Authenticate:
    """streamlit-authenticator, used for its signed remember-me cookie (one per run at most)."""
    return stauth.Authenticate(
        {"usernames": {}},
        accounts.COOKIE_NAME,
        app.cookie_key,
        app.settings.remember_hours / 24,
        auto_hash=False,
    )


def _login_screen(app: App) -> Actor | None:
    """First-admin setup on an empty practice, otherwise the sign-in form (cleared on success)."""
    screen = st.empty()
    with screen.container():
        _, middle, _ = st.columns([1, 2, 1])  # a readable width for a short form
        with middle:
            signed = _login_form(app)
    if signed is None:
        return None
    screen.empty()
    # Outside the cleared container, so the cookie component stays on the page to write.
    actor, remember = signed
    return _begin_session(app, actor, remember)


def _login_form(app: App) -> tuple[Actor, bool] | None:
    st.title("Tandem", anchor=False)
    st.caption(app.settings.practice_name)
    notice = once.waiting_notice()  # kept through the cookie component's runs
    if notice:
        st.success(notice)
    if accounts.needs_first_admin(app.db):
        _first_admin_form(app)
        return None
    if app.settings.demo:
        from core.demo import DEMO_ACCOUNTS

        lines = "\n".join(
            f"- {a['role']}: `{a['username']}` / `{a['password']}`" for a in DEMO_ACCOUNTS
        )
        st.info(f"This is a demo. Sign in with one of these fictional accounts:\n\n{lines}")
    hours = app.settings.remember_hours
    with st.form("login-form"):
        st.header("Sign in", anchor=False)
        username = st.text_input("Username", key="login_username", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="login_password", autocomplete="current-password"
        )
        remember = st.checkbox(
            f"Keep me signed in on this device for {hours:g} hours",
            value=hours > 0,
            key="login_remember",
            disabled=hours <= 0,
        )
        submitted = st.form_submit_button("Sign in", key="login", type="primary")
    if not submitted:
        return None
    try:
        actor = accounts.authenticate(app.db, username, password)
    except LoginRefused as e:
        st.error(str(e))
        return None
    return actor, remember


def _begin_session(app: App, actor: Actor, remember: bool) -> Actor:
    """Record the sign-in server-side and, if asked, queue the remember-me cookie for it."""
    signed_in = _session_record(app, actor, remember)
    for key, value in signed_in.items():
        make(key, value)
    return signed_in[state.ACTOR]


def _session_record(app: App, actor: Actor, remember: bool) -> dict[str, Any]:
    """Record the sign-in server-side; returns the session-state changes that sign this browser
    in (with the remember-me cookie to write, if asked). No Streamlit call: a save may carry
    them over (ui/once.py)."""
    remember = remember and app.settings.remember_hours > 0
    expires = accounts.session_expiry(_hard_end_hours(app))
    actor = accounts.start_session(app.db, actor, expires)
    signed_in: dict[str, Any] = {
        state.ACTOR: actor,
        state.REMEMBER: remember,
        state.NOTICE: DROP,
    }
    if remember:
        token = accounts.make_cookie(actor.username, expires, app.cookie_key)
        # A fresh component key per write: the component reports True under it once done.
        key = f"tandem_cookie_set_{secrets.token_hex(4)}"
        signed_in[state.COOKIE] = {"set": token, "expires": expires, "key": key}
    return signed_in


def sign_out(app: App, actor: Actor) -> None:
    """End the session server-side (a copied cookie stops working) and drop the cookie."""
    accounts.end_session(app.db, actor)
    _forget()
    st.session_state[state.COOKIE] = {"delete": True}
    say("You are signed out.")


def _sync_cookie(app: App) -> None:
    """Write or delete the remember-me cookie, re-rendering the cookie component on every run
    until the browser reports it done: a component shown for one run only can be unmounted by
    the next rerun before its script runs (a quick first click lost the cookie)."""
    pending = st.session_state.get(state.COOKIE)
    if not pending or st.session_state.get(state.COOKIE_DRAWN):
        return  # nothing to do, or the component is already on the page in this run
    st.session_state[state.COOKIE_DRAWN] = True
    manager = _authenticator(app).cookie_controller.cookie_model.cookie_manager
    present = (manager.cookies or {}).get(accounts.COOKIE_NAME)
    if "set" in pending:
        if present == pending["set"] or st.session_state.get(pending["key"]) is True:
            st.session_state.pop(state.COOKIE, None)
            st.rerun()  # once more without the cookie component on the page
        manager.set(
            accounts.COOKIE_NAME,
            pending["set"],
            key=pending["key"],
            # In UTC with its zone: the component hands the browser an ISO time, which a naive
            # one turns into the browser's local time (in UTC+14 the cookie was born expired).
            expires_at=datetime.fromtimestamp(pending["expires"], UTC),
            secure=accounts.cookie_secure(st.context.url),
        )
    else:
        # One attempt is enough: signing out already ended the session on the server, so a
        # cookie that survives in the browser opens nothing.
        st.session_state.pop(state.COOKIE, None)
        if present is not None or not manager.cookies:
            with contextlib.suppress(KeyError):  # the component's own bookkeeping may miss it
                manager.delete(accounts.COOKIE_NAME, key="tandem_cookie_delete")


def _first_admin_form(app: App) -> None:
    st.header("Set up this practice", anchor=False)
    st.write(
        "No accounts exist yet. Create the first admin account. The setup code is printed "
        "in the server's log when Tandem starts (or set it as TANDEM_SETUP_CODE)."
    )
    with st.form("first-admin"):
        code = st.text_input("Setup code", key="setup_code")
        name = st.text_input("Your name", key="setup_name")
        username = st.text_input("Username", key="setup_username")
        email = st.text_input("E-mail (optional)", key="setup_email")
        password = st.text_input("Password", type="password", key="setup_password")
        again = st.text_input("Password again", type="password", key="setup_password_again")
        submitted = st.form_submit_button("Create admin account", key="setup_submit")
    if not submitted:
        return
    if password != again:
        st.error("The two passwords differ.")
        return
    try:
        accounts.create_first_admin(
            app.db, code, {"username": username, "display_name": name, "email": email}, password
        )
    except ValidationError as e:
        show_validation(e, {"password": "Password"})
        return
    st.success("Admin account created. Sign in below.")
    say("Admin account created. Sign in with it now.")
    st.rerun()


PASSWORD_CHANGED = "Password changed. You are signed out everywhere else."


def password_change_form(
    app: App,
    actor: Actor,
    *,
    key: str,
    sync_cookie: bool = True,
    said: Mapping[str, Any] | None = None,
) -> bool:
    """Change one's own password; on success every other sign-in ends and this device signs
    in afresh. True once it is changed.

    A refusal (the two new ones differ, a wrong current password, too short, unchanged) keeps
    what was typed. After a change the form is drawn afresh, empty, and a double-click changes
    the password once instead of answering "the current password is not right" about its own
    change (ui/once.py). `sync_cookie` writes this device's new remember-me cookie now; without
    it the guard writes it on the next run. `said`: session-state changes that tell the page
    the password was changed, made even if Streamlit stops this run for a second click's.
    """
    changes = Once(key)
    k = changes.key(key)
    with st.form(k):
        current = st.text_input("Current password", type="password", key=f"{k}.current")
        new = st.text_input(
            f"New password (at least {accounts.PASSWORD_MIN_CHARS} characters)",
            type="password",
            key=f"{k}.new",
        )
        again = st.text_input("New password again", type="password", key=f"{k}.again")
        submitted = st.form_submit_button("Change password", key=f"{k}.submit")
    if not submitted:
        return False
    if new != again:
        st.error("The two new passwords differ.")
        return False
    remember = bool(st.session_state.get(state.REMEMBER)) or bool(
        st.context.cookies.get(accounts.COOKIE_NAME)
    )

    def change() -> dict[str, Any]:
        # The change ends every sign-in, this one too: the new one is part of the same save.
        accounts.change_own_password(app.db, actor, current, new)
        again = accounts.account_actor(app.db, actor.counselor_id)
        return {**_session_record(app, again, remember), **(said or {})}

    try:
        changes.run(change, lambda signed_in: signed_in)
    except TandemError as e:
        messages = e.fields.values() if isinstance(e, ValidationError) else [str(e)]
        for message in messages:
            st.error(message)
        return False
    carry_over()  # signed in afresh now (a second click's run would do it first thing)
    if sync_cookie:
        _sync_cookie(app)  # write this device's new cookie now, not on the next click
    return True


def _forced_password_change(app: App, actor: Actor) -> None:
    st.title("Choose a new password", anchor=False)
    st.write("Your password was set by an admin. Choose your own before you continue.")
    if password_change_form(app, actor, key="forced-password"):
        st.success(PASSWORD_CHANGED)
        st.button("Continue", key="forced-continue")
    elif st.button("Sign out", key="forced-sign-out"):
        sign_out(app, actor)
        st.rerun()
