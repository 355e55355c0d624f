-- A couple's partner links for the full-record export (the token's hash is left out).
SELECT id, couple_id, partner_id, instrument_id, instrument_version, created_by, created_at,
       expires_at, opened_at, started_at, submitted_at, revoked_at, revoked_reason, decision_id
FROM links
WHERE couple_id = $couple_id
ORDER BY id
