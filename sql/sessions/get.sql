-- One session, if it belongs to the couple.
SELECT id, couple_id, held_on, focus, takeaways, notes, created_at, updated_at
FROM couple_sessions
WHERE id = $session_id AND couple_id = $couple_id
