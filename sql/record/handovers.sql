-- A hand-over in progress for the couple, if any, for the full-record export.
SELECT auth_session_id, counselor_id, couple_id, partner_id, link_id, started_at
FROM handovers
WHERE couple_id = $couple_id
