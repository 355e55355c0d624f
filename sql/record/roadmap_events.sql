-- Every row of table roadmap_events that belongs to one couple (full-record export).
SELECT * FROM roadmap_events WHERE couple_id = $couple_id ORDER BY starts_on, id
