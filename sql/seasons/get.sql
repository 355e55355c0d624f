-- One season of one couple, or nothing.
SELECT id, couple_id, title, lead_partner_id, starts_on, ends_on, terms, review_on
FROM seasons
WHERE id = $season_id AND couple_id = $couple_id
