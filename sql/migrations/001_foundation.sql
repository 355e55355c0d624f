-- Foundation: counselor accounts, sign-in safety, couples and their two partners.
-- Portable SQL (DuckDB now, PostgreSQL later): ids from sequences, plain types.
-- No FOREIGN KEY clauses: DuckDB refuses to delete a child and its parent in one
-- transaction, which a real erasure needs. core/ keeps references whole instead, and
-- tests/sql/test_erasure.py proves no orphan rows are left.

CREATE SEQUENCE counselor_id START 1;
CREATE TABLE counselors (
    id                   INTEGER PRIMARY KEY DEFAULT nextval('counselor_id'),
    username             VARCHAR NOT NULL UNIQUE,      -- lower-case, [a-z0-9._-]
    display_name         VARCHAR NOT NULL,
    email                VARCHAR,
    role                 VARCHAR NOT NULL CHECK (role IN ('counselor', 'admin')),
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash        VARCHAR NOT NULL,             -- bcrypt, as streamlit-authenticator writes
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);

-- Failed sign-ins per typed username (known or not, so the answer reveals nothing).
CREATE TABLE login_throttle (
    username         VARCHAR PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_at  TIMESTAMP NOT NULL,
    locked_until     TIMESTAMP
);

-- One row per sign-in. A remember-me cookie is honoured only while its row is live:
-- logging out revokes the row, a password change or deactivation revokes them all.
CREATE SEQUENCE auth_session_id START 1;
CREATE TABLE auth_sessions (
    id            INTEGER PRIMARY KEY DEFAULT nextval('auth_session_id'),
    counselor_id  INTEGER NOT NULL,
    expires_stamp DOUBLE NOT NULL,                     -- the cookie's exp_date (unix seconds)
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP
);
CREATE INDEX auth_sessions_by_counselor ON auth_sessions (counselor_id);

-- Server-side secrets generated on first start (cookie key when none is configured,
-- the one-time setup code's hash). Never client data.
CREATE TABLE app_secrets (
    name       VARCHAR PRIMARY KEY,
    value      VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE couple_id START 1;
CREATE TABLE couples (
    id            INTEGER PRIMARY KEY DEFAULT nextval('couple_id'),
    counselor_id  INTEGER NOT NULL,
    status        VARCHAR NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    notes         VARCHAR NOT NULL DEFAULT '',         -- the counselor's own notes
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    archived_at   TIMESTAMP
);
CREATE INDEX couples_by_counselor ON couples (counselor_id, status);

-- Two rows per couple, position 1 and 2 for display order only: no partner is primary.
CREATE SEQUENCE partner_id START 1;
CREATE TABLE partners (
    id            INTEGER PRIMARY KEY DEFAULT nextval('partner_id'),
    couple_id     INTEGER NOT NULL,
    position      INTEGER NOT NULL CHECK (position IN (1, 2)),
    name          VARCHAR NOT NULL,
    pronouns      VARCHAR NOT NULL DEFAULT '',
    occupation    VARCHAR NOT NULL DEFAULT '',
    industry      VARCHAR NOT NULL DEFAULT '',
    career_stage  VARCHAR NOT NULL DEFAULT '',
    weekly_hours  INTEGER,
    country       VARCHAR NOT NULL DEFAULT '',
    city          VARCHAR NOT NULL DEFAULT '',
    languages     VARCHAR NOT NULL DEFAULT '',
    email         VARCHAR NOT NULL DEFAULT '',
    phone         VARCHAR NOT NULL DEFAULT '',
    UNIQUE (couple_id, position)
);
