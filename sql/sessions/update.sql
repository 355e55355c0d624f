-- Replace the date, focus, takeaways and notes of one of a couple's sessions.
UPDATE couple_sessions
SET held_on = $held_on, focus = $focus, takeaways = $takeaways, notes = $notes, updated_at = $now
WHERE id = $session_id AND couple_id = $couple_id
