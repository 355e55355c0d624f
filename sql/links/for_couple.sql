-- Every link of one couple, newest first, with the number of answers saved through each link
-- not yet submitted (NULL once submitted: counting a submitted link's answers meant reading
-- every answer of the practice, ~80 ms at 19 million answers, issue 6).
SELECT l.id, l.partner_id, p.name AS partner_name, p.position, l.instrument_id,
       l.instrument_version, l.created_at, l.expires_at, l.opened_at, l.started_at,
       l.submitted_at, l.revoked_at, l.revoked_reason, l.origin,
       CASE WHEN l.submitted_at IS NULL THEN COALESCE(n.answered, 0) END AS answered
FROM links l
JOIN partners p ON p.id = l.partner_id
LEFT JOIN (SELECT a.link_id, count(*) AS answered
           FROM answers a
           WHERE a.link_id IN (SELECT o.id FROM links o
                               WHERE o.couple_id = $couple_id AND o.submitted_at IS NULL)
           GROUP BY a.link_id) n ON n.link_id = l.id
WHERE l.couple_id = $couple_id
ORDER BY l.created_at DESC, l.id DESC
