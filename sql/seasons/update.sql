-- Change one season of a couple.
UPDATE seasons
SET title = $title, lead_partner_id = $lead_partner_id, starts_on = $starts_on,
    ends_on = $ends_on, terms = $terms, review_on = $review_on, updated_at = $now
WHERE id = $season_id AND couple_id = $couple_id
