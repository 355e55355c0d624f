-- A couple's seasons for the full-record export, in time order.
SELECT id, couple_id, title, lead_partner_id, starts_on, ends_on, terms, review_on,
       created_by, created_at, updated_at
FROM seasons
WHERE couple_id = $couple_id
ORDER BY starts_on, id
