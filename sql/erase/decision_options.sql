-- Erase the options of a couple's decisions.
DELETE FROM decision_options WHERE couple_id = $couple_id
