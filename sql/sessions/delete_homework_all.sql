-- Remove the homework of one session (when the session is removed).
DELETE FROM session_homework WHERE session_id = $session_id AND couple_id = $couple_id
