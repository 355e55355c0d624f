-- Create many counselor accounts sharing one password hash (synthetic practice); their ids.
INSERT INTO counselors (username, display_name, email, role, active, password_hash,
                        must_change_password, created_at, updated_at)
SELECT unnest(CAST($username AS VARCHAR[])), unnest(CAST($display_name AS VARCHAR[])),
       unnest(CAST($email AS VARCHAR[])), 'counselor', TRUE, $password_hash, FALSE, $now, $now
RETURNING id, username
