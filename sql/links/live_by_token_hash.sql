-- What a draft and a saved answer need of the link a token hash names (sql/links/
-- by_token_hash.sql without the partner's name: the join costs as much again, ~0.8 ms at 850k
-- links).
SELECT id, couple_id, partner_id, instrument_id, instrument_version, token_hash, expires_at,
       started_at, submitted_at, revoked_at, decision_id
FROM links
WHERE token_hash = $token_hash
