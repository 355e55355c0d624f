-- Record a session with a couple; returns its id.
INSERT INTO couple_sessions (couple_id, held_on, focus, takeaways, notes, created_by, created_at,
                             updated_at)
VALUES ($couple_id, $held_on, $focus, $takeaways, $notes, $created_by, $now, $now)
RETURNING id
