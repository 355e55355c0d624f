-- Check-ins (schedules, standing personal links, one typed row per submission), seasons,
-- the sacrifice ledger, and in-session hand-overs. Portable SQL; like 001, no FOREIGN KEY
-- clauses (an erasure deletes children and parents in one transaction). Every table with a
-- couple's rows carries couple_id, so sql/erase/<table>.sql and sql/record/<table>.sql reach it.
-- Needs only 001 and 002: a database that already has 004 applies it after 004 just as well.

-- How often a couple checks in. Periods are computed in core/schedule.py by stepping local
-- dates from the anchor in the schedule's time zone, so "weekly" never drifts across a DST
-- change or a month end. One row per couple; no row means no schedule yet.
CREATE TABLE checkin_schedules (
    couple_id   INTEGER PRIMARY KEY,
    cadence     VARCHAR NOT NULL CHECK (cadence IN ('weekly', 'fortnightly', 'monthly', 'off')),
    anchor_on   DATE NOT NULL,                        -- local date the first period starts
    timezone    VARCHAR NOT NULL,                     -- IANA name, e.g. 'Europe/London'
    updated_by  INTEGER NOT NULL,                     -- counselor id
    updated_at  TIMESTAMP NOT NULL
);

-- A partner's standing personal check-in link: long-lived, revocable, re-sent by replacing it.
-- Like every token, only its SHA-256 is kept. Opening it gives that partner the current
-- period's check-in (a row in links whose token is derived from this one: core/checkins.py).
CREATE SEQUENCE standing_link_id START 1;
CREATE TABLE standing_links (
    id              INTEGER PRIMARY KEY DEFAULT nextval('standing_link_id'),
    couple_id       INTEGER NOT NULL,
    partner_id      INTEGER NOT NULL,
    token_hash      VARCHAR NOT NULL UNIQUE,
    created_by      INTEGER NOT NULL,                 -- counselor id
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    last_opened_at  TIMESTAMP,
    revoked_at      TIMESTAMP,
    revoked_reason  VARCHAR                           -- 'revoked' or 'replaced'
);
CREATE INDEX standing_links_by_couple ON standing_links (couple_id, partner_id);

-- One typed row per submitted check-in, written in the same transaction as the submission,
-- so trends and caseload alerts aggregate typed columns in SQL (never JSON per row).
-- Scales: csi_total 0-21 (CSI-4); sliders 0-10; shares are "my share" 0-100.
CREATE SEQUENCE checkin_id START 1;
CREATE TABLE checkins (
    id                 INTEGER PRIMARY KEY DEFAULT nextval('checkin_id'),
    couple_id          INTEGER NOT NULL,
    partner_id         INTEGER NOT NULL,
    link_id            INTEGER,                       -- NULL for history loaded without answers
    submitted_at       TIMESTAMP NOT NULL,            -- UTC
    period_on          DATE,                          -- local start of its schedule period
    csi_total          SMALLINT,
    fairness_me        SMALLINT,
    fairness_partner   SMALLINT,
    heard              SMALLINT,
    resentment         SMALLINT,
    stress             SMALLINT,
    work_hours         DOUBLE PRECISION,
    household_share    SMALLINT,
    mental_load_share  SMALLINT,
    load_share         DOUBLE PRECISION,              -- mean of the two shares given
    career_lead        VARCHAR,                       -- mine / my_partners / balanced / neither
    last_decision      VARCHAR,                       -- together / mostly_me / mostly_partner / none_recent
    success_mean       DOUBLE PRECISION,              -- mean of the seven indicators, 1-5
    safety_level       SMALLINT,                      -- the counselor-only item, 0-4
    safety_flag        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX checkins_by_couple ON checkins (couple_id, submitted_at);

-- Seasons (chapters): whose career leads, when, on what terms, and when to look again.
-- ends_on is the last day (inclusive); NULL means still going. core/seasons.py keeps a
-- couple's seasons from overlapping.
CREATE SEQUENCE season_id START 1;
CREATE TABLE seasons (
    id               INTEGER PRIMARY KEY DEFAULT nextval('season_id'),
    couple_id        INTEGER NOT NULL,
    title            VARCHAR NOT NULL DEFAULT '',
    lead_partner_id  INTEGER,                         -- NULL = balanced
    starts_on        DATE NOT NULL,
    ends_on          DATE,
    terms            VARCHAR NOT NULL DEFAULT '',
    review_on        DATE,
    created_by       INTEGER NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX seasons_by_couple ON seasons (couple_id, starts_on);

-- The sacrifice / opportunity ledger: dated events where one partner gave for the other's
-- career. size: 1 small, 2 medium, 3 large. A repaid event names the event that repaid it.
CREATE SEQUENCE ledger_event_id START 1;
CREATE TABLE ledger_events (
    id                INTEGER PRIMARY KEY DEFAULT nextval('ledger_event_id'),
    couple_id         INTEGER NOT NULL,
    occurred_on       DATE NOT NULL,
    kind              VARCHAR NOT NULL,               -- core.ledger.KINDS
    giver_partner_id  INTEGER NOT NULL,
    size              SMALLINT NOT NULL CHECK (size IN (1, 2, 3)),
    note              VARCHAR NOT NULL DEFAULT '',
    acknowledged      BOOLEAN NOT NULL DEFAULT FALSE,
    repaid_by_id      INTEGER,                        -- ledger_events.id of the repayment
    created_by        INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX ledger_events_by_couple ON ledger_events (couple_id, occurred_on);

-- A device handed to a partner in session: while a row exists for the counselor's sign-in,
-- every counselor page shows only that partner's check-in (ui/handover.py). Keyed by the
-- sign-in, so reloading the page or reopening it with the remember-me cookie stays locked.
CREATE TABLE handovers (
    auth_session_id  INTEGER PRIMARY KEY,
    counselor_id     INTEGER NOT NULL,
    couple_id        INTEGER NOT NULL,
    partner_id       INTEGER NOT NULL,
    link_id          INTEGER NOT NULL,
    started_at       TIMESTAMP NOT NULL
);
