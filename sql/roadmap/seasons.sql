-- A couple's seasons for the shared roadmap: lead_partner_id (NULL = balanced), title, dates.
SELECT lead_partner_id, title, starts_on, ends_on, review_on
FROM seasons
WHERE couple_id = $couple_id
ORDER BY starts_on, id
