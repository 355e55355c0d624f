-- A couple's standing check-in links for the full-record export (the token's hash is left out).
SELECT id, couple_id, partner_id, created_by, created_at, expires_at, last_opened_at,
       revoked_at, revoked_reason
FROM standing_links
WHERE couple_id = $couple_id
ORDER BY id
