-- Erase any hand-over in progress for a couple.
DELETE FROM handovers WHERE couple_id = $couple_id
