-- The standing check-in link a token hash names, with its partner's first name, or nothing.
SELECT s.id, s.couple_id, s.partner_id, s.token_hash, s.created_by, s.created_at,
       s.expires_at, s.last_opened_at, s.revoked_at, p.name AS partner_name
FROM standing_links s
JOIN partners p ON p.id = s.partner_id
WHERE s.token_hash = $token_hash
