-- Mark a couple as asked to be erased (or replace the reason of an earlier request).
INSERT INTO erasure_requests (couple_id, requested_by, requested_at, reason, note)
VALUES ($couple_id, $requested_by, $now, $reason, $note)
ON CONFLICT (couple_id) DO UPDATE SET
    requested_by = excluded.requested_by,
    requested_at = excluded.requested_at,
    reason = excluded.reason,
    note = excluded.note
