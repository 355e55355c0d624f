-- Stop a partner's unsent period check-ins (their tokens are derived from a standing link, so
-- stopping or replacing the standing link stops them too); $reason is 'revoked' or 'replaced'.
UPDATE links SET revoked_at = $now, revoked_reason = $reason
WHERE couple_id = $couple_id AND partner_id = $partner_id AND instrument_id = 'checkin'
  AND origin = 'period' AND submitted_at IS NULL AND revoked_at IS NULL
