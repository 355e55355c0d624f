-- A couple's pending request to be erased, if any, for the full-record export.
SELECT couple_id, requested_by, requested_at, reason, note
FROM erasure_requests
WHERE couple_id = $couple_id
