-- A couple's unrevoked standing links (newest per partner first), without token hashes.
SELECT id, partner_id, created_at, expires_at, last_opened_at
FROM standing_links
WHERE couple_id = $couple_id AND revoked_at IS NULL
ORDER BY created_at, id
