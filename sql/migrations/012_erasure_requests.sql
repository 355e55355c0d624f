-- A counselor's request that the practice's admin erase a couple for good: only an admin may
-- erase one (core/erasure.py), so a counselor whose couple asked to be erased marks it here, and
-- the admin sees it on Admin -> Data safety. One per couple; erased with the couple
-- (sql/erase/erasure_requests.sql), withdrawn by the counselor or declined by an admin.
-- `reason` is one of core.erasure.REASONS; `note` is the counselor's few words (no names).
CREATE TABLE erasure_requests (
    couple_id     INTEGER PRIMARY KEY,
    requested_by  INTEGER NOT NULL,
    requested_at  TIMESTAMP NOT NULL,
    reason        VARCHAR NOT NULL,
    note          VARCHAR NOT NULL DEFAULT ''
);
