-- Every link of one couple, newest first, with the number of answers saved through it.
SELECT l.id, l.partner_id, p.name AS partner_name, p.position, l.instrument_id,
       l.instrument_version, l.created_at, l.expires_at, l.opened_at, l.started_at,
       l.submitted_at, l.revoked_at, l.revoked_reason,
       (SELECT count(*) FROM answers a WHERE a.link_id = l.id) AS answered
FROM links l
JOIN partners p ON p.id = l.partner_id
WHERE l.couple_id = $couple_id
ORDER BY l.created_at DESC, l.id DESC
