-- The partner links made for one session's homework, with their state and partner.
SELECT l.id, l.partner_id, p.name AS partner_name, p.position, l.instrument_id,
       l.created_at, l.expires_at, l.opened_at, l.started_at, l.submitted_at, l.revoked_at,
       l.revoked_reason
FROM session_links s
JOIN links l ON l.id = s.link_id
JOIN partners p ON p.id = l.partner_id
WHERE s.session_id = $session_id AND s.couple_id = $couple_id
ORDER BY l.instrument_id, p.position, l.created_at DESC
