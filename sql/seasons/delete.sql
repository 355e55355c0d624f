-- Remove one season of a couple.
DELETE FROM seasons WHERE id = $season_id AND couple_id = $couple_id
