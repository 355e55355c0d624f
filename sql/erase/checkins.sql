-- Erase every typed check-in row of a couple.
DELETE FROM checkins WHERE couple_id = $couple_id
