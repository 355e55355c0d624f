-- Every row of table decision_options that belongs to one couple (full-record export).
SELECT * FROM decision_options WHERE couple_id = $couple_id ORDER BY decision_id, position, id
