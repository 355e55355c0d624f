-- Erase the matrix factors of a couple's decisions.
DELETE FROM decision_factors WHERE couple_id = $couple_id
