-- The link a token hash names, with its partner's first name, or nothing.
SELECT l.id, l.couple_id, l.partner_id, l.instrument_id, l.instrument_version, l.token_hash,
       l.created_at, l.expires_at, l.opened_at, l.started_at, l.submitted_at, l.revoked_at,
       l.decision_id,
       p.name AS partner_name
FROM links l
JOIN partners p ON p.id = l.partner_id
WHERE l.token_hash = $token_hash
