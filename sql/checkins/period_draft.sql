-- The newest period check-in of one partner made since $since whose standing link was replaced
-- before it was sent and which holds answers: the draft a new standing link continues.
SELECT l.id
FROM links l
WHERE l.couple_id = $couple_id AND l.partner_id = $partner_id AND l.instrument_id = 'checkin'
  AND l.origin = 'period' AND l.submitted_at IS NULL AND l.revoked_reason = 'replaced'
  AND l.created_at >= $since AND l.id <> $link_id
  AND EXISTS (SELECT 1 FROM answers a WHERE a.link_id = l.id)
ORDER BY l.created_at DESC, l.id DESC
LIMIT 1
