-- Remove one roadmap event of a couple. Returns its id: nothing, if it is not the couple's.
DELETE FROM roadmap_events WHERE id = $event_id AND couple_id = $couple_id
RETURNING id
