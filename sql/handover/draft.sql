-- The newest unsent hand-over check-in of one partner made since $since that holds answers
-- (ended early, or left after a reload): the draft a new hand-over continues.
SELECT l.id, l.revoked_at
FROM links l
WHERE l.couple_id = $couple_id AND l.partner_id = $partner_id AND l.instrument_id = 'checkin'
  AND l.origin = 'handover' AND l.submitted_at IS NULL
  AND l.created_at >= $since AND l.id <> $link_id
  AND EXISTS (SELECT 1 FROM answers a WHERE a.link_id = l.id)
ORDER BY l.created_at DESC, l.id DESC
LIMIT 1
