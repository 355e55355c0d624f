-- One partner's personal check-in links, oldest first, without their tokens' hashes.
SELECT id, created_at, expires_at, last_opened_at, revoked_at, revoked_reason
FROM standing_links
WHERE couple_id = $couple_id AND partner_id = $partner_id
ORDER BY created_at, id
