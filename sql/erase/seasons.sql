-- Erase a couple's seasons.
DELETE FROM seasons WHERE couple_id = $couple_id
