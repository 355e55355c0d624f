-- A couple's seasons in time order.
SELECT id, couple_id, title, lead_partner_id, starts_on, ends_on, terms, review_on,
       created_at, updated_at
FROM seasons
WHERE couple_id = $couple_id
ORDER BY starts_on, id
