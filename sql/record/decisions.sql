-- Every row of table decisions that belongs to one couple (full-record export).
SELECT * FROM decisions WHERE couple_id = $couple_id ORDER BY id
