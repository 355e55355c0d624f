-- Every row of table session_decisions that belongs to one couple (full-record export).
SELECT * FROM session_decisions WHERE couple_id = $couple_id ORDER BY session_id, decision_id
