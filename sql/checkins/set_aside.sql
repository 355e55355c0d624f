-- Retire one unsent check-in that a newer one replaces (its draft moved there).
UPDATE links SET revoked_at = $now, revoked_reason = 'replaced'
WHERE id = $link_id AND couple_id = $couple_id AND submitted_at IS NULL AND revoked_at IS NULL
