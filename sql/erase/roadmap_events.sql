-- Erase a couple's roadmap milestones and transitions.
DELETE FROM roadmap_events WHERE couple_id = $couple_id
