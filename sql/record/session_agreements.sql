-- Every row of table session_agreements that belongs to one couple (full-record export).
SELECT * FROM session_agreements WHERE couple_id = $couple_id ORDER BY session_id, agreement_id
