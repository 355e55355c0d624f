-- Stop a partner's live standing link from working.
UPDATE standing_links SET revoked_at = $now, revoked_reason = 'revoked'
WHERE couple_id = $couple_id AND partner_id = $partner_id AND revoked_at IS NULL
