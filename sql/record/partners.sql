-- Every row of table partners that belongs to one couple (full-record export).
SELECT * FROM partners WHERE couple_id = $couple_id ORDER BY position
