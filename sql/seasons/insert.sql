-- Add a season to a couple; returns its id.
INSERT INTO seasons (couple_id, title, lead_partner_id, starts_on, ends_on, terms, review_on,
                     created_by, created_at, updated_at)
VALUES ($couple_id, $title, $lead_partner_id, $starts_on, $ends_on, $terms, $review_on,
        $created_by, $now, $now)
RETURNING id
