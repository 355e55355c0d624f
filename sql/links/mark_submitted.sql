-- Submit a link once: a second submit changes nothing (returns no row).
UPDATE links SET submitted_at = $now
WHERE id = $link_id AND submitted_at IS NULL AND revoked_at IS NULL
RETURNING id
