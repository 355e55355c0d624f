-- Stop a partner's other unsent period check-ins made since $since, once a check-in for the
-- period was sent another way (a hand-over): one check-in per period.
UPDATE links SET revoked_at = $now, revoked_reason = 'replaced'
WHERE couple_id = $couple_id AND partner_id = $partner_id AND instrument_id = 'checkin'
  AND origin = 'period' AND submitted_at IS NULL AND revoked_at IS NULL
  AND created_at >= $since
