-- Start a decision record for a couple; returns its id.
INSERT INTO decisions (couple_id, title, kind, created_at, updated_at)
VALUES ($couple_id, $title, $kind, $now, $now)
RETURNING id
