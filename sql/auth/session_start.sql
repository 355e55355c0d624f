-- Record a new sign-in; returns its id.
INSERT INTO auth_sessions (counselor_id, expires_stamp, created_at, last_seen_at)
VALUES ($counselor_id, $expires_stamp, $now, $now)
RETURNING id
