-- Erase which decisions a couple's sessions discussed.
DELETE FROM session_decisions WHERE couple_id = $couple_id
