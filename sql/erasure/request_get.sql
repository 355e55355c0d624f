-- A couple's pending request to be erased, with who asked, or nothing.
SELECT r.couple_id, r.requested_at, r.reason, r.note, r.requested_by,
       co.display_name AS requested_by_name
FROM erasure_requests r
LEFT JOIN counselors co ON co.id = r.requested_by
WHERE r.couple_id = $couple_id
