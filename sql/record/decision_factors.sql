-- Every row of table decision_factors that belongs to one couple (full-record export).
SELECT * FROM decision_factors WHERE couple_id = $couple_id ORDER BY decision_id, position, id
