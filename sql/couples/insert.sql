-- Create a couple for a counselor; returns its id.
INSERT INTO couples (counselor_id, status, notes, created_at, updated_at)
VALUES ($counselor_id, 'active', $notes, $now, $now)
RETURNING id
