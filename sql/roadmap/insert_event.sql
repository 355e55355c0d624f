-- Add a milestone or transition to a couple's roadmap; returns its id.
INSERT INTO roadmap_events (couple_id, partner_id, category, title, starts_on, ends_on, note,
                            created_at, updated_at)
VALUES ($couple_id, $partner_id, $category, $title, $starts_on, $ends_on, $note, $now, $now)
RETURNING id
