-- Replace one roadmap event of a couple.
UPDATE roadmap_events
SET partner_id = $partner_id, category = $category, title = $title, starts_on = $starts_on,
    ends_on = $ends_on, note = $note, updated_at = $now
WHERE id = $event_id AND couple_id = $couple_id
