-- Every row of table session_homework that belongs to one couple (full-record export).
SELECT * FROM session_homework WHERE couple_id = $couple_id ORDER BY session_id, instrument_id
