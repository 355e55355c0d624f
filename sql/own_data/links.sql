-- Every link one partner of one couple was given, oldest first, without its token's hash.
SELECT id, instrument_id, instrument_version, decision_id, origin, created_at, expires_at,
       opened_at, started_at, submitted_at, revoked_at, revoked_reason
FROM links
WHERE couple_id = $couple_id AND partner_id = $partner_id
ORDER BY created_at, id
