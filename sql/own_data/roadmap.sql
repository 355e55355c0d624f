-- A couple's roadmap entries for one partner: their own and the two partners' shared ones
-- (partner_id NULL), never the other partner's own, in date order.
SELECT id, partner_id, category, title, starts_on, ends_on, note
FROM roadmap_events
WHERE couple_id = $couple_id AND (partner_id IS NULL OR partner_id = $partner_id)
ORDER BY starts_on, id
