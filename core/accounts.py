"""Counselor accounts: passwords, sign-in with lockout, server-side sessions, admin actions."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import bcrypt
import jwt

from core import audit
from core.audit import audited
from core.clock import utcnow
from core.db import Database, Tx
from core.errors import LoginRefused, NotFound, PermissionDenied, ValidationError
from core.validation import EMAIL, NAME_MAX_CHARS, Form, record_id

ROLES = ("counselor", "admin")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
# bcrypt cost 12, as streamlit-authenticator's Hasher uses (~0.25 s a check on this machine).
# Tests lower it through TANDEM_BCRYPT_ROUNDS; never set that in production.
BCRYPT_ROUNDS = max(4, int(os.environ.get("TANDEM_BCRYPT_ROUNDS", "12")))
# NIST SP 800-63B: at least 8 characters; we ask 10. bcrypt reads only the first 72 bytes.
PASSWORD_MIN_CHARS = 10
PASSWORD_MAX_BYTES = 72
# Lockout: 5 failures within 15 minutes pause that username for 15 minutes.
LOCK_AFTER_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
# A typed username longer than this is cut before it is recorded (keeps the table small).
TYPED_USERNAME_MAX = 64
# A sign-in's last use is written at most once a minute (not on every click).
TOUCH_EVERY = timedelta(minutes=1)
SETUP_CODE_SECRET = "setup_code_sha256"
COOKIE_KEY_SECRET = "cookie_key"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in counselor or admin, and the sign-in session behind it."""

    counselor_id: int
    username: str
    display_name: str
    role: str
    session_id: int | None = None
    must_change_password: bool = False

    @property
    def is_admin(self) -> bool:
        """Admins manage accounts and see the whole practice."""
        return self.role == "admin"


def _actor(row: dict[str, Any], session_id: int | None = None) -> Actor:
    return Actor(
        counselor_id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        session_id=session_id if session_id is not None else row.get("session_id"),
        must_change_password=bool(row.get("must_change_password")),
    )


# -- passwords ---------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """A bcrypt hash in the same format streamlit-authenticator's Hasher writes."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


@cache
def _dummy_hash() -> bytes:
    # Checked against when the username is unknown, so both answers take as long.
    return hash_password(secrets.token_urlsafe(16)).encode()


def password_matches(password: str, password_hash: str | None) -> bool:
    """Constant-work bcrypt check; an over-long password or a missing hash never matches."""
    raw = password.encode("utf-8", "replace") if isinstance(password, str) else b""
    target = password_hash.encode() if password_hash else _dummy_hash()
    if len(raw) > PASSWORD_MAX_BYTES:
        bcrypt.checkpw(b"x", _dummy_hash())
        return False
    try:
        return bcrypt.checkpw(raw, target) and password_hash is not None
    except ValueError:
        return False


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, or None."""
    if not isinstance(password, str):
        return "Type the password as text."
    if len(password) < PASSWORD_MIN_CHARS:
        return f"Use at least {PASSWORD_MIN_CHARS} characters."
    too_long = f"Use at most {PASSWORD_MAX_BYTES} bytes (about {PASSWORD_MAX_BYTES} letters)."
    if len(password) > PASSWORD_MAX_BYTES:
        return too_long
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in password):
        return "Use letters, digits, spaces and symbols only (no control characters)."
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        return too_long
    if username and password.strip().lower() == username.lower():
        return "The password must not be the username."
    if len(set(password)) < 4:
        return "Use a less repetitive password."
    lowered = password.strip().lower()
    letters = re.sub(r"[^a-z]", "", lowered)
    if letters in COMMON_WORDS or any(lowered in run for run in KEY_RUNS):
        return (
            "That password is among the first anyone guessing would try. Choose a less common "
            "one: three or four unrelated words work well."
        )
    return None


# A new password whose letters alone are one of these ("Password12!", "qwerty123456") or that is
# a run of keys ("1234567890") passes the length rule but not a guesser's first list (a security
# review). Not a breach corpus: the pause after five wrong tries does the rest.
COMMON_WORDS = frozenset(
    {
        "", "password", "passw", "passwd", "passwort", "qwerty", "qwertyuiop", "qwertz", "azerty",
        "asdf", "asdfgh", "asdfghjkl", "zxcvbnm", "abc", "abcdef", "abcdefg", "abcdefgh",
        "letmein", "welcome", "iloveyou", "admin", "administrator", "login", "changeme",
        "secret", "monkey", "dragon", "football", "baseball", "soccer", "sunshine", "princess",
        "master", "shadow", "superman", "trustno", "starwars", "tandem", "counselor",
        "counsellor", "therapy", "therapist", "practice", "summer", "winter", "spring", "autumn",
    }
)  # fmt: skip
KEY_RUNS = (
    "01234567890",
    "09876543210",
    "qwertyuiopasdfghjklzxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
)


def normalize_username(username: str) -> str:
    """Usernames are compared lower-cased and trimmed, as streamlit-authenticator does."""
    if not isinstance(username, str):
        return ""  # never a valid username, so refused like any unknown one
    # Lone surrogates cannot be stored (not UTF-8); as '?' the name is simply unknown.
    return username.strip().lower().encode("utf-8", "replace").decode("utf-8")


# -- sign-in -----------------------------------------------------------------------------
# Sign-ins for one username take turns in this process (a username falls in one of these
# stripes). Checked all at once, thirty attempts read the username as not paused and each had
# its password tried (a review did it: the thirtieth, the right one, signed in).
_SIGN_IN_TURNS = tuple(threading.Lock() for _ in range(64))


def authenticate(db: Database, username: str, password: str, now: datetime | None = None) -> Actor:
    """Check a sign-in; raises LoginRefused (one message for every cause) and counts failures."""
    now = now or utcnow()
    typed = normalize_username(username)[:TYPED_USERNAME_MAX]
    key = throttle_key(typed)
    with turn(key):
        return _authenticate(db, typed, password or "", key, now)


def turn(key: str) -> threading.Lock:
    """The lock that password checks counted under `key` take turns on (in this process)."""
    digest = hashlib.sha256(key.encode("utf-8", "replace")).digest()
    return _SIGN_IN_TURNS[int.from_bytes(digest[:4], "big") % len(_SIGN_IN_TURNS)]


def _authenticate(db: Database, typed: str, password: str, key: str, now: datetime) -> Actor:
    # Counted as a failure before the password is checked, and forgiven below if it was right:
    # another process on the same database (a later PostgreSQL backend) cannot outrun the pause
    # either, whatever the turns above.
    locked = _count_attempt(db, key, now) if typed else False
    row = db.one("counselors/get_by_username", username=typed) if typed else None
    # Always pay for one bcrypt check so known and unknown names answer alike.
    matches = password_matches(password, row["password_hash"] if row else None)
    if locked or row is None or not row["active"] or not matches:
        why = (
            "paused after failures"
            if locked
            else "unknown username"
            if row is None
            else "deactivated account"
            if not row["active"]
            else "wrong password"
        )
        # What was typed is kept only when it names an account: a password typed into the
        # username box would otherwise be readable in the trail (and its CSV).
        who = typed if row is not None else UNKNOWN_USERNAME if typed else "(blank)"
        audit.record(db, who, "sign_in_failed", detail=why, now=now)
        raise LoginRefused()
    db.all("auth/throttle_clear", username=key)
    actor = _actor(row)
    audit.record(db, actor, "sign_in", now=now)
    return actor


UNKNOWN_USERNAME = "(unknown username)"  # the trail's name for a sign-in with no such account


def throttle_key(username: str) -> str:
    """The key a username's failed sign-ins are counted under: a SHA-256 of it, not the text,
    since unknown names are counted too (so a pause reveals nothing) and may be a password
    typed into the wrong box."""
    return hashlib.sha256(normalize_username(username).encode("utf-8", "replace")).hexdigest()


def _count_attempt(db: Database, username: str, now: datetime) -> bool:
    """Count one sign-in attempt for `username` as failed (every LOCK_AFTER_FAILURES-th within
    FAILURE_WINDOW pauses it for LOCK_DURATION), in one transaction; True if it was already
    paused. Attempts while paused count too, so a steady stream of guesses keeps it paused."""

    def write(tx: Tx) -> bool:
        prev = tx.one("auth/throttle_get", username=username)
        paused = bool(prev and prev["locked_until"] and prev["locked_until"] > now)
        failures = 1
        locked_until = prev["locked_until"] if prev else None
        if prev and prev["last_failure_at"] >= now - FAILURE_WINDOW:
            failures = prev["failures"] + 1
        if failures >= LOCK_AFTER_FAILURES:
            locked_until, failures = now + LOCK_DURATION, 0
        tx.all(
            "auth/throttle_put",
            username=username,
            failures=failures,
            now=now,
            locked_until=locked_until,
        )
        return paused

    return db.write(write)


def password_is_right(db: Database, counselor_id: int, password: Any) -> bool:
    """Whether `password` is this active account's own, for a signed-in counselor confirming
    it is them (taking back a handed-over device). Unlike a sign-in it neither counts towards
    nor clears the account's pause, and records nothing: the caller keeps its own limit and
    trail, so whoever holds the device cannot pause the account by guessing."""
    row = db.one("counselors/get", id=counselor_id)
    live = row is not None and row["active"]
    return password_matches(
        password if isinstance(password, str) else "", row["password_hash"] if live else None
    )


def unlock(db: Database, actor: Actor, username: str) -> None:
    """Admin: clear a username's failed sign-ins and lock."""
    require_admin(actor)
    db.all("auth/throttle_clear", username=throttle_key(username))
    audit.record(
        db, actor, "update", obj=f"account:{normalize_username(username)}", detail="unlocked"
    )


# -- server-side sessions (what makes a copied cookie useless after logout) --------------
def start_session(db: Database, actor: Actor, expires_stamp: float, now=None) -> Actor:
    """Record a sign-in that lasts until `expires_stamp` (unix seconds); returns the actor with it."""
    sid = db.scalar(
        "auth/session_start",
        counselor_id=actor.counselor_id,
        expires_stamp=float(expires_stamp),
        now=now or utcnow(),
    )
    return Actor(**{**actor.__dict__, "session_id": sid})


def _still_in_use(
    db: Database,
    row: dict[str, Any],
    now: datetime,
    idle: timedelta | None,
    touch_every: timedelta = TOUCH_EVERY,
) -> bool:
    """False (and the sign-in ended) when it went unused for longer than `idle`; else count
    this as a use, written if the last write is `touch_every` old."""
    last = row.get("last_seen_at")
    if idle is not None and last is not None and now - last > idle:
        db.all("auth/session_revoke", session_id=row["session_id"], now=now)
        audit.record(db, _actor(row), "sign_out", detail="idle", now=now)
        return False
    if last is None or now - last >= touch_every:
        db.all("auth/session_touch", session_id=row["session_id"], now=now)
    return True


def _live_session(db: Database, session_id: int | None, now: datetime) -> dict[str, Any] | None:
    """A sign-in's row while it is live (not ended, revoked, or of a deactivated account)."""
    if session_id is None:
        return None
    return db.one("auth/session_by_id", session_id=session_id, now_stamp=_stamp(now))


def idle_left(
    db: Database, session_id: int | None, idle: timedelta | None, now=None
) -> timedelta | None:
    """How much longer the sign-in lasts unused: zero once it has ended (or must at its next
    use); None without an idle limit. Only reads: asking is not a use. See `time_left`."""
    return None if idle is None else time_left(db, session_id, idle, now)[0]


def time_left(
    db: Database, session_id: int | None, idle: timedelta | None, now=None
) -> tuple[timedelta, bool]:
    """How much longer the sign-in lasts if unused, and whether what ends it is its hard end
    (the remember-me hours), which no use can move, rather than the idle limit (None: no idle
    limit, only the hard end). Only reads. The idle warning counted only the idle limit, so at
    the hard end the page cleared without one."""
    now = now or utcnow()
    row = _live_session(db, session_id, now)
    if row is None:
        return timedelta(0), idle is None
    to_end = timedelta(seconds=max(0.0, float(row["expires_stamp"]) - _stamp(now)))
    if idle is None:
        return to_end, True
    last = row.get("last_seen_at")
    unused = idle if last is None else max(timedelta(0), idle - (now - last))
    return (to_end, True) if to_end < unused else (unused, False)


def keep_alive(db: Database, session_id: int | None, idle: timedelta | None, now=None) -> bool:
    """The counselor answered "still there?": count now as a use of a live sign-in, however
    recently it was last written (TOUCH_EVERY). False if the sign-in has already ended; an
    ended sign-in stays ended."""
    now = now or utcnow()
    row = _live_session(db, session_id, now)
    return row is not None and _still_in_use(db, row, now, idle, touch_every=timedelta(0))


def resume_from_cookie(
    db: Database, username: str, expires_stamp: float, now=None, idle: timedelta | None = None
) -> Actor | None:
    """The actor a signed remember-me cookie names, if its sign-in is still live, else None."""
    now = now or utcnow()
    try:
        stamp = float(expires_stamp)
    except (TypeError, ValueError):
        return None
    row = db.one(
        "auth/session_by_cookie",
        username=normalize_username(str(username)),
        expires_stamp=stamp,
        now_stamp=_stamp(now),
    )
    if not row or not _still_in_use(db, row, now, idle):
        return None
    actor = _actor(row)
    audit.record(db, actor, "sign_in", detail="remembered device", now=now)
    return actor


def current(
    db: Database, session_id: int | None, now=None, idle: timedelta | None = None
) -> Actor | None:
    """Re-read a live session each page run: deactivation, revocation and idle time apply at once."""
    now = now or utcnow()
    row = _live_session(db, session_id, now)
    if not row or not _still_in_use(db, row, now, idle):
        return None
    return _actor(row)


def account_actor(db: Database, counselor_id: int) -> Actor:
    """The actor for an account as it is now, with no session yet."""
    row = account(db, counselor_id)
    return _actor({**row, "session_id": None})


def end_session(db: Database, actor: Actor, now=None) -> None:
    """Logout: the session (and any cookie naming it) stops working."""
    if actor.session_id is not None:
        db.all("auth/session_revoke", session_id=actor.session_id, now=now or utcnow())
    audit.record(db, actor, "sign_out")


def _stamp(now: datetime) -> float:
    return now.replace(tzinfo=UTC).timestamp()


def session_expiry(hours: float, now: datetime | None = None) -> float:
    """The unix time a sign-in made now should end."""
    return _stamp((now or utcnow()) + timedelta(hours=hours))


# -- own account -------------------------------------------------------------------------
def change_own_password(db: Database, actor: Actor, current_pw: str, new_pw: str) -> None:
    """Change one's password; every earlier sign-in (and cookie) stops working."""
    row = db.one("counselors/get", id=actor.counselor_id)
    if row is None:
        raise NotFound("account")
    if not password_matches(current_pw or "", row["password_hash"]):
        raise ValidationError({"current": "The current password is not right."})
    problem = password_problem(new_pw or "", actor.username)
    if problem:
        raise ValidationError({"new": problem})
    if password_matches(new_pw, row["password_hash"]):
        raise ValidationError({"new": "Choose a password different from the current one."})
    _set_password(db, actor.counselor_id, new_pw, must_change=False)
    audit.record(db, actor, "update", obj="own password", detail="changed; other sign-ins ended")


def _set_password(db: Database, counselor_id: int, password: str, must_change: bool) -> None:
    hashed = hash_password(password)
    now = utcnow()

    def write(tx: Tx) -> None:
        tx.all(
            "counselors/set_password",
            id=counselor_id,
            password_hash=hashed,
            must_change_password=must_change,
            now=now,
        )
        tx.all("auth/session_revoke_all", counselor_id=counselor_id, now=now)

    db.write(write)


# -- admin -------------------------------------------------------------------------------
def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Only a practice admin can do that.")


@audited("view", "accounts")
def list_counselors(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Admin: every account with its caseload size."""
    require_admin(actor)
    return db.all("counselors/list")


@audited("view", "accounts")
def choosable_counselors(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Admin: active accounts a couple can be assigned to."""
    return [c for c in list_counselors(db, actor) if c["active"]]


def _clean_account(raw: dict[str, Any], password: Any) -> dict[str, Any]:
    """A new account's fields, or every problem with them and the password at once."""
    form = Form(raw)
    form.text("display_name", "Name", NAME_MAX_CHARS, required=True)
    form.pattern("email", "E-mail", EMAIL, "sam@example.org")
    form.choice("role", "Role", ROLES, required=True)
    username = normalize_username(raw.get("username", ""))
    if not USERNAME.match(username):
        form.errors["username"] = (
            "Username: 2–32 characters, lower-case letters, digits, dot, dash or underscore."
        )
    problem = password_problem(password or "", username)
    if problem:
        form.errors["password"] = problem
    values = form.done()
    values["username"] = username
    return values


def _new_account(tx: Tx, raw: dict[str, Any], password: str, must_change: bool) -> int:
    values = _clean_account(raw, password)
    if tx.one("counselors/get_by_username", username=values["username"]):
        raise ValidationError({"username": "That username is taken."})
    return tx.scalar(
        "counselors/insert",
        username=values["username"],
        display_name=values["display_name"],
        email=values["email"],
        role=values["role"],
        password_hash=hash_password(password),
        must_change_password=must_change,
        now=utcnow(),
    )


def create_counselor(
    db: Database, actor: Actor, raw: dict[str, Any], password: str, *, must_change: bool = True
) -> int:
    """Admin: create an account; by default its first password must be changed at sign-in."""
    require_admin(actor)

    def write(tx: Tx) -> int:
        cid = _new_account(tx, raw, password, must_change=must_change)
        audit.record(tx, actor, "create", obj=f"account:{cid}")
        return cid

    return db.write(write)


def account(db: Database, counselor_id: Any) -> dict[str, Any]:
    row = db.one("counselors/get", id=record_id(counselor_id, "account"))
    if row is None:
        raise NotFound("account")
    return row


def _keeps_an_admin(db: Database, target: dict[str, Any]) -> None:
    last_admin = db.scalar("counselors/count_active_admins") <= 1
    if target["role"] == "admin" and target["active"] and last_admin:
        raise ValidationError({"role": "The practice must keep at least one active admin."})


def set_active(db: Database, actor: Actor, counselor_id: Any, active: bool) -> None:
    """Admin: deactivate (signs them out everywhere) or reactivate an account."""
    require_admin(actor)
    target = account(db, counselor_id)
    if not active:
        if target["id"] == actor.counselor_id:
            raise ValidationError({"active": "You cannot deactivate your own account."})
        _keeps_an_admin(db, target)
    now = utcnow()

    def write(tx: Tx) -> None:
        tx.all("counselors/set_active", id=target["id"], active=bool(active), now=now)
        if not active:
            tx.all("auth/session_revoke_all", counselor_id=target["id"], now=now)
        audit.record(
            tx,
            actor,
            "update",
            obj=f"account:{target['id']}",
            detail="reactivated" if active else "deactivated; signed out everywhere",
        )

    db.write(write)


def set_role(db: Database, actor: Actor, counselor_id: Any, role: str) -> None:
    """Admin: make an account a counselor or an admin."""
    require_admin(actor)
    if role not in ROLES:
        raise ValidationError({"role": f"Role must be one of: {', '.join(ROLES)}."})
    target = account(db, counselor_id)
    if role != "admin":
        _keeps_an_admin(db, target)
    db.all("counselors/set_role", id=target["id"], role=role, now=utcnow())
    audit.record(db, actor, "update", obj=f"account:{target['id']}", detail=f"role {role}")


def reset_password(db: Database, actor: Actor, counselor_id: Any, password: str) -> None:
    """Admin: set a temporary password; the counselor must change it, old sign-ins end."""
    require_admin(actor)
    target = account(db, counselor_id)
    problem = password_problem(password or "", target["username"])
    if problem:
        raise ValidationError({"password": problem})
    _set_password(db, target["id"], password, must_change=True)
    db.all("auth/throttle_clear", username=throttle_key(target["username"]))
    audit.record(db, actor, "update", obj=f"account:{target['id']}", detail="password reset")


def reset_from_the_server(db: Database, username: str, password: str) -> str:
    """An operator at the server (`./run manage reset-password`): give `username` a password to
    change at the next sign-in, end its sign-ins and lift its pause; its role and whether it is
    active stay. For a practice whose only admin forgot theirs: there was no way back in (an
    owner's walkthrough). Whoever runs it can read the database anyway. The account's name."""
    typed = normalize_username(username)
    row = db.one("counselors/get_by_username", username=typed) if typed else None
    if row is None:
        raise NotFound("account")
    problem = password_problem(password or "", row["username"])
    if problem:
        raise ValidationError({"password": problem})
    _set_password(db, row["id"], password, must_change=True)
    db.all("auth/throttle_clear", username=throttle_key(row["username"]))
    audit.record(
        db, None, "update", obj=f"account:{row['id']}", detail="password reset at the server"
    )
    return row["display_name"]


# -- first start -------------------------------------------------------------------------
def needs_first_admin(db: Database) -> bool:
    """True while the practice has no account at all."""
    return db.scalar("counselors/count") == 0


def _digest(code: str) -> str:
    text = code.strip() if isinstance(code, str) else ""  # anything else never matches
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def issue_setup_code(db: Database, code: str | None = None) -> str:
    """Store (the hash of) a one-time setup code and return it, to print in the server log."""
    code = code or "-".join(secrets.token_hex(3) for _ in range(3))
    db.all("auth/secret_put", name=SETUP_CODE_SECRET, value=_digest(code), now=utcnow())
    return code


def create_first_admin(db: Database, setup_code: str, raw: dict[str, Any], password: str) -> int:
    """Create the first admin, proving access to the server log with the setup code."""
    stored = db.scalar("auth/secret_get", name=SETUP_CODE_SECRET)
    if not stored or not hmac.compare_digest(stored, _digest(setup_code or "")):
        raise ValidationError({"setup_code": "That setup code is not right."})

    def write(tx: Tx) -> int:
        if tx.scalar("counselors/count"):
            raise ValidationError({"setup_code": "The practice already has an admin."})
        cid = _new_account(tx, {**raw, "role": "admin"}, password, must_change=False)
        tx.all("auth/secret_delete", name=SETUP_CODE_SECRET)
        audit.record(tx, "setup code", "create", obj=f"account:{cid}", detail="first admin")
        return cid

    return db.write(write)


def cookie_key(db: Database, configured: str | None) -> str:
    """The key that signs remember-me cookies: configured, or generated once and kept."""
    if configured:
        return configured
    key = db.scalar("auth/secret_get", name=COOKIE_KEY_SECRET)
    if key:
        return key
    key = secrets.token_urlsafe(48)
    db.all("auth/secret_put", name=COOKIE_KEY_SECRET, value=key, now=utcnow())
    return db.scalar("auth/secret_get", name=COOKIE_KEY_SECRET)


# -- remember-me cookie -----------------------------------------------------------------
# streamlit-authenticator 0.4.2 writes this cookie: a JWT (HS256) of {username, exp_date}.
COOKIE_NAME = "tandem_auth"


def cookie_secure(page_url: str | None) -> bool:
    """Whether the remember-me cookie gets the Secure flag: yes whenever the page is on HTTPS, so
    the browser never sends it over plain HTTP (a browser refuses a Secure cookie from an http://
    page, so a local http:// Tandem sets it without)."""
    return (page_url or "").lower().startswith("https://")


def make_cookie(username: str, expires_stamp: float, key: str) -> str:
    """A remember-me cookie value in streamlit-authenticator's format for a recorded sign-in."""
    return jwt.encode({"username": username, "exp_date": expires_stamp}, key, algorithm="HS256")


def read_cookie(token: str | None, key: str) -> tuple[str, float] | None:
    """(username, exp_date) from a signed remember-me cookie, or None if absent or forged."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
        return str(claims["username"]), float(claims["exp_date"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return None
