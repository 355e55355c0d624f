-- Every session of one couple, newest first.
SELECT id, couple_id, held_on, focus, takeaways, notes, created_at, updated_at
FROM couple_sessions
WHERE couple_id = $couple_id
ORDER BY held_on DESC, id DESC
