-- Remove one roadmap event of a couple.
DELETE FROM roadmap_events WHERE id = $event_id AND couple_id = $couple_id
