-- Submit a link once: a second submit changes nothing (returns no row). $couple_id (the link's
-- own) names the couple whose kept reads go stale: its alerts read submitted intakes.
UPDATE links SET submitted_at = $now
WHERE id = $link_id AND couple_id = $couple_id AND submitted_at IS NULL AND revoked_at IS NULL
RETURNING id
