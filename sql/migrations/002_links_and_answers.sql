-- Private partner links and the answers given through them.
-- A link's token is never stored: only its SHA-256, looked up by hash and compared in
-- constant time. A link belongs to one partner and one questionnaire (instrument).

CREATE SEQUENCE link_id START 1;
CREATE TABLE links (
    id                 INTEGER PRIMARY KEY DEFAULT nextval('link_id'),
    couple_id          INTEGER NOT NULL,
    partner_id         INTEGER NOT NULL,
    instrument_id      VARCHAR NOT NULL,
    instrument_version INTEGER NOT NULL,
    token_hash         VARCHAR NOT NULL UNIQUE,
    created_by         INTEGER NOT NULL,            -- counselor id
    created_at         TIMESTAMP NOT NULL,
    expires_at         TIMESTAMP NOT NULL,
    opened_at          TIMESTAMP,                   -- first time the partner opened it
    started_at         TIMESTAMP,                   -- first answer saved
    submitted_at       TIMESTAMP,
    revoked_at         TIMESTAMP,
    revoked_reason     VARCHAR                      -- 'revoked' by the counselor, or 'replaced'
);
CREATE INDEX links_by_couple ON links (couple_id, partner_id, instrument_id);

-- One row per answered item of a link; saved as each answer is given (drafts included).
CREATE TABLE answers (
    link_id     INTEGER NOT NULL,
    couple_id   INTEGER NOT NULL,
    partner_id  INTEGER NOT NULL,
    item_id     VARCHAR NOT NULL,
    value_json  VARCHAR NOT NULL,                   -- JSON of the cleaned value
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (link_id, item_id)
);
CREATE INDEX answers_by_couple ON answers (couple_id, partner_id);

-- Bad-token attempts per client, so guessing is slowed down.
CREATE TABLE link_attempts (
    client_key   VARCHAR PRIMARY KEY,               -- SHA-256 of the client's address
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL
);
