-- Take an exercise off a session's homework.
DELETE FROM session_homework
WHERE session_id = $session_id AND instrument_id = $instrument_id AND couple_id = $couple_id
