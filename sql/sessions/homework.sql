-- The exercises one session gave as homework.
SELECT instrument_id, assigned_at FROM session_homework
WHERE session_id = $session_id AND couple_id = $couple_id
ORDER BY assigned_at, instrument_id
