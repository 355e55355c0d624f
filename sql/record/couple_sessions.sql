-- Every row of table couple_sessions that belongs to one couple (full-record export).
SELECT * FROM couple_sessions WHERE couple_id = $couple_id ORDER BY held_on, id
