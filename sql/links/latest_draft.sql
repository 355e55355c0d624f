-- A partner's newest unsent ordinary link for one form (same version) that holds answers and
-- was not stopped by the counselor: open, replaced or run out. A new link for the form carries
-- its answers on, so re-sending an expired link loses nothing the partner gave.
SELECT l.id
FROM links l
WHERE l.couple_id = $couple_id AND l.partner_id = $partner_id
  AND l.instrument_id = $instrument_id AND l.instrument_version = $version
  AND l.decision_id IS NOT DISTINCT FROM $decision_id
  AND l.origin IS NULL
  AND l.submitted_at IS NULL
  AND (l.revoked_at IS NULL OR l.revoked_reason = 'replaced')
  AND EXISTS (SELECT 1 FROM answers a WHERE a.link_id = l.id)
ORDER BY l.created_at DESC, l.id DESC
LIMIT 1
