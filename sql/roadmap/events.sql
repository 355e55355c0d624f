-- Every roadmap event of one couple, in date order.
SELECT id, couple_id, partner_id, category, title, starts_on, ends_on, note, created_at, updated_at
FROM roadmap_events
WHERE couple_id = $couple_id
ORDER BY starts_on, id
