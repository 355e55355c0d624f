-- Remove one of a couple's sessions (its links to agreements, decisions and homework go too).
DELETE FROM couple_sessions WHERE id = $session_id AND couple_id = $couple_id
