-- Retire a partner's earlier live standing links (a new one replaces them).
UPDATE standing_links SET revoked_at = $now, revoked_reason = 'replaced'
WHERE couple_id = $couple_id AND partner_id = $partner_id AND revoked_at IS NULL
