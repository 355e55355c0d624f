-- Agreements (versioned), big decisions with the opportunity matrix, the shared roadmap,
-- and session notes with homework. Portable SQL; like 001, no FOREIGN KEY clauses (an
-- erasure deletes children and parents in one transaction). Every table with client data
-- carries couple_id, so sql/erase/<table>.sql and sql/record/<table>.sql can reach it.
-- Needs only 001 and 002: it applies whether or not 003 (check-ins, seasons) exists.

-- An agreement is its versions: every edit adds a row, none is ever changed or removed
-- (except when the whole couple is erased). The newest version is the agreement as it is.
CREATE SEQUENCE agreement_id START 1;
CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY DEFAULT nextval('agreement_id'),
    couple_id   INTEGER NOT NULL,
    created_by  INTEGER NOT NULL,                      -- counselor id
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX agreements_by_couple ON agreements (couple_id);

CREATE TABLE agreement_versions (
    agreement_id INTEGER NOT NULL,
    couple_id    INTEGER NOT NULL,
    version      INTEGER NOT NULL,                     -- 1, 2, 3… per agreement
    title        VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,                     -- core.agreements.KINDS
    status       VARCHAR NOT NULL
                 CHECK (status IN ('draft', 'active', 'under_review', 'retired')),
    exit_plan    VARCHAR NOT NULL DEFAULT '',          -- for time-bound trials
    review_on    DATE,
    confirmed_on DATE,                                 -- both partners confirmed it in session
    change_note  VARCHAR NOT NULL DEFAULT '',          -- why this version was made
    edited_by    INTEGER NOT NULL,
    edited_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (agreement_id, version)
);
CREATE INDEX agreement_versions_by_couple ON agreement_versions (couple_id);

-- A big decision and its framework: facts, urgency, outcome, follow-up.
CREATE SEQUENCE decision_id START 1;
CREATE TABLE decisions (
    id               INTEGER PRIMARY KEY DEFAULT nextval('decision_id'),
    couple_id        INTEGER NOT NULL,
    title            VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,                 -- core.decisions.KINDS
    status           VARCHAR NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'decided', 'set_aside')),
    facts            VARCHAR NOT NULL DEFAULT '',
    deadline_on      DATE,
    urgency          VARCHAR NOT NULL DEFAULT 'unsure'
                     CHECK (urgency IN ('real', 'movable', 'unsure')),
    urgency_note     VARCHAR NOT NULL DEFAULT '',
    outcome          VARCHAR NOT NULL DEFAULT '',
    chosen_option_id INTEGER,
    decided_on       DATE,
    follow_up_on     DATE,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX decisions_by_couple ON decisions (couple_id);

-- One row per option. Money is monthly and in one currency the couple chooses;
-- _1 / _2 follow partners.position (display order only: no partner is primary).
CREATE SEQUENCE decision_option_id START 1;
CREATE TABLE decision_options (
    id              INTEGER PRIMARY KEY DEFAULT nextval('decision_option_id'),
    decision_id     INTEGER NOT NULL,
    couple_id       INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    label           VARCHAR NOT NULL,
    week            VARCHAR NOT NULL DEFAULT '',       -- a concrete week lived in this option
    impact_1        VARCHAR NOT NULL DEFAULT '',       -- on partner 1's career
    impact_2        VARCHAR NOT NULL DEFAULT '',
    view_1y         VARCHAR NOT NULL DEFAULT '',
    view_5y         VARCHAR NOT NULL DEFAULT '',
    view_10y        VARCHAR NOT NULL DEFAULT '',
    income_1        DOUBLE,                            -- monthly take-home pay
    income_2        DOUBLE,
    costs           DOUBLE,                            -- monthly household costs today
    cost_of_living  DOUBLE,                            -- % change in living costs in this option
    one_off         DOUBLE,                            -- one-off cost (a move, a course)
    veto_1          BOOLEAN NOT NULL DEFAULT FALSE,
    veto_need_1     VARCHAR NOT NULL DEFAULT '',       -- the core need the veto protects
    veto_2          BOOLEAN NOT NULL DEFAULT FALSE,
    veto_need_2     VARCHAR NOT NULL DEFAULT ''
);
CREATE INDEX decision_options_by_decision ON decision_options (decision_id);

-- The opportunity matrix: factors, each partner's weights, each partner's scores.
CREATE SEQUENCE decision_factor_id START 1;
CREATE TABLE decision_factors (
    id          INTEGER PRIMARY KEY DEFAULT nextval('decision_factor_id'),
    decision_id INTEGER NOT NULL,
    couple_id   INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    label       VARCHAR NOT NULL
);
CREATE INDEX decision_factors_by_decision ON decision_factors (decision_id);

CREATE TABLE decision_weights (
    factor_id   INTEGER NOT NULL,
    partner_id  INTEGER NOT NULL,
    decision_id INTEGER NOT NULL,
    couple_id   INTEGER NOT NULL,
    weight      INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 10),
    source      VARCHAR NOT NULL CHECK (source IN ('session', 'link')),
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (factor_id, partner_id)
);
CREATE INDEX decision_weights_by_decision ON decision_weights (decision_id);

CREATE TABLE decision_scores (
    factor_id   INTEGER NOT NULL,
    option_id   INTEGER NOT NULL,
    partner_id  INTEGER NOT NULL,
    decision_id INTEGER NOT NULL,
    couple_id   INTEGER NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    source      VARCHAR NOT NULL CHECK (source IN ('session', 'link')),
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (factor_id, option_id, partner_id)
);
CREATE INDEX decision_scores_by_decision ON decision_scores (decision_id);

-- A partner link may carry a decision's matrix form instead of a questionnaire
-- (instrument_id 'decision_matrix'); the form is generated from the decision's rows.
ALTER TABLE links ADD COLUMN decision_id INTEGER;

-- The roadmap: both careers and the family on one timeline. partner_id NULL = the two of
-- them / the household. Past or planned follows from the date.
CREATE SEQUENCE roadmap_event_id START 1;
CREATE TABLE roadmap_events (
    id          INTEGER PRIMARY KEY DEFAULT nextval('roadmap_event_id'),
    couple_id   INTEGER NOT NULL,
    partner_id  INTEGER,
    category    VARCHAR NOT NULL CHECK (category IN ('career', 'family', 'education', 'other')),
    title       VARCHAR NOT NULL,
    starts_on   DATE NOT NULL,
    ends_on     DATE,
    note        VARCHAR NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX roadmap_events_by_couple ON roadmap_events (couple_id);

-- Sessions with the couple: focus, notes (counselor only), takeaways (for the couple).
CREATE SEQUENCE couple_session_id START 1;
CREATE TABLE couple_sessions (
    id          INTEGER PRIMARY KEY DEFAULT nextval('couple_session_id'),
    couple_id   INTEGER NOT NULL,
    held_on     DATE NOT NULL,
    focus       VARCHAR NOT NULL DEFAULT '',
    takeaways   VARCHAR NOT NULL DEFAULT '',           -- written for the couple
    notes       VARCHAR NOT NULL DEFAULT '',           -- the counselor's own
    created_by  INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX couple_sessions_by_couple ON couple_sessions (couple_id, held_on);

CREATE TABLE session_agreements (
    session_id   INTEGER NOT NULL,
    agreement_id INTEGER NOT NULL,
    couple_id    INTEGER NOT NULL,
    PRIMARY KEY (session_id, agreement_id)
);

CREATE TABLE session_decisions (
    session_id  INTEGER NOT NULL,
    decision_id INTEGER NOT NULL,
    couple_id   INTEGER NOT NULL,
    PRIMARY KEY (session_id, decision_id)
);

-- Exercises given as homework (instrument ids), and the partner links made for them.
CREATE TABLE session_homework (
    session_id    INTEGER NOT NULL,
    instrument_id VARCHAR NOT NULL,
    couple_id     INTEGER NOT NULL,
    assigned_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, instrument_id)
);

CREATE TABLE session_links (
    session_id INTEGER NOT NULL,
    link_id    INTEGER NOT NULL,
    couple_id  INTEGER NOT NULL,
    PRIMARY KEY (session_id, link_id)
);
