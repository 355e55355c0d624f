-- The audit trail: who did what to which couple's data, when. Append-only: no query in sql/
-- updates or deletes these rows (tests/sql/test_audit.py proves it), and erasing a couple
-- keeps them (they hold ids and action names, never client names or answers).

CREATE SEQUENCE audit_id START 1;
CREATE TABLE audit_log (
    id           BIGINT PRIMARY KEY DEFAULT nextval('audit_id'),
    occurred_at  TIMESTAMP NOT NULL,
    actor_kind   VARCHAR NOT NULL,   -- counselor | admin | partner_link | visitor | system
    actor_id     INTEGER,            -- counselor id, or link id for a partner link
    actor_label  VARCHAR NOT NULL,   -- username, 'link 42', or the typed username of a failed sign-in
    action       VARCHAR NOT NULL,   -- view | create | update | delete | export | sign_in | ...
    couple_ref   INTEGER,            -- the couple concerned (a reference: kept after erasure)
    object       VARCHAR NOT NULL DEFAULT '',  -- what was touched: 'couple', 'answers:csi4', ...
    detail       VARCHAR NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit_log (occurred_at);
