-- Retire a partner's earlier unsubmitted links for the same instrument (re-sending replaces them).
UPDATE links SET revoked_at = $now, revoked_reason = 'replaced'
WHERE couple_id = $couple_id AND partner_id = $partner_id AND instrument_id = $instrument_id
  AND decision_id IS NOT DISTINCT FROM $decision_id
  AND submitted_at IS NULL AND revoked_at IS NULL
