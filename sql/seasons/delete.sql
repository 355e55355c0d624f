-- Remove one season of a couple. Returns its id: nothing, if it is not the couple's.
DELETE FROM seasons WHERE id = $season_id AND couple_id = $couple_id
RETURNING id
