-- Forget which decisions one session discussed (before setting them again).
DELETE FROM session_decisions WHERE session_id = $session_id AND couple_id = $couple_id
