-- Forget which agreements one session discussed (before setting them again).
DELETE FROM session_agreements WHERE session_id = $session_id AND couple_id = $couple_id
