-- Every row of table agreements that belongs to one couple (full-record export).
SELECT * FROM agreements WHERE couple_id = $couple_id ORDER BY id
