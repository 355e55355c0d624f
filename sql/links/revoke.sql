-- Revoke a couple's link (only one not yet submitted).
UPDATE links SET revoked_at = $now, revoked_reason = 'revoked'
WHERE id = $link_id AND couple_id = $couple_id AND revoked_at IS NULL AND submitted_at IS NULL
